// The site published in a folder of a web server, as many councils host it: the built site
// is served by a plain static server at $FOLIO_HOSTED_PATH (for example /some/path/) under
// $FOLIO_HOSTED_ROOT, with nothing at the server's root. In headless Chromium:
//  - a crawl from the home page, following every link within the site, reaches every page
//    the build wrote
//  - every page, stylesheet, script, image, PDF and search file requested answers 200, and
//    nothing is requested outside the site's path
//  - search finds a page, and its result links under the path
//
// Run with: FOLIO_HOSTED_ROOT=... FOLIO_HOSTED_PATH=/some/path/ node --test hosting.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { htmlFiles, urlPathFor, serve, launchChromium, newContext } from './lib/site.mjs';

const webRoot = process.env.FOLIO_HOSTED_ROOT;
const base = process.env.FOLIO_HOSTED_PATH ?? '/some/path/';
assert.ok(webRoot && existsSync(webRoot), 'set FOLIO_HOSTED_ROOT to the web server folder');
const siteDir = join(webRoot, base);
assert.ok(existsSync(join(siteDir, 'index.html')), `no site at ${siteDir}`);

let server;
let browser;
let context;
/** Every request the browser made: { url, status } */
const requests = [];

before(async () => {
  server = await serve(webRoot);
  browser = await launchChromium();
  context = await newContext(browser, server.origin, { viewport: { width: 1280, height: 900 } });
  context.on('response', (response) => {
    requests.push({ url: response.url(), status: response.status() });
  });
  context.on('requestfailed', (request) => {
    requests.push({ url: request.url(), status: 0, error: request.failure()?.errorText });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a crawl from the home page reaches every page, and every request answers under the path', async () => {
  const wanted = new Set(
    htmlFiles(siteDir)
      .map((file) => base + urlPathFor(file, siteDir).slice(1))
      .filter((path) => !path.endsWith('/404.html')),
  );
  const seen = new Set();
  const queue = [base];
  const downloads = new Set();
  const tab = await context.newPage();
  while (queue.length > 0) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const response = await tab.goto(server.origin + path, { waitUntil: 'load' });
    assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
    // Links, and the forms a reader submits (the header's search box).
    const hrefs = await tab.$$eval('a[href], form[action]', (targets) =>
      targets.map((t) => (t.tagName === 'FORM' ? t.action : t.href)),
    );
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== server.origin) continue;
      if (url.pathname.endsWith('.pdf')) downloads.add(url.pathname);
      else if (url.pathname.endsWith('/')) queue.push(url.pathname);
    }
  }
  await tab.close();
  const missed = [...wanted].filter((p) => !seen.has(p));
  assert.deepEqual(missed, [], 'pages no link leads to');
  assert.ok(downloads.size > 0, 'no PDF is linked');
  for (const pdf of downloads) {
    const response = await context.request.get(server.origin + pdf);
    assert.equal(response.status(), 200, pdf);
    assert.equal((await response.body()).subarray(0, 5).toString(), '%PDF-', pdf);
  }
  const outside = requests.filter((r) => !new URL(r.url).pathname.startsWith(base));
  assert.deepEqual(outside, [], 'requests outside the site path');
  // A request cut short by the next navigation (net::ERR_ABORTED) is asked again directly.
  for (const r of requests.filter((r) => r.error === 'net::ERR_ABORTED')) {
    r.status = (await context.request.get(r.url)).status();
  }
  const failed = requests.filter((r) => r.status !== 200 && r.status !== 304);
  assert.deepEqual(failed, [], 'requests that did not answer 200');
});

test('search finds a page and links to it under the path', async () => {
  const tab = await context.newPage();
  await tab.goto(`${server.origin}${base}search/?q=guide`);
  await tab.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0, null, {
    timeout: 15000,
  });
  const hrefs = await tab.$$eval('#search-results a', (links) => links.map((a) => new URL(a.href).pathname));
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) assert.ok(href.startsWith(base), `${href} is outside ${base}`);
  const response = await tab.goto(server.origin + hrefs[0]);
  assert.equal(response.status(), 200);
  await tab.close();
  const pagefind = requests.filter((r) => new URL(r.url).pathname.startsWith(`${base}pagefind/`));
  assert.ok(pagefind.length > 0, 'the search loaded nothing from the index');
  const outside = requests.filter((r) => !new URL(r.url).pathname.startsWith(base));
  assert.deepEqual(outside, [], 'requests outside the site path');
});
