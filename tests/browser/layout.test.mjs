// The theme's layout, as a reader sees it, on every page of a built folio site:
//  - at 1,280 and 1,920 px the main content starts where the header's content starts
//  - at 320 px nothing scrolls sideways
//  - every button's text contrasts 4.5:1 with the button, and the button's edge (its fill
//    or its border) 3:1 with what is around it, in the light and dark schemes: colours
//    read from the computed styles, not from the stylesheet
// and on one page, at 375 px, with JavaScript on and off: the main menu is a closed
// disclosure that the keyboard opens, after which Tab reaches its links.
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { siteDir, htmlFiles, urlPathFor, serve, launchChromium, newContext } from './lib/site.mjs';

const pages = htmlFiles().map((file) => urlPathFor(file));
assert.ok(pages.length > 0, `no .html files under ${siteDir}`);

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(options, path, body) {
  const context = await newContext(browser, server.origin, options);
  try {
    const page = await context.newPage();
    await page.goto(server.origin + path, { waitUntil: 'load' });
    return await body(page);
  } finally {
    await context.close();
  }
}

for (const width of [1280, 1920]) {
  test(`at ${width} px the main content lines up with the header on every page`, async () => {
    const context = await newContext(browser, server.origin, { viewport: { width, height: 900 } });
    const page = await context.newPage();
    const wrong = [];
    try {
      for (const path of pages) {
        await page.goto(server.origin + path, { waitUntil: 'load' });
        const edges = await page.evaluate(() => {
          const left = (selector) => document.querySelector(selector)?.getBoundingClientRect().left;
          return { header: left('.header__brand'), main: left('main'), nav: left('.service-nav__list') };
        });
        assert.ok(edges.header !== undefined && edges.main !== undefined, `${path}: no header or main`);
        if (Math.abs(edges.header - edges.main) > 0.5) {
          wrong.push(`${path}: header at x=${edges.header}, main content at x=${edges.main}`);
        }
        if (edges.nav !== undefined && Math.abs(edges.header - edges.nav) > 0.5) {
          wrong.push(`${path}: header at x=${edges.header}, main menu at x=${edges.nav}`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(wrong, []);
  });
}

test('at 320 px no page scrolls sideways', async () => {
  const context = await newContext(browser, server.origin, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const wrong = [];
  try {
    for (const path of pages) {
      await page.goto(server.origin + path, { waitUntil: 'load' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) wrong.push(`${path}: ${width} px wide`);
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(wrong, []);
});

/** In the page: each visible button's text, fill, border and surroundings, as sRGB. */
function buttonColours() {
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  // The colour behind an element: the nearest ancestor's opaque background.
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return rgba(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
  };
  return [...document.querySelectorAll('button, .button, input[type=submit]')]
    .filter((b) => b.getClientRects().length > 0)
    .map((b) => {
      const style = getComputedStyle(b);
      const fill = rgba(style.backgroundColor);
      const around = behind(b.parentElement);
      return {
        label: b.textContent.trim() || b.value,
        text: rgba(style.color),
        fill: fill && fill.a > 0 ? fill : around,
        border: style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) > 0 ? rgba(style.borderTopColor) : null,
        around,
      };
    });
}

function luminance({ r, g, b }) {
  const c = (v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
}
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

for (const scheme of ['light', 'dark']) {
  test(`every button can be read and seen as a button (${scheme} scheme)`, async () => {
    const context = await newContext(browser, server.origin, {
      viewport: { width: 1280, height: 900 },
      colorScheme: scheme,
    });
    const page = await context.newPage();
    const wrong = [];
    let seen = 0;
    try {
      for (const path of pages) {
        await page.goto(server.origin + path, { waitUntil: 'load' });
        for (const b of await page.evaluate(buttonColours)) {
          seen += 1;
          const text = contrast(b.text, b.fill);
          if (text < 4.5) wrong.push(`${path}: "${b.label}" text ${text.toFixed(2)}:1 on its fill`);
          const edge = Math.max(
            contrast(b.fill, b.around),
            b.border && b.border.a > 0 ? contrast(b.border, b.around) : 0,
          );
          if (edge < 3) wrong.push(`${path}: "${b.label}" edge ${edge.toFixed(2)}:1 against what is around it`);
        }
      }
    } finally {
      await context.close();
    }
    assert.ok(seen > 0, 'no buttons were found to check');
    assert.deepEqual(wrong, []);
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`at 375 px the main menu opens from the keyboard (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    await withPage({ viewport: { width: 375, height: 740 }, javaScriptEnabled }, '/', async (page) => {
      const firstLink = page.locator('.service-nav__link').first();
      assert.equal(await firstLink.isVisible(), false, 'the menu should start closed on a phone');
      const toggle = page.locator('.service-nav__toggle');
      // Tab from the top of the page until the toggle has focus.
      let reached = false;
      for (let i = 0; i < 15 && !reached; i += 1) {
        await page.keyboard.press('Tab');
        reached = await toggle.evaluate((el) => el === document.activeElement);
      }
      assert.ok(reached, 'Tab never reached the menu toggle');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#main-menu').evaluate((d) => d.open), true, 'Enter did not open the menu');
      assert.equal(await firstLink.isVisible(), true, 'the open menu shows its links');
      await page.keyboard.press('Tab');
      assert.equal(
        await firstLink.evaluate((el) => el === document.activeElement),
        true,
        'Tab after opening goes to the first menu link',
      );
    });
  });
}

test('at 1,280 px the main menu shows its links without a toggle', async () => {
  await withPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false }, '/', async (page) => {
    assert.equal(await page.locator('.service-nav__link').first().isVisible(), true);
    assert.equal(await page.locator('.service-nav__toggle').isVisible(), false);
  });
});

test('every chapter has breadcrumbs and its booklet contents, and a booklet lists its chapters before its text', async () => {
  const context = await newContext(browser, server.origin, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let chapters = 0;
  let booklets = 0;
  try {
    for (const path of pages) {
      await page.goto(server.origin + path, { waitUntil: 'load' });
      const kind = await page.evaluate(() => ({
        booklet: document.body.classList.contains('kind-booklet'),
        chapter: !!document.querySelector('#folio-chapters-title'),
        crumbs: document.querySelectorAll('.breadcrumbs__link').length,
      }));
      if (kind.booklet) {
        booklets += 1;
        const order = await page.evaluate(() => {
          const list = document.querySelector('.chapter-list');
          const text = document.querySelector('.prose > p, .prose > h2:not(#folio-booklet-contents)');
          return list && text ? list.compareDocumentPosition(text) : 0;
        });
        assert.ok(order & 4, `${path}: the chapter list should come before the booklet's text`);
      } else if (kind.chapter) {
        chapters += 1;
        assert.ok(kind.crumbs >= 2, `${path}: a chapter has breadcrumbs to the home page and its booklet`);
        const heading = await page.locator('#folio-chapters-title').textContent();
        assert.equal(heading.trim(), 'Contents', path);
      }
    }
  } finally {
    await context.close();
  }
  assert.ok(booklets > 0 && chapters > 0, `found ${booklets} booklets and ${chapters} chapters`);
});
