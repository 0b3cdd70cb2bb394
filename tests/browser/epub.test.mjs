// Every EPUB of a built folio site passes EPUBCheck (Debian's `epubcheck`) with no error or
// warning, and DAISY Ace (npm's @daisy/ace-cli, running axe in Debian's Chromium through
// puppeteer) with no violation. A missing tool fails the test: it is never skipped.
//
// The site directory is $FOLIO_SITE_DIR (default: the repository's public/).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteDir, CHROMIUM } from './lib/site.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ACE = join(here, 'node_modules', '.bin', 'ace-cli');

/** Every .epub file under the site, sorted. */
function epubFiles(dir = siteDir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith('.epub')) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * How to run EPUBCheck: Debian's `epubcheck` is a link to its jar, which runs by itself only
 * where the kernel hands jars to Java (binfmt_misc), so a jar is run with `java -jar`.
 */
function epubcheck() {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'epubcheck');
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    return real.endsWith('.jar') ? ['java', ['-jar', real]] : [real, []];
  }
  return ['epubcheck', []];
}

function run(command, args, options = {}) {
  return new Promise((ok) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) =>
      ok({ error, code: error?.code ?? 0, stdout, stderr }),
    );
  });
}

assert.ok(existsSync(siteDir), `no built site at ${siteDir} (set FOLIO_SITE_DIR)`);
const books = epubFiles();
assert.ok(books.length > 0, `no .epub files under ${siteDir}`);

for (const book of books) {
  const name = relative(siteDir, book);

  test(`EPUBCheck: ${name}`, async () => {
    const [command, prefix] = epubcheck();
    const result = await run(command, [...prefix, '--quiet', book]);
    assert.notEqual(result.code, 'ENOENT', 'epubcheck is not installed (tests/run-all installs it)');
    // --quiet prints only messages: any line is an error, a warning or worse.
    const messages = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => /^(FATAL|ERROR|WARNING|USAGE)/.test(line));
    assert.deepEqual(messages, [], `EPUBCheck found problems in ${name}`);
    assert.equal(result.code, 0, `epubcheck failed on ${name}:\n${result.stdout}${result.stderr}`);
  });

  test(`DAISY Ace: ${name}`, async () => {
    assert.ok(existsSync(ACE), `DAISY Ace is not installed at ${ACE} (tests/run-all installs it)`);
    const out = mkdtempSync(join(tmpdir(), 'folio-ace-'));
    try {
      const result = await run(ACE, ['--silent', '--force', '--outdir', out, book], {
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROMIUM },
        timeout: 180_000,
      });
      const reportFile = join(out, 'report.json');
      assert.ok(
        existsSync(reportFile),
        `Ace did not write a report for ${name}:\n${result.stdout}${result.stderr}`,
      );
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      const violations = [];
      for (const assertion of report.assertions ?? []) {
        for (const inner of assertion.assertions ?? []) {
          if (inner['earl:result']?.['earl:outcome'] === 'fail') {
            violations.push(
              `${assertion['earl:testSubject']?.url ?? ''}: ${inner['earl:test']?.['dct:title']} ` +
                `(${inner['earl:test']?.['earl:impact']}): ${inner['earl:result']?.['dct:description'] ?? ''}`,
            );
          }
        }
      }
      assert.deepEqual(violations, [], `Ace found violations in ${name}`);
      assert.equal(report['earl:result']?.['earl:outcome'], 'pass', `Ace's verdict on ${name}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
