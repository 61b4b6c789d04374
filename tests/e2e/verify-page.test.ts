import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderSVG } from 'uqr';
import type { AnswerAck, CandidateResult, CandidateState } from '../../server/src/contract/candidate.js';
import { launch, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { ROOT } from '../helpers/cli.js';
import { candidateSession, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { seedCommitment } from '../../server/src/domain/verify/commitments.js';

/**
 * The receipt check in Chromium (/verify/), on a receipt the server issued: pasted, and read from
 * a picture of its QR code. The log key, the clock, the seed and the answers are fixed, so the
 * receipt is the same on every run: it is compared with tests/fixtures/golden-receipt.txt, which
 * pins its format (a change there breaks every receipt already handed out).
 */
const GOLDEN = join(ROOT, 'tests', 'fixtures', 'golden-receipt.txt');
// A fixed Ed25519 key (PKCS#8, seed 32 x 0x2a) so that signatures are reproducible.
const KEY = {
  format: 'kaca-log-key@1',
  name: 'kaca.golden',
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 0x2a)]).toString('base64')}\n-----END PRIVATE KEY-----\n`,
};

const tmp = tempDir('kaca-verify-page-');
let browser: Browser;
let server: TestServer;
let receipt: string;
let page: Page;

beforeAll(async () => {
  mkdirSync(tmp.dir, { recursive: true });
  writeFileSync(join(tmp.dir, 'log-key.json'), JSON.stringify(KEY), { mode: 0o600 });
  server = await startTestServer({ dataDir: tmp.dir, candidates: 2, serveApps: true });
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: server.url })).newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  const c = server.candidates[0];
  const s = await candidateSession(server, c.registrationNumber, c.pin);
  const state = await ok<CandidateState>(s.socket, 'exam:start');
  let seq = 0;
  for (const [item, it] of state.items!.entries()) await ok<AnswerAck>(s.socket, 'answer:submit', { seq: ++seq, item, choice: (item * 3) % it.options.length });
  receipt = (await ok<CandidateResult>(s.socket, 'exam:finish')).receipt!;
  s.socket.disconnect();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function check(text: string): Promise<string> {
  await page.fill('#receipt', text);
  await page.click('button[type=submit]');
  await page.waitForSelector('.result');
  return (await page.textContent('.result h2'))!.trim();
}

describe('the receipt check page', () => {
  it('the server issues the golden receipt', () => {
    // after a deliberate change of the receipt format: KACA_UPDATE_GOLDEN=1 npx vitest run tests/e2e/verify-page.test.ts
    if (process.env.KACA_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, receipt);
    expect(existsSync(GOLDEN)).toBe(true);
    expect(receipt).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('while the sitting runs: the board shows the seed commitment and the signed log; the signature holds, the log proof waits for the close', async () => {
    await page.goto(`/scoreboard/?sitting=${server.sittingId}`);
    await page.waitForSelector('[data-testid=log-strip]');
    expect(await page.textContent('[data-testid=log-seed]')).toBe(`${seedCommitment('test-seed').slice(0, 16)}…`);
    // the key id a candidate compares the check page's with: the hall's board shows it
    const keyId = server.store.logKey.verifierKey.split('+')[1];
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(await page.textContent('[data-testid=log-key]')).toBe(`id ${keyId}`);
    // the checkpoint timer signs what the finish added; the board shows it when it is pushed
    await server.app.engine.checkpoints.sign(server.sittingId);
    await expect.poll(() => page.textContent('[data-testid=log-size]')).toBe(String(server.store.repos.log.size(server.sittingId)));
    await page.goto('/verify/');
    expect(await check(receipt)).toContain('Tanda tangan sah');
    expect(await page.textContent('.result')).toContain(`id ${keyId}`);
    expect(await page.textContent('.step-waiting')).toContain('Tercatat di log');
    await shot(page, 'verify-signed');
    await expectAccessible(page, 'verify-signed');
  });

  it('after the close: the golden receipt verifies in Chromium, pasted as it was copied', async () => {
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    await ok(proctor.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'selesai' });
    proctor.socket.disconnect();
    await page.goto(`/scoreboard/?sitting=${server.sittingId}`);
    await page.waitForSelector('[data-testid=log-strip]');
    expect(await page.textContent('[data-testid=log-seed]')).toBe('test-seed');
    await shot(page, 'verify-board-after-close');
    await page.goto('/verify/');
    // copied from a PDF or a chat: Windows line ends and stray spaces
    expect(await check(receipt.replace(/\n/g, ' \r\n'))).toContain('Terverifikasi');
    const steps = await page.locator('.steps li').evaluateAll((els) => els.map((e) => e.className));
    expect(steps).toEqual(['step step-ok', 'step step-ok', 'step step-ok', 'step step-ok', 'step step-ok', 'step step-ok', 'step step-ok']);
    expect(await page.textContent('.receipt-fields')).toContain(server.candidates[0].registrationNumber);
    // every step said in the page's language, from what the check found
    const said = await page.locator('.steps li').allTextContents();
    expect(said[1]).toContain('bandingkan id-nya dengan yang tertera di berita acara dan di papan skor');
    expect(said[3]).toMatch(/Catatan ke-\d+: \S+ selesai \(mengakhiri sendiri\) dengan /);
    for (const s of said) expect(s).not.toMatch(/ the |signed by|leaves/);
    await shot(page, 'verify-verified');
    await expectAccessible(page, 'verify-verified');
  });

  it('a receipt with a raised score fails on its signature', async () => {
    const raised = receipt.replace(/^scores A=(\d+)/m, (_, a: string) => `scores A=${Number(a) + 5}`).replace(/^total (\d+)$/m, (_, t: string) => `total ${Number(t) + 5}`);
    expect(raised).not.toBe(receipt);
    expect(await check(raised)).toContain('Tidak terverifikasi');
    expect(await page.textContent('.step-failed')).toContain('Tanda tangan');
    // the fault in the verifier's own words, for the committee, after an Indonesian lead
    expect(await page.textContent('.step-failed')).toContain('Pemeriksaan ini gagal. Keterangan teknis untuk panitia: the signature does not verify');
    await shot(page, 'verify-failed');
    await expectAccessible(page, 'verify-failed');
  });

  it('reads the receipt from a picture of its QR code', async () => {
    // the QR as a phone would photograph it: rendered, then captured as an image
    const qr = await browser.newPage({ viewport: { width: 700, height: 700 } });
    await qr.setContent(`<body style="margin:0;background:#fff"><div id="qr" style="width:600px">${renderSVG(receipt, { ecc: 'M', border: 4 })}</div></body>`);
    const png = join(tmp.dir, 'receipt-qr.png');
    await qr.locator('#qr svg').screenshot({ path: png });
    await qr.close();
    await page.goto('/verify/');
    await page.setInputFiles('input[type=file]', png);
    await page.waitForSelector('.result, [role=status]');
    await page.waitForSelector('.result', { timeout: 5000 }).catch(async () => {
      throw new Error(`no result: ${await page.textContent('main')}`);
    });
    expect(await page.textContent('[role=status]')).toContain('Kode QR terbaca');
    expect(await page.textContent('.result h2')).toContain('Terverifikasi');
    expect(await page.inputValue('#receipt')).toBe(receipt);
  });

  it('the result screen shows the signed receipt: its text, and a QR code a phone reads into the check', async () => {
    // the second candidate sits in the exam client; the sitting is closed by now, so their finish is in a later sitting of this server
    const fresh = await startTestServer({ candidates: 1, serveApps: true });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: fresh.url });
      const exam = await ctx.newPage();
      exam.on('pageerror', (e) => {
        throw e;
      });
      const c = fresh.candidates[0];
      await exam.goto('/');
      await exam.fill('input[name=registrationNumber]', c.registrationNumber);
      await exam.fill('input[name=pin]', c.pin);
      await exam.click('button[type=submit]');
      await exam.waitForSelector('.confirm');
      await exam.check('.agree input');
      await exam.click('[data-testid=start]');
      await exam.waitForSelector('.question-panel');
      await exam.locator('.option').nth(1).click();
      await exam.waitForSelector('[data-testid=save-state].saved');
      await exam.click('.finish-btn');
      await exam.click('[data-testid=finish-confirm]');
      await exam.waitForSelector('.signed-receipt .qr svg');
      await shot(exam, 'verify-result-with-receipt');
      await expectAccessible(exam, 'verify-result-with-receipt');
      const stored = fresh.store.repos.results.get(fresh.store.repos.candidates.byRegistration(fresh.sittingId, c.registrationNumber)!.id)!.receipt!;
      // the whole card, QR included, fits the hall's 1366x768 screen
      const box = (await exam.locator('.result').boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(768);
      await exam.click('.receipt-text summary');
      expect(await exam.textContent('[data-signed-receipt]')).toBe(stored);

      // a photo of the QR code, taken off the screen, opens the check with the receipt in it
      const png = join(tmp.dir, 'result-qr.png');
      await exam.locator('.signed-receipt .qr').screenshot({ path: png });
      const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: fresh.url })).newPage();
      await phone.goto('/verify/');
      await phone.setInputFiles('input[type=file]', png);
      await phone.waitForSelector('.result');
      expect(await phone.inputValue('#receipt')).toBe(stored);
      expect(await phone.textContent('.result h2')).toContain('Tanda tangan sah');
      await shot(phone, 'verify-phone-from-qr');
      await expectAccessible(phone, 'verify-phone-from-qr');
      // the address in the code, as a phone's camera app opens it: a fresh page that checks at once
      const opened = await (await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: fresh.url })).newPage();
      await opened.goto(`/verify/#r=${encodeURIComponent(stored)}`);
      await opened.waitForSelector('.result');
      expect(await opened.inputValue('#receipt')).toBe(stored);
      expect(await opened.textContent('.result h2')).toContain('Tanda tangan sah');
      await ctx.close();
    } finally {
      await fresh.close();
    }
  });
});

