// Real headless Chromium (Debian's package) driven by playwright-core, against the app served
// on a random local port with a fresh database.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT_DIR } from '../../src/db/knex.ts';
import { testApp, PASSWORD, type TestApp } from './app.ts';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface BrowserHarness extends TestApp {
  browser: Browser;
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startBrowserHarness(opts: { today?: string } = {}): Promise<BrowserHarness> {
  const t = await testApp(opts);
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  return {
    ...t, browser, baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/**
 * A screenshot for a person to look at, not an assertion: taken only when ILO_SCREENSHOTS names a
 * folder (`ILO_SCREENSHOTS=/tmp/shots npm test`), so that the suite neither slows down nor fails on
 * a capture. `readme` ones also refresh docs/screenshots/ (ILO_SCREENSHOTS=readme does only those).
 */
export async function snap(page: Page, name: string, opts: { readme?: boolean; fullPage?: boolean } = {}): Promise<void> {
  const target = process.env.ILO_SCREENSHOTS;
  if (!target) return;
  const fullPage = opts.fullPage ?? true;
  if (opts.readme) {
    const file = path.join(ROOT_DIR, 'docs/screenshots', `${name}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage });
  }
  if (target !== 'readme') {
    fs.mkdirSync(target, { recursive: true });
    await page.screenshot({ path: path.join(target, `${name}.png`), fullPage });
  }
}

/** A new page (1280 × 900 unless told) signed in as `username` with the test password, on the home page. */
export async function signedInPage(h: BrowserHarness, username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await h.browser.newPage({ viewport });
  page.setDefaultTimeout(8000);
  await page.goto(`${h.baseUrl}/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
  return page;
}
