import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../support/faultline-cli.js';

/** Debian's Chromium (scripts/setup.sh --test installs it), driven by playwright-core: no browser download. */
export const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots and other evidence of browser tests; kept by CI as artifacts, ignored by git. */
export const ARTIFACTS_DIR = join(repoRoot, 'test-artifacts');

export function launchBrowser(): Promise<Browser> {
  // Root (CI, the lab machine) cannot use Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A page that fails the test on an uncaught page error (a part of the dashboard that crashed). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
