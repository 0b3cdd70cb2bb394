// Visits every page of a built folio site in headless Chromium and checks it:
//  - axe-core (WCAG 2.0/2.1/2.2 A and AA, and best practice): zero violations
//  - the first Tab focuses the skip link, and following it moves focus to <main>
//  - no horizontal scrolling at a 320 px wide viewport (WCAG 1.4.10 reflow)
//  - with JavaScript disabled the page still shows its one h1 and its main content
//  - in the dark colour scheme axe's color-contrast rule passes too
//  - every stylesheet, image and script a page loads exists
// and, once every page has been visited, that every link within the site leads to a
// page (and #fragment) that exists. On a few representative pages it also checks:
//  - print: the header navigation is hidden and a link's address is printed after it
//  - prefers-reduced-motion: no transitions or animations, and no smooth scrolling
//  - focus appearance (WCAG 2.4.11/2.4.13): every element Tab reaches has an outline or
//    box-shadow at least 2 CSS px thick that contrasts 3:1 with what is behind it
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/).
// Run with: node --test accessibility.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
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
  contexts.reducedMotion = await newContext(browser, server.origin, {
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Pages at old addresses (aliases), which send the browser on at once: the first column
 *  of the site's `_redirects` file, when it has one. */
const redirectsFile = join(siteDir, '_redirects');
const redirects = new Set(
  existsSync(redirectsFile)
    ? readFileSync(redirectsFile, 'utf8')
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0])
        .filter(Boolean)
        .flatMap((old) => (old.endsWith('/') ? [old, `${old}index.html`] : [old]))
    : [],
);

/** Opens `path` in a new tab of `context`; the caller closes it. */
async function open(context, path) {
  const page = await context.newPage();
  if (redirects.has(path)) {
    // Hold the browser on the old address to check the page there: its refresh is stopped.
    let first = true;
    await page.route('**/*', (route) => {
      // A navigation answered "204 No Content" leaves the page as it is (an aborted one
      // would show the browser's error page instead).
      if (route.request().isNavigationRequest() && !first) return route.fulfill({ status: 204 });
      first = false;
      return route.fallback();
    });
  }
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

// ---------------------------------------------------------------- representative pages

/** The home page, the accessibility statement, and the first chapter of a booklet. */
const representative = (() => {
  const paths = pages.map((p) => p.path);
  const chapter = paths.find((p) => /^\/[^/]+\/[^/]+\/$/.test(p));
  return ['/', '/accessibility/', chapter].filter((p) => p && paths.includes(p));
})();

test('there are representative pages to check', () => {
  assert.equal(representative.length, 3, `found only ${representative.join(', ')}`);
});

/** A computed colour as [r, g, b, a] (0-255, alpha 0-1). */
function parseColour(css) {
  const m = css.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const [r, g, b, a = '1'] = m[1].split(/[\s,/]+/).filter(Boolean);
  return [Number(r), Number(g), Number(b), Number(a)];
}

/** WCAG 2.x contrast ratio of two opaque colours. */
function contrast(a, b) {
  const lum = ([r, g, b]) => {
    const lin = (c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` (with alpha) laid over the opaque colour `under`. */
function over(top, under) {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
}

/** The layers of a computed box-shadow: colour, x, y, blur, spread, inset. */
function parseShadows(css) {
  if (!css || css === 'none') return [];
  return css.split(/,(?![^(]*\))/).map((layer) => {
    const colour = parseColour(layer);
    const lengths = layer.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g)?.map(parseFloat) ?? [];
    const [x = 0, y = 0, blur = 0, spread = 0] = lengths;
    return { colour, x, y, blur, spread, inset: /\binset\b/.test(layer) };
  });
}

/**
 * The focus indicator of the focused element: its outline and box-shadow, its own
 * background, and the backgrounds next to it. Those are sampled just outside the
 * indicator on each side that is on screen (the element there and its ancestors' background
 * colours), since a link in a dark header sits on the header, and the skip link, full width
 * at the top of the page, sits above it.
 */
function focusedStyle() {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const backgrounds = (node) => {
    const found = [];
    for (let p = node; p; p = p.parentElement) found.push(getComputedStyle(p).backgroundColor);
    return found;
  };
  const outlineReach = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
  const shadowReach = Math.max(0, ...(s.boxShadow.match(/-?[\d.]+px/g) ?? []).map((v) => Math.abs(parseFloat(v))));
  const gap = Math.max(outlineReach, shadowReach) + 1;
  const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
  const adjacent = [];
  for (const [x, y] of [
    [cx, box.top - gap],
    [cx, box.bottom + gap],
    [box.left - gap, cy],
    [box.right + gap, cy],
  ]) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit)) adjacent.push(backgrounds(hit));
  }
  if (adjacent.length === 0 && el.parentElement) adjacent.push(backgrounds(el.parentElement));
  return {
    what: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.className ? ` class="${el.className}"` : ''}> ${(el.textContent || el.value || '').trim().slice(0, 40)}`,
    tag: el.tagName.toLowerCase(),
    inMain: !!el.closest('main'),
    inHeader: !!el.closest('header'),
    visible: box.width > 0 && box.height > 0,
    outlineStyle: s.outlineStyle,
    outlineWidth: parseFloat(s.outlineWidth),
    outlineColor: s.outlineColor,
    boxShadow: s.boxShadow,
    own: s.backgroundColor,
    adjacent,
  };
}

/** A list of background colours, innermost first, composited onto white. */
function composite(backgrounds) {
  let colour = [255, 255, 255, 1];
  for (const css of [...backgrounds].reverse()) {
    const c = parseColour(css);
    if (c) colour = over(c, colour);
  }
  return colour;
}

/** Why the focus indicator is not enough, or null when it is. */
function focusProblem(f) {
  const around = f.adjacent.map(composite);
  const ownColour = parseColour(f.own);
  // An inset shadow is drawn on the element's own background.
  const inside = ownColour ? around.map((c) => over(ownColour, c)) : around;
  const worst = (colour, against) => Math.min(...against.map((c) => contrast(over(colour, c), c)));
  const found = [];
  const outline = parseColour(f.outlineColor);
  if (f.outlineStyle !== 'none' && f.outlineWidth >= 2 && outline && outline[3] > 0) {
    const ratio = worst(outline, around);
    if (ratio >= 3) return null;
    found.push(`outline ${f.outlineWidth}px at ${ratio.toFixed(2)}:1`);
  }
  for (const shadow of parseShadows(f.boxShadow)) {
    const thickness = Math.max(Math.abs(shadow.x), Math.abs(shadow.y), shadow.spread);
    if (!shadow.colour || shadow.colour[3] === 0 || thickness < 2) continue;
    const ratio = worst(shadow.colour, shadow.inset ? inside : around);
    if (ratio >= 3) return null;
    found.push(`box-shadow ${thickness}px at ${ratio.toFixed(2)}:1`);
  }
  const next = around.map((c) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`).join(', ');
  return `${f.what}: no outline or box-shadow of 2px or more at 3:1 against ${next} (${found.join('; ') || 'none'}; outline ${f.outlineStyle} ${f.outlineWidth}px ${f.outlineColor}, box-shadow ${f.boxShadow})`;
}

for (const path of representative) {
  test(`representative page ${path}`, async (t) => {
    await t.test('print: no header navigation, and link addresses after link text', async () => {
      const page = await open(contexts.light, path);
      try {
        await page.emulateMedia({ media: 'print' });
        const printed = await page.evaluate(() => {
          const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.checkVisibility();
          const header = document.querySelector('header');
          const links = [...document.querySelectorAll('main a[href]')]
            .filter((a) => !a.closest('nav') && /^(\/[^/]|https?:|mailto:)/.test(a.getAttribute('href')))
            .filter((a) => shown(a));
          return {
            print: matchMedia('print').matches,
            nav: [...document.querySelectorAll('nav[aria-label="Main"], header nav, header form')].map((el) => ({
              label: el.getAttribute('aria-label'),
              shown: shown(el),
            })),
            headerShown: shown(header),
            links: links.slice(0, 10).map((a) => ({
              href: a.getAttribute('href'),
              text: a.textContent.trim(),
              after: getComputedStyle(a, '::after').content,
            })),
          };
        });
        assert.ok(printed.print, 'the print medium was not applied');
        assert.ok(printed.headerShown, 'the header (the site name) should still print');
        assert.ok(printed.nav.length > 0, 'no header navigation found');
        for (const nav of printed.nav) assert.equal(nav.shown, false, `"${nav.label}" prints`);
        assert.ok(printed.links.length > 0, `${path}: no content link to check`);
        for (const link of printed.links) {
          // Chromium resolves attr() and var(): the computed content is the printed text.
          const m = link.after.match(/^" \((.+)\)"$/);
          assert.ok(m, `"${link.text}" (${link.href}) prints no address after it: content is ${link.after}`);
          const printedUrl = m[1];
          assert.ok(
            printedUrl.endsWith(link.href) && /^(https?:|mailto:)/.test(printedUrl),
            `"${link.text}" prints ${printedUrl}, not the full address of ${link.href}`,
          );
        }
      } finally {
        await page.close();
      }
    });

    await t.test('prefers-reduced-motion: no transitions, animations or smooth scrolling', async () => {
      const page = await open(contexts.reducedMotion, path);
      try {
        const motion = await page.evaluate(() => {
          const seconds = (list) =>
            Math.max(...list.split(',').map((v) => (v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v))));
          const interactive = [
            ...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'),
          ];
          const slow = [];
          for (const el of interactive) {
            for (const pseudo of [null, '::before', '::after']) {
              const s = getComputedStyle(el, pseudo);
              const longest = Math.max(seconds(s.transitionDuration), seconds(s.animationDuration));
              if (longest > 0.001) slow.push(`<${el.tagName.toLowerCase()} class="${el.className}">${pseudo ?? ''} ${longest}s`);
            }
          }
          return {
            reduce: matchMedia('(prefers-reduced-motion: reduce)').matches,
            count: interactive.length,
            slow,
            scroll: getComputedStyle(document.documentElement).scrollBehavior,
          };
        });
        assert.ok(motion.reduce, 'prefers-reduced-motion: reduce was not applied');
        assert.ok(motion.count > 3, `only ${motion.count} interactive elements`);
        assert.deepEqual(motion.slow, [], 'elements that still move');
        assert.notEqual(motion.scroll, 'smooth', 'scrolling is still smooth');
      } finally {
        await page.close();
      }
    });

    for (const scheme of ['light', 'dark']) {
      await t.test(`focus appearance (${scheme} scheme): a thick, contrasting indicator on every Tab stop`, async () => {
        const page = await open(contexts[scheme], path);
        try {
          const seen = [];
          const problems = [];
          for (let i = 0; i < 40; i++) {
            await page.keyboard.press('Tab');
            const f = await page.evaluate(focusedStyle);
            if (f.tag === 'body') break;
            assert.ok(f.visible, `${f.what} has focus but takes up no space`);
            seen.push(f);
            const problem = focusProblem(f);
            if (problem) problems.push(problem);
          }
          assert.deepEqual(problems, [], `${path} (${scheme}): weak focus indicators`);
          const kinds = {
            'a link in the header': seen.some((f) => f.tag === 'a' && f.inHeader),
            'a link in main': seen.some((f) => f.tag === 'a' && f.inMain),
            'the search box': seen.some((f) => f.tag === 'input'),
            'a button': seen.some((f) => f.tag === 'button'),
          };
          for (const [what, found] of Object.entries(kinds)) {
            assert.ok(found, `Tab did not reach ${what} in ${seen.length} steps on ${path}`);
          }
        } finally {
          await page.close();
        }
      });
    }
  });
}
