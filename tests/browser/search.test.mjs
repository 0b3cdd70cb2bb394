// Site search in headless Chromium, on the built site:
//  - a word that appears in exactly one chapter (and no other page) finds that chapter
//    first, and the result can be followed with the keyboard
//  - a word from no page says so clearly, in the live region
//  - the search page with results passes axe (WCAG 2.2 A/AA and best practice)
//  - the header's search box leads to the search page with JavaScript, and to the A to Z
//    of pages without it
//  - on a site large enough for its index to come in shards, a page's own word finds it
//    whichever shard it is in, and a word on every page counts every page
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/); the large site
// is generated and built here with $FOLIO_BIN (default: the debug build).
// Run with: node --test search.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteDir, htmlFiles, urlPathFor, serve, launchChromium, newContext } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const FINDING_AIDS = new Set(['/search/', '/a-z/', '/404.html']);
const FOLIO = process.env.FOLIO_BIN ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'debug', 'folio');

let server;
let browser;
let context;
let noScript;

before(async () => {
  server = await serve();
  browser = await launchChromium();
  context = await newContext(browser, server.origin, { viewport: { width: 1280, height: 900 } });
  noScript = await newContext(browser, server.origin, {
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: false,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A word of seven letters or more whose first six letters (so that word endings do not
 * matter) appear in the main content of exactly one page, that page being a booklet
 * chapter, and that page.
 */
async function distinctiveWord() {
  const pages = htmlFiles()
    .map((file) => urlPathFor(file))
    .filter((path) => !FINDING_AIDS.has(path) && !path.startsWith('/glossary'));
  const stems = new Map();
  const chapters = new Set();
  const tab = await context.newPage();
  try {
    for (const path of pages) {
      await tab.goto(server.origin + path);
      if (await tab.evaluate(() => document.body.classList.contains('kind-chapter'))) {
        chapters.add(path);
      }
      const text = await tab.evaluate(() => document.querySelector('main').innerText);
      for (const word of new Set(text.toLowerCase().match(/\b[a-z]{7,}\b/g) ?? [])) {
        const stem = word.slice(0, 6);
        const entry = stems.get(stem) ?? { word, paths: new Set() };
        entry.paths.add(path);
        stems.set(stem, entry);
      }
    }
  } finally {
    await tab.close();
  }
  const unique = [...stems.values()]
    .filter((e) => e.paths.size === 1 && chapters.has([...e.paths][0]))
    .sort((a, b) => a.word.localeCompare(b.word));
  assert.ok(chapters.size > 0, 'no page is a booklet chapter');
  assert.ok(unique.length > 0, 'no word appears in exactly one chapter and nowhere else');
  const pick = unique[Math.floor(unique.length / 2)];
  return { word: pick.word, path: [...pick.paths][0] };
}

async function search(page, query, origin = server.origin) {
  await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() !== '');
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent.trim(),
    results: [...document.querySelectorAll('#search-results a')].map((a) => a.getAttribute('href')),
  }));
}

test('a word from one page finds that page first, and the keyboard follows it', async () => {
  const { word, path } = await distinctiveWord();
  const page = await context.newPage();
  try {
    const found = await search(page, word);
    assert.ok(found.results.length > 0, `no results for "${word}" (${found.status})`);
    assert.equal(found.results[0], path, `"${word}" is only on ${path}, but the first result is ${found.results[0]}`);
    assert.match(found.status, /\d+ results? for/);

    // From the search box, Tab moves through the button to the first result; Enter opens it.
    await page.focus('#search-query');
    let onResult = false;
    for (let i = 0; i < 5 && !onResult; i++) {
      await page.keyboard.press('Tab');
      onResult = await page.evaluate(
        (href) => document.activeElement?.matches('#search-results a') && document.activeElement.getAttribute('href') === href,
        path,
      );
    }
    assert.ok(onResult, 'the first result cannot be reached with Tab');
    await Promise.all([page.waitForURL(`${server.origin}${path}`), page.keyboard.press('Enter')]);
  } finally {
    await page.close();
  }
});

test('a word from no page says there are no results', async () => {
  const page = await context.newPage();
  try {
    const found = await search(page, 'zzqxvbnoword');
    assert.deepEqual(found.results, []);
    assert.match(found.status, /^No results for “zzqxvbnoword”/);
    const live = await page.getAttribute('#search-status', 'aria-live');
    assert.equal(live, 'polite');
  } finally {
    await page.close();
  }
});

test('the search page with results passes axe', async () => {
  const { word } = await distinctiveWord();
  const page = await context.newPage();
  try {
    await search(page, word);
    await page.addScriptTag({ path: AXE_PATH });
    const { violations } = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
    );
  } finally {
    await page.close();
  }
});

test('the header search box goes to search with JavaScript and to the A to Z without', async () => {
  for (const [ctx, expected] of [
    [context, '/search/'],
    [noScript, '/a-z/'],
  ]) {
    const page = await ctx.newPage();
    try {
      await page.goto(server.origin + '/');
      await page.fill('#site-search', 'school');
      await Promise.all([page.waitForURL(/q=school/), page.press('#site-search', 'Enter')]);
      assert.equal(new URL(page.url()).pathname, expected);
      if (expected === '/a-z/') {
        const listed = await page.$$eval('.a-z__list a', (links) => links.length);
        assert.ok(listed > 10, `the A to Z lists only ${listed} pages`);
      }
    } finally {
      await page.close();
    }
  }
});

/**
 * Page n's own made-up word: `marker`, its number with each digit a letter, and `x`, which
 * no stemmer takes off, so that no page's word begins another's (Pagefind matches the last
 * word of a query as a prefix).
 */
const marker = (n) => `marker${String(n).padStart(4, '0').replace(/\d/g, (d) => String.fromCharCode(98 + Number(d)))}x`;

test('a large site searches every shard of its index', async () => {
  const PAGES = 2100;
  const root = mkdtempSync(join(tmpdir(), 'folio-shards-'));
  let large;
  try {
    mkdirSync(join(root, 'content', 'notes'), { recursive: true });
    writeFileSync(join(root, 'site.yaml'), 'title: Shards test\nbase_url: https://shards.example/\norganisation:\n  name: Test Council\n');
    writeFileSync(join(root, 'content/_index.md'), '---\ntitle: Home\n---\nWelcome.\n');
    for (let n = 0; n < PAGES; n++) {
      const name = String(n).padStart(4, '0');
      writeFileSync(join(root, `content/notes/note-${name}.md`), `---\ntitle: Note ${n}\n---\nA short note about ${marker(n)}.\n`);
    }
    execFileSync(FOLIO, ['--root', root, 'build', '--no-pdf'], { stdio: 'pipe' });
    const index = join(root, 'public', 'pagefind');
    const shards = JSON.parse(readFileSync(join(index, 'shards.json'), 'utf8'));
    assert.ok(shards.length >= 2, `one shard only: ${JSON.stringify(shards)}`);
    large = await serve(join(root, 'public'));
    // A note from each shard, read from the shard's own records (gzipped JSON after
    // Pagefind's signature).
    const noteOf = (folder) => {
      for (const file of readdirSync(join(index, folder, 'fragment'))) {
        const bytes = gunzipSync(readFileSync(join(index, folder, 'fragment', file)));
        const { url } = JSON.parse(bytes.subarray('pagefind_dcd'.length).toString('utf8'));
        const note = url.match(/^\/notes\/note-(\d{4})\/$/);
        if (note) return Number(note[1]);
      }
      assert.fail(`shard ${folder || 'first'} has no note`);
    };
    const reaching = await newContext(browser, large.origin, { viewport: { width: 1280, height: 900 } });
    const page = await reaching.newPage();
    try {
      for (const n of ['', ...shards].map(noteOf)) {
        const found = await search(page, marker(n), large.origin);
        assert.deepEqual(found.results, [`/notes/note-${String(n).padStart(4, '0')}/`], `${marker(n)}: ${found.status}`);
      }
      const every = await search(page, 'short note', large.origin);
      assert.match(every.status, new RegExp(`^${PAGES} results for`), every.status);
    } finally {
      await reaching.close();
    }
  } finally {
    await large?.close();
    rmSync(root, { recursive: true, force: true });
  }
});

assert.ok(siteDir);
