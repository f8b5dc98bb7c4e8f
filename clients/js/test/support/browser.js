import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * A real browser for the tests that need one: Debian's Chromium (package `chromium`), driven by
 * playwright-core, which never downloads a browser of its own. `.ci/run` installs the package, and
 * sets UC_BROWSER_TESTS=required so that a missing browser fails CI instead of skipping. Elsewhere
 * the browser tests are skipped with the reason, so a build without Chromium still passes.
 */
export const CHROMIUM = process.env.UC_CHROMIUM || '/usr/bin/chromium';

/**
 * False when the browser tests can run; otherwise why not, as `test(name, { skip }, fn)` shows it.
 * Throws when the browser is required (CI) but missing.
 */
export function browserSkip() {
  if (existsSync(CHROMIUM)) return false;
  const why = `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), as .ci/run does, to run the browser tests`;
  if (process.env.UC_BROWSER_TESTS === 'required') throw new Error(`UC_BROWSER_TESTS=required but ${why}`);
  console.log(`[clients/js] SKIPPING the browser tests: ${why}`);
  return why;
}

/**
 * Starts headless Chromium. Playwright gives each launch a fresh --user-data-dir of its own (it
 * refuses one in `args`) and deletes it on close. The network here reaches nothing but this
 * machine: the background-networking flags keep Chromium from calling home, which would otherwise
 * stall or fail its start.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a context of its own (own cookies and storage), closed when the test ends. What went
 * wrong in it (uncaught errors, console errors, HTTP errors) is collected in `page.problems`.
 */
export async function openPage(t, browser) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console error: ${m.text()}`));
  // The console's line for a failed load lacks the address: say which.
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`));
  page.problems = problems;
  return page;
}
