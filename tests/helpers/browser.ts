import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ROOT } from './cli.js';

const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/**
 * A name that is not localhost but reaches this machine's loopback: a page opened at
 * http://kaca.test:port/ is, to the browser, a server at a LAN address over plain HTTP (which
 * localhost, a "potentially trustworthy" origin, is not).
 */
export const LAN_NAME = 'kaca.test';

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', `--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * The browser tests' common frame: one Chromium per file, and after each test its contexts and
 * sockets closed and `cleanup` run (the file's server). `page` opens a fresh context on a server
 * (`prepare` may route or fake its clock first) and fails the test on any error the page throws.
 */
export function browserSuite(cleanup: () => Promise<void> | void) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const sockets: Socket[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    for (const c of contexts.splice(0)) await c.close();
    await cleanup();
  });
  return {
    sockets,
    async page(s: { url: string }, viewport = { width: 1366, height: 768 }, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<Page> {
      const context = await browser!.newContext({ viewport, baseURL: s.url });
      contexts.push(context);
      if (prepare) await prepare(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      return page;
    },
  };
}
