// Partners and change in the browser: the register of pledges works with JavaScript off
// (the whole table is there, and each filter is a page of its own), sorting a column with
// JavaScript reorders the rows and says so in a live region, and a page at an old address
// (an alias) takes the browser to the page's new address and passes axe and the Nu HTML
// Checker itself.
//
// The register is read from the built site ($FOLIO_SITE_DIR, the bundled site); the alias
// from a small site this suite builds with $FOLIO_BIN (default: the debug build).
// Run with: node --test changes.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { siteDir, serve, launchChromium, newContext } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const here = dirname(fileURLToPath(import.meta.url));
const FOLIO = process.env.FOLIO_BIN ?? join(here, '..', '..', 'target', 'debug', 'folio');
const REGISTER = '/pledges/';

const page = (title, extra, body) => `---\ntitle: ${title}\n${extra}---\n${body}`;

let browser;
let bundled;
let moved;
let movedServer;

before(async () => {
  assert.ok(existsSync(join(siteDir, 'pledges', 'index.html')), `no register at ${siteDir}${REGISTER}`);
  bundled = await serve();
  // A small site whose contact page moved from /old-contact/.
  moved = mkdtempSync(join(tmpdir(), 'folio-alias-'));
  mkdirSync(join(moved, 'content'), { recursive: true });
  writeFileSync(join(moved, 'site.yaml'), 'title: Alias test\nbase_url: https://alias.example/\norganisation:\n  name: Test Council\n');
  writeFileSync(join(moved, 'content/_index.md'), page('Home', '', 'Welcome.\n'));
  writeFileSync(
    join(moved, 'content/contact.md'),
    page('Contact us', 'aliases:\n  - /old-contact/\n', '## Ways to reach us\n\nWrite to us.\n'),
  );
  execFileSync(FOLIO, ['--root', moved, 'build', '--no-pdf', '--no-search'], { stdio: 'pipe' });
  movedServer = await serve(join(moved, 'public'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await bundled?.close();
  await movedServer?.close();
  if (moved) rmSync(moved, { recursive: true, force: true });
});

/** Each body row's header text, in the order shown. */
const rowTitles = (tab) =>
  tab.$$eval('table[data-register] tbody tr', (rows) => rows.map((r) => r.cells[0].textContent.trim()));

/** Each body row's sort value of column `column`, in the order shown. */
const columnValues = (tab, column) =>
  tab.$$eval(
    'table[data-register] tbody tr',
    (rows, column) => rows.map((r) => r.cells[column].getAttribute('data-sort-value')),
    column,
  );

test('the register works with JavaScript off: the whole table, and a filter is a page', async () => {
  const context = await newContext(browser, bundled.origin, { javaScriptEnabled: false });
  const tab = await context.newPage();
  try {
    await tab.goto(bundled.origin + REGISTER);
    const titles = await rowTitles(tab);
    assert.ok(titles.length > 0, 'the register lists pledges');
    assert.equal(await tab.locator('table[data-register] caption').count(), 1);
    // No buttons without JavaScript: the headers are plain text.
    assert.equal(await tab.locator('table[data-register] thead button').count(), 0);
    // Following a filter shows only the pledges with that value.
    const filter = tab.locator('nav.register-filters li a').first();
    const label = (await filter.innerText()).trim();
    const count = Number(label.match(/\((\d+)\)$/)[1]);
    await filter.click();
    await tab.waitForLoadState('load');
    assert.match(tab.url(), /\/pledges\/[^/]+\/[^/]+\/$/);
    assert.equal((await rowTitles(tab)).length, count, `the view "${label}" shows its pledges only`);
    assert.equal(await tab.locator('nav.register-filters a[aria-current="page"]').count(), 1);
  } finally {
    await context.close();
  }
});

test('sorting a column reorders the rows and announces the new order', async () => {
  const context = await newContext(browser, bundled.origin);
  const tab = await context.newPage();
  try {
    await tab.goto(bundled.origin + REGISTER);
    const status = tab.locator('#folio-register-status');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.equal(await status.innerText(), '');
    const headers = tab.locator('table[data-register] thead th');
    const names = await headers.allInnerTexts();
    const sector = names.findIndex((n) => n.trim() === 'Sector');
    assert.ok(sector > 0, `a Sector column: ${names}`);
    const before = await columnValues(tab, sector);
    const button = headers.nth(sector).locator('button');
    await button.click();
    const ascending = await columnValues(tab, sector);
    assert.deepEqual(ascending, [...before].sort((a, b) => a.localeCompare(b)), 'sorted A to Z');
    assert.equal(await headers.nth(sector).getAttribute('aria-sort'), 'ascending');
    assert.equal(await status.innerText(), 'Sorted by Sector, A to Z.');
    await button.click();
    const descending = await columnValues(tab, sector);
    assert.deepEqual(descending, [...ascending].reverse(), 'sorted Z to A');
    assert.equal(await headers.nth(sector).getAttribute('aria-sort'), 'descending');
    assert.equal(await status.innerText(), 'Sorted by Sector, Z to A.');
    // The first column sorts by title; the buttons are reachable by keyboard.
    const first = headers.nth(0).locator('button');
    await first.focus();
    await tab.keyboard.press('Enter');
    const titles = await rowTitles(tab);
    assert.deepEqual(titles, [...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    assert.equal(await headers.nth(sector).getAttribute('aria-sort'), null, 'one column is sorted at a time');
    // With the rows sorted, the page still passes axe.
    await tab.addScriptTag({ path: AXE_PATH });
    const { violations } = await tab.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    assert.deepEqual(violations.map((v) => v.id), []);
  } finally {
    await context.close();
  }
});

test('an old address takes the browser to the page at its new address', async () => {
  const context = await newContext(browser, movedServer.origin);
  const tab = await context.newPage();
  try {
    await tab.goto(movedServer.origin + '/old-contact/');
    await tab.waitForURL(movedServer.origin + '/contact/', { timeout: 10000 });
    assert.equal(await tab.locator('h1').innerText(), 'Contact us');
  } finally {
    await context.close();
  }
});

test('the page at an old address passes axe, with a link for anyone it does not move', async () => {
  const context = await newContext(browser, movedServer.origin);
  const tab = await context.newPage();
  try {
    // Hold the browser on the old address: the refresh to the new one is stopped.
    let first = true;
    await tab.route('**/*', (route) => {
      const request = route.request();
      // A navigation answered "204 No Content" leaves the page as it is (an aborted one
      // would show the browser's error page instead).
      if (request.isNavigationRequest() && !first) return route.fulfill({ status: 204 });
      first = false;
      return route.fallback();
    });
    await tab.goto(movedServer.origin + '/old-contact/');
    assert.equal(await tab.locator('main a[href="/contact/"]').count(), 1);
    await tab.addScriptTag({ path: AXE_PATH });
    const { violations } = await tab.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), []);
  } finally {
    await context.close();
  }
});

test('the page at an old address is valid HTML', async () => {
  const file = join(moved, 'public', 'old-contact', 'index.html');
  const stdout = await new Promise((ok, fail) => {
    execFile('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', file], (err, out, stderr) => {
      if (out.trim().startsWith('{')) ok(out);
      else fail(new Error(`vnu.jar did not run: ${err?.message ?? ''}\n${stderr}`));
    });
  });
  const errors = JSON.parse(stdout).messages.filter((m) => m.type === 'error');
  assert.deepEqual(errors.map((m) => m.message), []);
});
