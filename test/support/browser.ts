// Real headless Chromium (Debian's package) driven by playwright-core, against the app served
// on a random local port with a fresh database.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { testApp, type TestApp } from './app.ts';

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
