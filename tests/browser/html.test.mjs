// Every HTML file of a built folio site passes the Nu HTML Checker (vnu.jar, run with
// the machine's Java) with zero errors. One checker run covers all files; each file is
// then reported as its own test.
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { siteDir, htmlFiles } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

assert.ok(existsSync(siteDir), `no built site at ${siteDir} (set FOLIO_SITE_DIR)`);
const files = htmlFiles();
assert.ok(files.length > 0, `no .html files under ${siteDir}`);

/** messages by absolute file path */
const byFile = new Map(files.map((f) => [f, []]));
const unattributed = [];

before(async () => {
  const stdout = await new Promise((ok, fail) => {
    execFile(
      'java',
      ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      // vnu exits non-zero when it finds errors: that is a result, not a failure to run
      (err, stdout, stderr) => {
        if (stdout.trim().startsWith('{')) ok(stdout);
        else fail(new Error(`vnu.jar did not run: ${err?.message ?? ''}\n${stderr}`));
      },
    );
  });
  const { messages } = JSON.parse(stdout);
  for (const m of messages) {
    let file = null;
    try {
      file = m.url ? fileURLToPath(m.url) : null;
    } catch {
      file = null;
    }
    if (file && byFile.has(file)) byFile.get(file).push(m);
    else unattributed.push(m);
  }
});

function describe(file, messages) {
  const rel = relative(siteDir, file);
  return [
    `${rel}: ${messages.length} HTML error(s)`,
    ...messages.map((m) => {
      const at = m.lastLine ? `${rel}:${m.firstLine ?? m.lastLine}:${m.firstColumn ?? ''}` : rel;
      const extract = m.extract ? `\n      ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
      return `  ${at} [${m.type}${m.subType ? '/' + m.subType : ''}] ${m.message}${extract}`;
    }),
  ].join('\n');
}

for (const file of files) {
  test(`valid HTML: ${relative(siteDir, file)}`, () => {
    const messages = byFile.get(file).filter((m) => m.type === 'error' || m.type === 'non-document-error');
    if (messages.length) assert.fail(describe(file, messages));
  });
}

test('the HTML checker reported nothing outside the checked files', () => {
  const errors = unattributed.filter((m) => m.type !== 'info');
  if (errors.length) assert.fail(errors.map((m) => `${m.url ?? '?'}: ${m.message}`).join('\n'));
});
