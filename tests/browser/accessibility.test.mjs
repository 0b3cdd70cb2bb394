// Visits every page of a built folio site in headless Chromium and checks it:
//  - axe-core (WCAG 2.0/2.1/2.2 A and AA, and best practice): zero violations
//  - the first Tab focuses the skip link, and following it moves focus to <main>
//  - no horizontal scrolling at a 320 px wide viewport (WCAG 1.4.10 reflow)
//  - with JavaScript disabled the page still shows its one h1 and its main content
//  - in the dark colour scheme axe's color-contrast rule passes too
//  - every stylesheet, image and script a page loads exists
// and, once every page has been visited, that every link within the site leads to a
// page (and #fragment) that exists.
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/).
// Run with: node --test accessibility.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  siteDir,
  htmlFiles,
  urlPathFor,
  serve,
  launchChromium,
  newContext,
} from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

assert.ok(existsSync(siteDir), `no built site at ${siteDir} (set FOLIO_SITE_DIR)`);
const pages = htmlFiles().map((file) => ({ file, path: urlPathFor(file) }));
assert.ok(pages.length > 0, `no .html files under ${siteDir}`);

let server;
let browser;
const contexts = {};
/** path -> ids on that page; and every same-site link seen: { from, href } */
const idsByPath = new Map();
const links = [];

before(async () => {
  server = await serve();
  browser = await launchChromium();
  contexts.light = await newContext(browser, server.origin, { viewport: { width: 1280, height: 900 } });
  contexts.dark = await newContext(browser, server.origin, {
    viewport: { width: 1280, height: 900 },
    colorScheme: 'dark',
  });
  contexts.narrow = await newContext(browser, server.origin, { viewport: { width: 320, height: 640 } });
  contexts.noScript = await newContext(browser, server.origin, {
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: false,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path` in a new tab of `context`; the caller closes it. */
async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(server.origin + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  assert.ok(response.status() < 400 || path.endsWith('404.html'), `${path}: HTTP ${response.status()}`);
  return page;
}

async function runAxe(page, runOnly) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(
    (runOnly) => window.axe.run(document, { runOnly, resultTypes: ['violations'] }),
    runOnly,
  );
}

/** Formats axe violations so that a failure says what to fix and where. */
function describeViolations(path, violations) {
  const lines = [`${path}: ${violations.length} axe violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}`);
    lines.push(`      ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target.join(' ')}`);
      lines.push(`      ${node.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      const summary = (node.failureSummary ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      for (const s of summary) lines.push(`      ${s}`);
    }
  }
  return lines.join('\n');
}

for (const { path } of pages) {
  test(`page ${path}`, async (t) => {
    await t.test('axe: no WCAG 2.2 A/AA or best-practice violations (light scheme)', async () => {
      const page = await open(contexts.light, path);
      try {
        const { violations } = await runAxe(page, { type: 'tag', values: AXE_TAGS });
        if (violations.length) assert.fail(describeViolations(path, violations));
      } finally {
        await page.close();
      }
    });

    await t.test('axe: colour contrast passes in the dark scheme', async () => {
      const page = await open(contexts.dark, path);
      try {
        const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
        assert.ok(dark, 'the dark colour scheme was not applied');
        const { violations } = await runAxe(page, { type: 'rule', values: ['color-contrast'] });
        if (violations.length) assert.fail(describeViolations(`${path} (dark)`, violations));
      } finally {
        await page.close();
      }
    });

    await t.test('keyboard: first Tab focuses the skip link, which moves focus to main', async () => {
      const page = await open(contexts.light, path);
      try {
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            className: el.className,
            href: el.getAttribute('href'),
            text: el.textContent.trim(),
            width: box.width,
            height: box.height,
          };
        });
        assert.equal(first.tag, 'a', `first Tab focused <${first.tag} class="${first.className}">, not the skip link`);
        assert.match(first.href ?? '', /^#./, `first focusable link "${first.text}" is not an in-page skip link`);
        assert.ok(first.width > 1 && first.height > 1, 'the skip link is not visible when it has focus');
        const targetId = first.href.slice(1);
        const target = await page.evaluate((id) => {
          const el = document.getElementById(id);
          return el ? { tag: el.tagName.toLowerCase() } : null;
        }, targetId);
        assert.ok(target, `the skip link points at #${targetId}, which does not exist`);
        assert.equal(target.tag, 'main', `the skip link points at a <${target.tag}>, not <main>`);

        await page.keyboard.press('Enter');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return { tag: el.tagName.toLowerCase(), inMain: !!el.closest('main') };
        });
        assert.ok(focused.inMain, `after following the skip link focus is on <${focused.tag}>, not in main`);
      } finally {
        await page.close();
      }
    });

    await t.test('reflow: no horizontal scrolling at 320 CSS pixels', async () => {
      const page = await open(contexts.narrow, path);
      try {
        const m = await page.evaluate(() => {
          const root = document.scrollingElement;
          const vw = root.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.right <= vw + 1) return false;
              // only report the outermost culprits, not everything inside a scroller
              for (let p = el.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return false;
              }
              return true;
            })
            .slice(0, 5)
            .map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> right edge ${Math.round(el.getBoundingClientRect().right)}px`);
          return { scrollWidth: root.scrollWidth, clientWidth: vw, wide };
        });
        assert.ok(
          m.scrollWidth <= m.clientWidth,
          `page is ${m.scrollWidth}px wide in a ${m.clientWidth}px viewport; too wide: ${m.wide.join('; ')}`,
        );
      } finally {
        await page.close();
      }
    });

    await t.test('works with JavaScript disabled: one h1 and main content are shown', async () => {
      const page = await open(contexts.noScript, path);
      try {
        const h1 = page.locator('h1');
        assert.equal(await h1.count(), 1, 'expected exactly one h1');
        assert.ok(await h1.isVisible(), 'the h1 is not visible');
        assert.ok((await h1.innerText()).trim().length > 0, 'the h1 is empty');
        const main = page.locator('main');
        assert.equal(await main.count(), 1, 'expected exactly one main');
        assert.ok(await main.isVisible(), 'main is not visible');
        const text = (await main.innerText()).trim();
        assert.ok(text.length > (await h1.innerText()).trim().length, 'main shows nothing but its heading');
      } finally {
        await page.close();
      }
    });

    await t.test('every stylesheet, image and script it loads exists', async () => {
      const page = await contexts.noScript.newPage();
      const failures = [];
      page.on('response', (r) => {
        if (r.request().resourceType() !== 'document' && r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
      });
      page.on('requestfailed', (r) => {
        if (r.url().startsWith(server.origin)) failures.push(`failed ${r.url()}`);
      });
      try {
        await page.goto(server.origin + path, { waitUntil: 'load' });
        const found = await page.evaluate(() => ({
          ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
          hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.href),
        }));
        idsByPath.set(path, new Set(found.ids));
        for (const href of found.hrefs) if (href.startsWith(server.origin + '/')) links.push({ from: path, href });
        assert.deepEqual(failures, [], `missing resources on ${path}`);
      } finally {
        await page.close();
      }
    });
  });
}

/** The page path a URL path is served from, as in the static server: "/a/" for "/a". */
function pagePathFor(urlPath) {
  const file = join(siteDir, decodeURIComponent(urlPath));
  if (existsSync(file) && statSync(file).isDirectory()) {
    return urlPath.endsWith('/') ? urlPath : urlPath + '/';
  }
  return urlPath;
}

test('every link within the site leads to a page and #fragment that exist', () => {
  const broken = [];
  for (const { from, href } of links) {
    const url = new URL(href);
    const file = join(siteDir, decodeURIComponent(url.pathname));
    const isDir = existsSync(file) && statSync(file).isDirectory();
    if (!(isDir ? existsSync(join(file, 'index.html')) : existsSync(file))) {
      broken.push(`${from}: ${url.pathname} does not exist`);
      continue;
    }
    const fragment = decodeURIComponent(url.hash.slice(1));
    const ids = idsByPath.get(pagePathFor(url.pathname));
    if (fragment && ids && !ids.has(fragment)) broken.push(`${from}: ${url.pathname}#${fragment}: no such id`);
  }
  assert.deepEqual([...new Set(broken)], [], 'broken links');
});
