// Screenshots of the built site for the README: representative pages at phone and desktop
// widths in the light and dark schemes. Run through scripts/screenshots, which builds the
// site and adds the PDF pages.
//
//   FOLIO_SITE_DIR=public node screenshots.mjs <out dir>

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve, launchChromium, newContext } from './lib/site.mjs';

const out = resolve(process.argv[2] ?? 'screenshots');
mkdirSync(out, { recursive: true });

const pages = [
  ['home', '/'],
  ['booklet', '/if-this-were-my-child/'],
  ['chapter', '/if-this-were-my-child/the-seven-principles/'],
  ['pledge', '/partner-pledges/health/'],
  ['search', '/search/?q=pledge'],
];
const widths = [
  ['phone', 375, 740],
  ['desktop', 1280, 900],
];

const server = await serve();
const browser = await launchChromium();
try {
  for (const scheme of ['light', 'dark']) {
    for (const [device, width, height] of widths) {
      const context = await newContext(browser, server.origin, {
        viewport: { width, height },
        colorScheme: scheme,
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      for (const [name, path] of pages) {
        await page.goto(server.origin + path, { waitUntil: 'networkidle' });
        const file = join(out, `${name}-${device}-${scheme}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
