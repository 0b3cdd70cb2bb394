// `folio serve` in headless Chromium: an edit to the Markdown shows in the open page
// without a manual reload, and a broken page brings up an accessible error overlay that
// goes away when the error is fixed. A stylesheet change swaps the styles in place, and a
// reload after an edit keeps the reader's scroll position.
//
// The folio binary is $FOLIO_BIN (tests/run-all sets it).
// Run with: node --test serve.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { launchChromium, newContext } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const FOLIO = process.env.FOLIO_BIN;

const page = (title, extra, body) => `---\ntitle: ${title}\n${extra}---\n${body}`;

let site;
let server;
let origin;
let browser;
let context;

before(async () => {
  assert.ok(FOLIO, 'set FOLIO_BIN to the folio binary');
  site = mkdtempSync(join(tmpdir(), 'folio-serve-'));
  mkdirSync(join(site, 'content/guide'), { recursive: true });
  writeFileSync(join(site, 'site.yaml'), 'title: Serve test\nbase_url: https://serve.example/\norganisation:\n  name: Test Council\n');
  writeFileSync(join(site, 'content/_index.md'), page('Home', '', 'Welcome.\n'));
  writeFileSync(join(site, 'content/guide/_index.md'), page('The guide', 'kind: booklet\n', 'The overview.\n'));
  writeFileSync(join(site, 'content/guide/one.md'), page('Chapter one', 'order: 1\n', 'The first version.\n'));
  mkdirSync(join(site, 'static'), { recursive: true });
  writeFileSync(join(site, 'static/extra.css'), 'p { margin-top: 1em; }\n');

  server = spawn(FOLIO, ['--root', site, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  origin = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`folio serve did not start:\n${out}`)), 60000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (found) {
        clearTimeout(timer);
        ok(found[1]);
      }
    });
    server.on('exit', (code) => fail(new Error(`folio serve exited with ${code}:\n${out}`)));
  });
  browser = await launchChromium();
  context = await newContext(browser, origin, { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  if (site) rmSync(site, { recursive: true, force: true });
});

test('an edit to the Markdown shows without a manual reload', async () => {
  const tab = await context.newPage();
  try {
    await tab.goto(origin + '/guide/one/');
    assert.match(await tab.innerText('main'), /The first version\./);
    writeFileSync(join(site, 'content/guide/one.md'), page('Chapter one', 'order: 1\n', 'The second version.\n'));
    await tab.waitForFunction(() => document.querySelector('main')?.innerText.includes('The second version.'), null, {
      timeout: 20000,
    });
  } finally {
    await tab.close();
  }
});

test('a broken page shows an accessible overlay that clears when fixed', async () => {
  const tab = await context.newPage();
  try {
    await tab.goto(origin + '/guide/one/');
    writeFileSync(join(site, 'content/guide/one.md'), '---\ntitle: [Chapter one\n---\nBroken.\n');
    await tab.waitForSelector('#folio-errors', { timeout: 20000 });
    const overlay = await tab.evaluate(() => {
      const el = document.getElementById('folio-errors');
      return {
        role: el.getAttribute('role'),
        focused: document.activeElement === el,
        text: el.innerText,
      };
    });
    assert.equal(overlay.role, 'alert');
    assert.ok(overlay.focused, 'focus did not move to the overlay');
    assert.match(overlay.text, /content\/guide\/one\.md:2/);

    await tab.addScriptTag({ path: AXE_PATH });
    const { violations } = await tab.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
    );

    await tab.keyboard.press('Escape');
    assert.equal(await tab.$('#folio-errors'), null, 'Escape did not close the overlay');

    // Broken again, then fixed: the overlay comes back, then goes away by itself.
    writeFileSync(join(site, 'content/guide/one.md'), '---\ntitle: [Chapter one again\n---\nBroken.\n');
    await tab.waitForSelector('#folio-errors', { timeout: 20000 });
    writeFileSync(join(site, 'content/guide/one.md'), page('Chapter one', 'order: 1\n', 'Fixed.\n'));
    await tab.waitForFunction(
      () => !document.getElementById('folio-errors') && document.querySelector('main')?.innerText.includes('Fixed.'),
      null,
      { timeout: 20000 },
    );
  } finally {
    await tab.close();
  }
});

test('a stylesheet change swaps the styles without reloading the page', async () => {
  const tab = await context.newPage();
  try {
    await tab.goto(origin + '/guide/one/');
    // Anything set on the page survives only if the page is not reloaded.
    await tab.evaluate(() => {
      window.folioMarker = 'still here';
    });
    writeFileSync(join(site, 'static/extra.css'), 'p { margin-top: 2em; }\n');
    await tab.waitForFunction(
      () => {
        const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
        return links.length > 0 && links.every((link) => link.href.includes('folio-reload='));
      },
      null,
      { timeout: 20000 },
    );
    assert.equal(await tab.evaluate(() => window.folioMarker), 'still here', 'the page was reloaded');
  } finally {
    await tab.close();
  }
});

test('a reload after an edit keeps the scroll position', async () => {
  const long = (marker) =>
    Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of a long chapter.`).join('\n\n') + `\n\n${marker}\n`;
  writeFileSync(join(site, 'content/guide/one.md'), page('Chapter one', 'order: 1\n', long('First long version.')));
  const tab = await context.newPage();
  try {
    await tab.goto(origin + '/guide/one/');
    await tab.waitForFunction(() => document.querySelector('main')?.innerText.includes('First long version.'), null, {
      timeout: 20000,
    });
    await tab.evaluate(() => scrollTo(0, 800));
    assert.equal(await tab.evaluate(() => Math.round(scrollY)), 800);
    writeFileSync(join(site, 'content/guide/one.md'), page('Chapter one', 'order: 1\n', long('Second long version.')));
    await tab.waitForFunction(
      () => document.querySelector('main')?.innerText.includes('Second long version.') && Math.round(scrollY) === 800,
      null,
      { timeout: 20000 },
    );
  } finally {
    await tab.close();
  }
});

test("a page's warnings show in a panel that the keyboard reaches, passes axe and clears when fixed", async () => {
  writeFileSync(
    join(site, 'content/guide/two.md'),
    page('Chapter two', 'order: 2\n', 'The team\u2019s number is TBC: the phone number.\n'),
  );
  const tab = await context.newPage();
  try {
    // The chapter appears once the site has rebuilt with it.
    await tab.waitForTimeout(300);
    for (let i = 0; i < 40; i++) {
      const response = await tab.goto(origin + '/guide/two/');
      if (response.status() === 200) break;
      await tab.waitForTimeout(250);
    }
    await tab.waitForSelector('#folio-warnings', { timeout: 20000 });
    const text = await tab.innerText('#folio-warnings');
    assert.match(text, /1 warning on this page/);
    assert.match(text, /placeholder, line 5: placeholder: the phone number/);

    // After the skip link and the site's own controls, Tab reaches the panel's button.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await tab.keyboard.press('Tab');
      reached = await tab.evaluate(() => document.activeElement?.closest('#folio-warnings') !== null);
    }
    assert.ok(reached, 'Tab never reached the warnings panel');

    await tab.addScriptTag({ path: AXE_PATH });
    const { violations } = await tab.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
    );

    // Fixed, the page reloads without the panel.
    writeFileSync(join(site, 'content/guide/two.md'), page('Chapter two', 'order: 2\n', 'The team\u2019s number is 0100 000 0000.\n'));
    await tab.waitForFunction(
      () => document.querySelector('main')?.innerText.includes('0100 000 0000') && !document.getElementById('folio-warnings'),
      null,
      { timeout: 20000 },
    );
    // Broken again and hidden by the reader, it stays hidden after a reload.
    writeFileSync(join(site, 'content/guide/two.md'), page('Chapter two', 'order: 2\n', 'The number is TBC: the phone number.\n'));
    await tab.waitForSelector('#folio-warnings', { timeout: 20000 });
    await tab.click('#folio-warnings button');
    assert.equal(await tab.$('#folio-warnings'), null);
    await tab.reload();
    await tab.waitForTimeout(500);
    assert.equal(await tab.$('#folio-warnings'), null, 'a hidden panel came back');
  } finally {
    await tab.close();
  }
});
