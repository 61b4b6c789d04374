import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, shot } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { scorePaper } from '../../server/src/domain/scoring.js';

let browser: Browser;
let server: TestServer | undefined;
let context: BrowserContext | undefined;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());
afterEach(async () => {
  await context?.close();
  context = undefined;
  await server?.close();
  server = undefined;
});

async function newPage(s: TestServer, viewport = { width: 1366, height: 768 }): Promise<Page> {
  context = await browser.newContext({ viewport, baseURL: s.url });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function logIn(page: Page, reg: string, pin: string, screenshot?: string) {
  await page.goto('/');
  await page.fill('input[name=registrationNumber]', reg);
  await page.fill('input[name=pin]', pin);
  if (screenshot) await shot(page, screenshot);
  await page.click('button[type=submit]');
}

/** Logs in, answers the first question, and lets the server's clock run past the end: the result screen. */
async function answerOneAndRunOut(s: TestServer, c: { registrationNumber: string; pin: string }, advanceMs: number): Promise<Page> {
  const page = await newPage(s);
  await logIn(page, c.registrationNumber, c.pin);
  await confirmAndStart(page);
  await page.locator('.option').nth(0).click();
  await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
  s.clock.advance(advanceMs);
  await page.waitForSelector('.result', { timeout: 10_000 });
  return page;
}

async function confirmAndStart(page: Page, screenshot?: string) {
  await page.waitForSelector('.confirm');
  if (screenshot) await shot(page, screenshot);
  await page.check('.agree input');
  await page.click('[data-testid=start]');
  await page.waitForSelector('.question-panel');
}

/** Items whose answer the server has acknowledged, from the grid. */
const answeredCells = (page: Page) => page.locator('.grid .cell.answered, .grid .cell.unsure:has(.mark)').count();

function storedScores(s: TestServer, candidateId: number) {
  const paper = s.store.repos.papers.get(candidateId)!;
  const sitting = s.store.repos.sittings.get(s.sittingId)!;
  const { questions } = s.store.catalog.forSitting(sitting);
  const choices = new Map<number, number | null>();
  for (const e of s.store.repos.answers.byCandidate(candidateId)) if (e.kind !== 'flag' && e.kind !== 'unflag') choices.set(e.item, e.choice);
  return scorePaper(s.template, paper, questions, choices);
}

describe('exam client in Chromium', () => {
  it('a whole demo exam sat through the UI: the score on screen equals the server result', async () => {
    server = await startTestServer({ demo: true, candidates: 3, serveApps: true });
    const c = server.candidates[0];
    const page = await newPage(server);
    await logIn(page, c.registrationNumber, c.pin, 'exam-01-login');
    // each new screen starts the keyboard and a screen reader at its heading, not at the page's top
    const focused = () => page.evaluate(() => (document.activeElement?.closest('main') ? document.activeElement.tagName : document.activeElement?.tagName));
    await page.waitForSelector('.confirm');
    await expect.poll(focused).toMatch(/^H[12]$/);
    await confirmAndStart(page, 'exam-02-confirm');
    const total = await page.locator('.grid .cell').count();
    expect(total).toBe(110);
    for (let i = 0; i < total; i++) {
      await expect.poll(() => page.locator('[data-testid=q-number]').textContent()).toBe(String(i + 1));
      if (i % 9 !== 4) await page.locator('.option').nth((i * 7) % (await page.locator('.option').count())).click();
      if (i % 17 === 3) await page.click('button.flag');
      if (i === 20) {
        await page.waitForSelector('[data-testid=save-state].saved');
        await shot(page, 'exam-03-question');
      }
      if (i < total - 1) await page.click('.q-nav button.primary');
    }
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count(), { timeout: 10_000 }).toBe(0);
    await shot(page, 'exam-04-grid');
    await page.click('.q-nav button.danger');
    await page.waitForSelector('[role=dialog]');
    const unanswered = await page.locator('[data-testid=finish-unanswered] [data-jump]').allTextContents();
    expect(unanswered.slice(0, 3)).toEqual(['5', '14', '23']);
    expect((await page.locator('[data-testid=finish-unsure] [data-jump]').allTextContents()).slice(0, 2)).toEqual(['4', '21']);
    await shot(page, 'exam-05-finish-confirm');
    await page.click('[data-testid=finish-confirm]');
    await page.waitForSelector('.result');
    await shot(page, 'exam-06-result');

    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;
    const result = server.store.repos.results.get(candidateId)!;
    expect(result.sections).toEqual(storedScores(server, candidateId));
    expect(await page.locator('[data-section=total]').textContent()).toBe(String(result.total));
    for (const [section, score] of Object.entries(result.sections)) expect(await page.locator(`[data-section=${section}]`).textContent()).toBe(String(score));
    expect(await page.locator('[data-receipt]').textContent()).toBe(result.receiptId);
    const events = server.store.repos.answers.byCandidate(candidateId);
    expect(events.filter((e) => e.kind === 'select')).toHaveLength(110 - 12); // every ninth from the fifth left blank
    expect(new Set(events.map((e) => e.clientSeq)).size).toBe(events.length);
  }, 180_000);

  it('wrong PINs: the last two tries before the lock are counted out, then the lock says who can open it', async () => {
    server = await startTestServer({ candidates: 1, serveApps: true, config: { lockAfterFailedLogins: 4 } });
    const c = server.candidates[0];
    const page = await newPage(server);
    const messages: string[] = [];
    await page.goto('/');
    await page.fill('input[name=registrationNumber]', c.registrationNumber);
    for (let i = 0; i < 4; i++) {
      await page.fill('input[name=pin]', '000000');
      await page.click('button[type=submit]');
      await page.waitForFunction((n) => document.querySelector('.login .error')?.getAttribute('data-try') === String(n), i + 1);
      messages.push((await page.locator('.login .error').textContent())!);
      // the wrong PIN is gone and the cursor waits in its field
      if (i < 3) expect(await page.evaluate(() => [(document.activeElement as HTMLInputElement).name, (document.activeElement as HTMLInputElement).value])).toEqual(['pin', '']);
    }
    expect(messages).toEqual([
      'Nomor peserta atau PIN salah.',
      'Nomor peserta atau PIN salah. Tinggal 2 kali percobaan lagi sebelum login dikunci.',
      'Nomor peserta atau PIN salah. Tinggal 1 kali percobaan lagi sebelum login dikunci.',
      'Terlalu banyak percobaan. Hubungi pengawas untuk membuka login Anda.',
    ]);
    // an unknown number says nothing about tries
    await page.fill('input[name=registrationNumber]', 'NOBODY');
    await page.fill('input[name=pin]', '000000');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.login .error')?.getAttribute('data-try') === '5');
    expect(await page.locator('.login .error').textContent()).toBe('Nomor peserta atau PIN salah.');
  });

  it('reload mid-exam resumes answers, flags and time', async () => {
    server = await startTestServer({ serveApps: true });
    const c = server.candidates[0];
    const page = await newPage(server);
    // nothing the page asks for is missing or refused
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
    });
    await logIn(page, c.registrationNumber, c.pin);
    await confirmAndStart(page);
    await page.locator('.option').nth(1).click();
    await page.click('.q-nav button.primary');
    await page.locator('.option').nth(2).click();
    await page.click('button.flag');
    await page.click('.q-nav button.primary');
    await page.locator('.option').nth(0).click();
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    server.clock.advance(3 * 60_000);
    // Chromium runs a reload as beforeunload, blur, blur, pagehide (a headless page that never had
    // the focus sees no blur, so the first two are played here): the blur is no leaving of the window
    await page.evaluate(() => {
      window.dispatchEvent(new Event('beforeunload'));
      window.dispatchEvent(new Event('blur'));
    });
    await page.reload();
    await page.waitForSelector('.question-panel');
    expect(await page.locator('[data-testid=q-number]').textContent()).toBe('3');
    expect(await answeredCells(page)).toBe(3);
    expect(await page.locator('.grid .cell.unsure').count()).toBe(1);
    expect(await page.locator('.grid .cell[data-cell="2"]').getAttribute('class')).toContain('unsure');
    // unsure but answered is drawn apart from an unsure blank
    expect(await page.locator('.grid .cell[data-cell="2"]').getAttribute('class')).toContain('has-answer');
    expect(await page.locator('.grid .cell[data-cell="2"]').evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
    await page.click('.grid .cell[data-cell="1"]');
    expect(await page.locator('.option[aria-checked=true]').getAttribute('data-option')).toBe('B');
    // 10 minutes minus the 3 the server counted: 7:00 or a second or two less
    const time = await page.locator('[data-testid=time-left]').textContent();
    expect(time).toMatch(/^0?6:5\d$|^0?7:00$/);
    // a reload is not leaving the exam window: the proctor is told nothing (a change saved after
    // it is committed after anything the old page could have reported)
    await page.locator('.option').nth(3).click();
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    const id = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;
    expect(server.store.repos.audit.bySitting(server.sittingId).filter((a) => a.candidateId === id && a.action === 'alert')).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('leaving the window is told however a reload goes: a slow one is not a departure, a stopped one then left is', async () => {
    server = await startTestServer({ serveApps: true });
    const c = server.candidates[0];
    const page = await newPage(server);
    await logIn(page, c.registrationNumber, c.pin);
    await confirmAndStart(page);
    const s = server;
    const id = s.store.repos.candidates.byRegistration(s.sittingId, c.registrationNumber)!.id;
    const alerts = (kind: string) => s.app.engine.views.proctorRow(id).alerts.find((a) => a.kind === kind)?.count ?? 0;
    // a reload slower than any window: the blur comes just before the pagehide of the old page
    // (here it is shown again at once, as from the back-forward cache, so the page goes on)
    await page.evaluate(async () => {
      window.dispatchEvent(new Event('blur'));
      window.dispatchEvent(new Event('pagehide'));
      window.dispatchEvent(new Event('pageshow'));
      // past the 300 ms a blur waits for a pagehide (the deadline under test, not a wait for an
      // event), full screen (asked for at the start) is left: told at once, on the same socket
      // after anything told before it
      await new Promise((r) => setTimeout(r, 600));
      await document.exitFullscreen();
    });
    await expect.poll(() => alerts('fullscreen-exited')).toBe(1);
    expect(alerts('focus-lost')).toBe(0);
    // F5, then Esc (the reload stopped), then Alt-Tab away within the three seconds: the page is
    // still here after them and the window has not come back, so the departure is told then
    await page.evaluate(() => {
      document.hasFocus = () => false;
      window.dispatchEvent(new Event('beforeunload'));
      window.dispatchEvent(new Event('blur'));
    });
    await expect.poll(() => alerts('focus-lost'), { timeout: 10_000 }).toBe(1);
    // F5, Esc, Alt-Tab away and back within the three seconds: still a departure, told when the window ends
    await page.evaluate(() => {
      document.hasFocus = () => true;
      window.dispatchEvent(new Event('beforeunload'));
      window.dispatchEvent(new Event('blur'));
      window.dispatchEvent(new Event('focus'));
    });
    await expect.poll(() => alerts('focus-lost'), { timeout: 10_000 }).toBe(2);
    // the berita acara keeps the two that happened, and nothing of the slow reload
    await expect.poll(() => s.store.repos.audit.bySitting(s.sittingId).filter((a) => a.candidateId === id && a.action === 'alert').map((a) => (a.details as { kind: string }).kind)).toEqual(['fullscreen-exited', 'focus-lost']);
  });

  it('network cut mid-exam: answers given offline are queued, sent on reconnect, none lost or duplicated', async () => {
    server = await startTestServer({ serveApps: true });
    const c = server.candidates[0];
    const page = await newPage(server);
    await logIn(page, c.registrationNumber, c.pin);
    await confirmAndStart(page);
    await page.locator('.option').nth(0).click();
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;

    await context!.setOffline(true);
    server.app.io.of('/candidate').disconnectSockets(true);
    await page.waitForSelector('.conn-offline');
    for (const [n, option] of [[2, 3], [3, 1], [4, 2]] as const) {
      await page.click(`.grid .cell[data-cell="${n}"]`);
      await page.locator('.option').nth(option).click();
    }
    await page.click('.grid .cell[data-cell="1"]');
    await page.locator('.option').nth(4).click(); // change while offline
    await page.click('button.flag');
    expect(await page.locator('.option.pending').count()).toBe(1);
    await shot(page, 'exam-07-offline');
    await page.reload().catch(() => undefined); // even a reload while offline keeps the queue
    expect(server.store.repos.answers.byCandidate(candidateId)).toHaveLength(1);

    await context!.setOffline(false);
    await page.goto('/');
    await page.waitForSelector('.conn-online');
    await expect.poll(() => server!.store.repos.answers.byCandidate(candidateId).length, { timeout: 10_000 }).toBe(6);
    const events = server.store.repos.answers.byCandidate(candidateId);
    expect(events.map((e) => [e.item, e.kind, e.choice])).toEqual([
      [0, 'select', 0],
      [1, 'select', 3],
      [2, 'select', 1],
      [3, 'select', 2],
      [0, 'change', 4],
      [0, 'flag', null],
    ]);
    expect(events.map((e) => e.clientSeq)).toEqual([1, 2, 3, 4, 5, 6]);
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    expect(await answeredCells(page)).toBe(4);
  });

  it('time running out ends the exam on its own and shows the result', async () => {
    server = await startTestServer({ serveApps: true });
    const c = server.candidates[0];
    const page = await answerOneAndRunOut(server, c, 10 * 60_000);
    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;
    const result = server.store.repos.results.get(candidateId)!;
    expect(result.endReason).toBe('time');
    expect(await page.locator('[data-section=total]').textContent()).toBe(String(result.total));
    // the candidate is told why the exam ended without their finishing it
    expect(await page.locator('[data-testid=ended-by]').textContent()).toBe('Waktu ujian habis. Jawaban yang tersimpan sampai saat itu sudah dinilai.');
  });

  it('with larger text, a question whose last options are below the fold says so, and the cue takes the candidate there', async () => {
    server = await startTestServer({ demo: true, candidates: 1, serveApps: true });
    const c = server.candidates[0];
    const page = await newPage(server);
    await logIn(page, c.registrationNumber, c.pin);
    await confirmAndStart(page);
    // at the usual size every number is in sight: no cue under the grid
    expect(await page.locator('[data-testid=grid-more]').count()).toBe(0);
    // the TKP section's situations have the longest options; text two steps larger
    await page.click('.grid .cell[data-cell="100"]');
    for (let i = 0; i < 3; i++) await page.click('.font-tools button:last-child');
    const cue = page.locator('[data-testid=more-below]');
    await cue.waitFor();
    const last = page.locator('.option').last();
    const below = async () => {
      const box = (await last.boundingBox())!;
      const area = (await page.locator('.q-content').boundingBox())!;
      return box.y + box.height > area.y + area.height + 1;
    };
    expect(await below()).toBe(true);
    await shot(page, 'exam-client-more-below');
    await cue.click();
    await cue.waitFor({ state: 'detached' });
    expect(await below()).toBe(false);
    // the largest text still fits the frame: the number panel shows all eight columns, and the
    // four buttons sit two by two in view with "next" last
    for (let i = 0; i < 3; i++) await page.click('.font-tools button:last-child');
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--font-scale').trim())).toBe('1.6');
    const fit = await page.evaluate(() => {
      const panel = document.querySelector('.grid')!.getBoundingClientRect();
      const cells = [...document.querySelectorAll('.grid .cell')].slice(0, 8).map((c) => c.getBoundingClientRect());
      const nav = [...document.querySelectorAll('.q-nav button')].map((b) => b.getBoundingClientRect());
      return {
        cellsInside: cells.every((r) => r.left >= panel.left - 0.5 && r.right <= panel.right + 0.5),
        rowOfEight: cells.every((r) => Math.abs(r.top - cells[0].top) < 1),
        navInView: nav.every((r) => r.bottom <= window.innerHeight && r.right <= window.innerWidth),
        twoRows: new Set(nav.map((r) => Math.round(r.top))).size === 2,
        nextLast: nav[3].top > nav[0].top && nav[3].left > nav[2].left,
      };
    });
    expect(fit).toEqual({ cellsInside: true, rowOfEight: true, navInView: true, twoRows: true, nextLast: true });
    // the grid scrolls by itself to the open question (100) once its cells have grown
    const currentInView = () =>
      page.evaluate(() => {
        const [g, c] = [document.querySelector('.grid')!, document.querySelector('.grid .cell[data-cell="100"]')!].map((e) => e.getBoundingClientRect());
        return c.top >= g.top - 0.5 && c.bottom <= g.bottom + 0.5;
      });
    await expect.poll(currentInView).toBe(true);
    // numbers out of sight are announced under the grid, with where they are; a press scrolls there
    const grid = page.locator('.grid');
    const gridCue = page.locator('[data-testid=grid-more]');
    await grid.evaluate((g) => g.scrollTo({ top: g.scrollHeight }));
    await expect.poll(() => gridCue.textContent()).toBe('▲ Nomor lain di atas');
    const bottom = await grid.evaluate((g) => g.scrollTop);
    await gridCue.click();
    await expect.poll(() => grid.evaluate((g) => g.scrollTop)).toBeLessThan(bottom);
    await grid.evaluate((g) => g.scrollTo({ top: 0 }));
    await expect.poll(() => gridCue.textContent()).toBe('▼ Nomor lain di bawah');
    await shot(page, 'exam-client-largest-text');
  });

  it('a result under a threshold set with a total minimum shows that minimum beside the total', async () => {
    server = await startTestServer({ demo: true, candidates: 6, serveApps: true });
    // the demo's sixth candidate is in the disability group: total >= 286 and TIU >= 60
    const c = server.candidates[5];
    const row = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!;
    expect(row.groupName).toBe('disabilitas');
    const page = await answerOneAndRunOut(server, c, 200 * 60_000);
    expect(await page.locator('.verdict').textContent()).toContain('TIDAK MEMENUHI');
    expect(await page.locator('tr.total').getAttribute('class')).toContain('below');
    expect(await page.locator('tr.total .req').textContent()).toBe('min. 286');
    await shot(page, 'exam-client-result-total-minimum');
  });

  it('the practice round: unscored samples with feedback, the clock not started, nothing stored', async () => {
    server = await startTestServer({ serveApps: true, practice: true });
    const c = server.candidates[2];
    const page = await newPage(server);
    await logIn(page, c.registrationNumber, c.pin);
    await page.waitForSelector('.confirm');
    await page.click('.practice-btn');
    await page.waitForSelector('.practice');
    for (let i = 0; i < 4; i++) {
      if (i === 2) {
        // a reload in the middle of the round comes back to the same sample, the earlier choices kept
        await page.reload();
        await page.waitForSelector('.practice');
        expect(await page.locator('#practice-title').textContent()).toMatch(/ 3 \S+ 4$/);
        await page.click('.q-nav button:not(.primary)');
        await page.waitForFunction(() => / 2 \S+ 4$/.test(document.querySelector('#practice-title')?.textContent ?? ''));
        expect(await page.locator('.option[aria-checked=true]').getAttribute('data-option')).toBe('B');
        await page.click('.q-nav button.primary');
        await page.waitForFunction(() => / 3 \S+ 4$/.test(document.querySelector('#practice-title')?.textContent ?? ''));
      }
      await page.locator('.option').nth(1).click();
      await page.waitForSelector('[data-testid=practice-feedback]');
      if (i === 1) await shot(page, 'exam-02b-practice');
      await page.click('.q-nav button.primary');
    }
    // the first sample's best answer is B; the TKP sample gives points for every option
    await page.waitForSelector('.confirm');
    // done, a reload shows the rules again, not the round
    await page.reload();
    await page.waitForSelector('.confirm');
    expect(await page.locator('.practice').count()).toBe(0);
    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;
    expect(server.store.repos.attempts.get(candidateId)).toMatchObject({ state: 'admitted', startedAt: null });
    expect(server.store.repos.answers.byCandidate(candidateId)).toEqual([]);
    await confirmAndStart(page);
    expect(await page.locator('[data-testid=time-left]').textContent()).toMatch(/^(10:00|09:5\d)$/);
  });

  it('the whole exam with the keyboard alone', async () => {
    server = await startTestServer({ serveApps: true });
    const c = server.candidates[1];
    const page = await newPage(server);
    await page.goto('/');
    await page.locator('input[name=registrationNumber]').focus();
    await page.keyboard.type(c.registrationNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(c.pin);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.confirm');
    await page.locator('.agree input').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.question-panel');
    const letters = ['A', 'B', 'C', 'D', 'E', 'A', 'B'];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press(letters[i]);
      if (i === 2) await page.keyboard.press('f');
      await page.keyboard.press(i % 2 ? 'ArrowRight' : 'n');
    }
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('p');
    expect(await page.locator('[data-testid=q-number]').textContent()).toBe('5');
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    // the save state is the open question's: the grid shows when every answer is acknowledged
    await expect.poll(() => answeredCells(page)).toBe(7);
    // to the Finish button with Tab (the grid is one stop), then from the safe "Kembali" to the confirm button
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('finish-btn'))) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=dialog]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('finish-confirm');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.result');
    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, c.registrationNumber)!.id;
    const events = server.store.repos.answers.byCandidate(candidateId);
    expect(events.filter((e) => e.kind === 'select')).toHaveLength(7);
    expect(events.filter((e) => e.kind === 'flag').map((e) => e.item)).toEqual([2]);
    expect(await page.locator('[data-section=total]').textContent()).toBe(String(server.store.repos.results.get(candidateId)!.total));
  });
});
