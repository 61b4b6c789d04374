import { describe, expect, it } from 'vitest';
import { browserSuite, LAN_NAME } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const browser = browserSuite(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A hall's PCs open Kaca at the server's LAN address over plain HTTP, not at localhost (which a
 * browser trusts as if it were secure). Every app must load there: its scripts, its styles, its
 * socket. The page is opened at a name mapped to this machine's loopback (helpers/browser.ts).
 */
describe('the apps at a LAN address over plain HTTP', () => {
  it('the exam client, the proctor console, the board, the admin console and the receipt check load and connect', async () => {
    server = await startTestServer({ demo: true, candidates: 2, serveApps: true });
    const lan = server.url.replace('127.0.0.1', LAN_NAME);
    expect(lan).toMatch(new RegExp(`^http://${LAN_NAME.replace('.', '\\.')}:\\d+$`));
    const page = await browser.page({ url: lan });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    const loaded: string[] = [];
    page.on('requestfinished', (r) => loaded.push(r.url()));
    for (const [path, ready] of [
      ['/', 'input[name=registrationNumber]'],
      ['/proctor/', 'form input[type=password]'],
      // the list of sittings comes over the board's socket
      ['/scoreboard/', '.sittings-list .badge'],
      ['/admin/', 'form input[type=password]'],
      ['/verify/', '#app *'],
    ] as const) {
      await page.goto(path);
      await page.waitForSelector(ready);
      // the app's own script and stylesheet came from this origin over http, and styled the page
      expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
    }
    expect(failed).toEqual([]);
    expect(loaded.filter((u) => u.startsWith('https:'))).toEqual([]);
    expect(loaded.filter((u) => u.startsWith(lan) && u.endsWith('.js')).length).toBeGreaterThan(0);
  });

  it('no reply over plain HTTP asks the browser for TLS; a reply through a TLS proxy does', async () => {
    server = await startTestServer({ config: { trustProxy: true } });
    const plain = await fetch(`${server.url}/api/health`);
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const proxied = await fetch(`${server.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });
});
