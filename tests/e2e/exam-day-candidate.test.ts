import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import { addSitting, everyDemoItemTemplate, examLogin, proctorLogin } from './fixtures.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});
const sockets = suite.sockets;

const newPage = (s: TestServer, viewport?: { width: number; height: number }): Promise<Page> => suite.page(s, viewport);

async function startExam(page: Page) {
  await page.waitForSelector('.confirm');
  await page.check('.agree input');
  await page.click('[data-testid=start]');
  await page.waitForSelector('.question-panel');
}

const candidateId = (s: TestServer, reg: string) => s.store.repos.candidates.byRegistration(s.sittingId, reg)!.id;
const events = (s: TestServer, id: number) => s.store.repos.answers.byCandidate(id).map((e) => [e.item, e.kind, e.choice]);
const qNumber = (page: Page) => page.locator('[data-testid=q-number]').textContent();
const activeIn = (page: Page, selector: string) => page.evaluate((sel) => !!document.activeElement?.closest(sel), selector);

describe('the exam client on exam day', () => {
  it('a double click or a repeated key keeps the answer; clearing is its own control; an unsaved answer shows as pending', async () => {
    server = await startTestServer({ serveApps: true });
    const s = server;
    const c = s.candidates[0];
    const page = await newPage(s);
    await examLogin(page, c.registrationNumber, c.pin);
    await expectAccessible(page, 'the confirm screen');
    await startExam(page);
    const id = candidateId(s, c.registrationNumber);

    await page.locator('.option[data-option=B]').dblclick();
    await page.keyboard.press('b');
    await page.keyboard.press('a');
    await page.keyboard.press('a');
    // the flag after them proves every earlier key was sent (changes go in order): no clear among them
    await page.keyboard.press('f');
    await expect.poll(() => events(s, id)).toEqual([
      [0, 'select', 1],
      [0, 'change', 0],
      [0, 'flag', null],
    ]);
    await page.waitForSelector('[data-testid=save-state].saved');
    expect(await page.locator('.option[data-option=A]').getAttribute('aria-checked')).toBe('true');
    await shot(page, 'day-exam-01-double-click-kept');

    await page.click('[data-testid=clear-answer]');
    await expect.poll(() => events(s, id).at(-1)).toEqual([0, 'clear', null]);
    await expect.poll(() => page.locator('.option[aria-checked=true]').count()).toBe(0);
    expect(await page.locator('[data-testid=clear-answer]').isDisabled()).toBe(true);

    // offline: the answer is queued on this PC, and the grid says so until the server has it
    await page.keyboard.press('n');
    await page.context().setOffline(true);
    // the PC's network down shows at once, before the socket has noticed anything
    await page.waitForSelector('.conn-offline', { timeout: 2000 });
    s.app.io.of('/candidate').disconnectSockets(true);
    await page.keyboard.press('c');
    const cell = page.locator('.grid .cell[data-cell="2"]');
    await expect.poll(() => cell.getAttribute('class')).toContain('pending');
    expect(await cell.getAttribute('aria-label')).toBe('2 C, dijawab, belum tersimpan');
    expect(await cell.textContent()).toContain('…');
    await shot(page, 'day-exam-02-pending-offline');
    await expectAccessible(page, 'a question, offline with a pending answer');
    await page.context().setOffline(false);
    await page.waitForSelector('.conn-online');
    await expect.poll(() => cell.getAttribute('class')).toContain('answered');
    expect(await cell.textContent()).toBe('2 C');
  });

  it('the finish dialog: focus on "Kembali", Enter does not end the exam, Tab stays inside, numbers open their question', async () => {
    server = await startTestServer({ demo: true, candidates: 2, serveApps: true });
    const s = server;
    const c = s.candidates[0];
    const page = await newPage(s);
    await examLogin(page, c.registrationNumber, c.pin);
    await startExam(page);
    for (const [key, flag] of [['a', false], ['b', true], ['c', false]] as const) {
      await page.keyboard.press(key);
      if (flag) await page.keyboard.press('f');
      await page.keyboard.press('n');
    }
    await expect.poll(() => page.locator('[data-testid=save-state].saving').count()).toBe(0);
    await page.click('.finish-btn');
    await page.waitForSelector('[role=dialog]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('finish-cancel');
    expect(await page.locator('[data-testid=finish-unanswered] [data-jump]').count()).toBe(107);
    expect(await page.locator('[data-testid=finish-unsure] [data-jump]').allTextContents()).toEqual(['2']);
    // answered as well as unsure: drawn as in the grid
    expect(await page.locator('[data-testid=finish-unsure] [data-jump="2"]').getAttribute('class')).toContain('has-answer');
    await shot(page, 'day-exam-03-finish-dialog');
    await expectAccessible(page, 'the finish dialog');

    // one Enter: the dialog closes, the exam goes on
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    expect(await page.locator('.question-panel').count()).toBe(1);
    const id = candidateId(s, c.registrationNumber);
    expect(s.store.repos.results.get(id)).toBeUndefined();

    // Tab and Shift+Tab never leave the dialog
    await page.click('.finish-btn');
    await page.waitForSelector('[role=dialog]');
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      expect(await activeIn(page, '[role=dialog]')).toBe(true);
    }
    // one tab stop per grid of numbers: a lap of Tab visits a handful of controls, not 108 numbers
    const where = () => page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      return a.dataset.jump ? `grid:${a.closest('[data-testid]')?.getAttribute('data-testid')}:${a.dataset.jump}` : (a.getAttribute('data-testid') ?? a.tagName);
    });
    const lap = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      lap.add(await where());
    }
    expect(lap.size).toBeLessThanOrEqual(6);
    // within a grid the arrow keys, Home and End move; Enter opens the question
    for (let i = 0; i < 10 && !(await where()).startsWith('grid:finish-unanswered:'); i++) await page.keyboard.press('Tab');
    expect(await where()).toMatch(/^grid:finish-unanswered:/);
    const numbers = await page.locator('[data-testid=finish-unanswered] [data-jump]').allTextContents();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.jump)).toBe(numbers[numbers.length - 2]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    expect(await qNumber(page)).toBe(numbers[numbers.length - 2]);
    // a number opens its question
    await page.click('.finish-btn');
    await page.waitForSelector('[role=dialog]');
    await page.click('[data-testid=finish-unanswered] [data-jump="57"]');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    expect(await qNumber(page)).toBe('57');
    // Escape closes too; ending takes a deliberate choice of the red button
    await page.click('.finish-btn');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    await page.click('.finish-btn');
    await page.click('[data-testid=finish-confirm]');
    await page.waitForSelector('.result');
    expect(s.store.repos.results.get(id)?.endReason).toBe('candidate');
  });

  it('every demo item fits a 1366x768 test PC: option E and the navigation in view without scrolling', async () => {
    server = await startTestServer({ demo: true, candidates: 1, serveApps: true });
    const s = server;
    const template = await everyDemoItemTemplate(s);
    const [c] = await addSitting(s, { id: 'semua', name: 'Semua soal demo', templateId: template.id, bankId: 'demo-skd' }, [{ registrationNumber: '99000001', name: 'Uji Tata Letak', formation: 'F1' }]);
    const page = await newPage(s);
    await examLogin(page, c.registrationNumber, c.pin);
    // the identity and rules page too: its start button in view without scrolling
    await page.waitForSelector('.confirm');
    const confirm = await page.evaluate(() => ({ button: document.querySelector('[data-testid=start]')!.getBoundingClientRect().bottom, view: window.innerHeight, page: document.documentElement.scrollHeight }));
    expect(confirm.button).toBeLessThanOrEqual(confirm.view);
    expect(confirm.page).toBeLessThanOrEqual(confirm.view);
    await startExam(page);
    const total = await page.locator('.grid .cell').count();
    expect(total).toBe(354);
    const misfits: string[] = [];
    let figural = 0;
    for (let i = 1; i <= total; i++) {
      await page.waitForFunction((n) => document.querySelector('[data-testid=q-number]')?.textContent === String(n), i);
      const fit = await page.evaluate(() => {
        const within = (r: DOMRect, box: { top: number; bottom: number }) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
        const view = { top: 0, bottom: window.innerHeight };
        const content = document.querySelector('.q-content')!.getBoundingClientRect();
        const options = [...document.querySelectorAll('.option')].map((o) => o.getBoundingClientRect());
        const nav = [...document.querySelectorAll('.q-nav button')].map((b) => b.getBoundingClientRect());
        return {
          options: options.length,
          lastOption: within(options[options.length - 1], content) && within(options[options.length - 1], view),
          nav: nav.length === 4 && nav.every((r) => within(r, view) && r.width > 0),
          scrolled: document.querySelector('.q-content')!.scrollTop,
          figural: !!document.querySelector('.options.figural'),
        };
      });
      if (fit.options !== 5 || !fit.lastOption || !fit.nav || fit.scrolled !== 0) misfits.push(`${i}: ${JSON.stringify(fit)}`);
      if (fit.figural && figural++ === 0) {
        await shot(page, 'day-exam-04-figural-1366x768');
        await expectAccessible(page, 'a figural item');
      }
      await page.keyboard.press('n');
    }
    expect(misfits).toEqual([]);
    expect(figural).toBe(20);
  }, 120_000);

  it('the start is pushed: a candidate who pressed "Mulai ujian" early gets the questions the moment the proctor starts', async () => {
    server = await startTestServer({ status: 'open', serveApps: true, candidates: 3 });
    const s = server;
    const early = await newPage(s);
    await examLogin(early, s.candidates[0].registrationNumber, s.candidates[0].pin);
    await early.waitForSelector('.confirm');
    expect(await early.locator('[data-testid=start-status]').textContent()).toContain('Ujian belum dimulai');
    await early.check('.agree input');
    await early.click('[data-testid=start]');
    await early.waitForSelector('[data-testid=start-status].wait');
    expect(await early.locator('[data-testid=start-status]').textContent()).toContain('Soal terbuka otomatis');
    expect(await early.locator('[data-testid=start]').isDisabled()).toBe(true);
    await shot(early, 'day-exam-05-ready-before-start');
    await expectAccessible(early, 'the confirm screen, ready before the start');
    const later = await newPage(s);
    await examLogin(later, s.candidates[1].registrationNumber, s.candidates[1].pin);
    await later.waitForSelector('.confirm');

    const proctor = await newPage(s, { width: 1366, height: 768 });
    await proctorLogin(proctor, s);
    // a sitting that is open offers the start, never a second "open"
    expect(await proctor.locator('.sitting-controls button:has-text("Buka sesi")').count()).toBe(0);
    await proctor.click('.sitting-controls button:has-text("Mulai ujian")');
    await proctor.fill('textarea[name=reason]', 'semua peserta sudah duduk');
    await proctor.click('[role=dialog] button[type=submit]');
    await proctor.waitForSelector('[role=dialog]', { state: 'detached' });

    // no second press: the exam opens on the push
    await early.waitForSelector('.question-panel');
    expect(await early.locator('[data-testid=time-left]').textContent()).toMatch(/^(10:00|09:5\d)$/);
    await later.waitForSelector('[data-testid=start-status].go');
    expect(await later.locator('[data-testid=start-status]').textContent()).toContain('Pengawas telah memulai ujian');
    await shot(later, 'day-exam-06-start-pushed');
    await later.check('.agree input');
    await later.click('[data-testid=start]');
    await later.waitForSelector('.question-panel');
  });

  it("a proctor's actions reach the candidate as fixed, polite messages with the minutes, never the reason", async () => {
    server = await startTestServer({ serveApps: true });
    const s = server;
    const c = s.candidates[0];
    const page = await newPage(s);
    await examLogin(page, c.registrationNumber, c.pin);
    await startExam(page);
    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    const ids = { sittingId: s.sittingId, candidateId: candidateId(s, c.registrationNumber) };
    await ok(proctor.socket, 'candidate:extend', { ...ids, minutes: 5, reason: 'PC nomor 12 sempat mati' });
    // the clock's own notice ("Sisa waktu 10 menit") may be showing first: wait for the proctor's
    const added = page.locator('[data-testid=toast]', { hasText: 'Pengawas' });
    await added.waitFor();
    expect(await added.textContent()).toBe('Pengawas menambah waktu ujian Anda 5 menit.');
    await shot(page, 'day-exam-07-time-added');
    await ok(proctor.socket, 'candidate:pause', { ...ids, reason: 'listrik padam di baris C' });
    await page.waitForSelector('.overlay.paused');
    const paused = await page.locator('.overlay.paused').textContent();
    expect(paused).toContain('Waktu tidak berjalan selama jeda');
    expect(paused).not.toContain('listrik');
    // the clock is stopped, so the question is not on the screen to think about
    expect(await page.locator('.q-content').count()).toBe(0);
    expect(await page.locator('[data-testid=q-hidden]').textContent()).toBe('Soal disembunyikan selama jeda.');
    await shot(page, 'day-exam-08-paused');
    await expectAccessible(page, 'the paused screen');
    await ok(proctor.socket, 'candidate:resume', { ...ids, reason: 'listrik menyala' });
    await page.waitForSelector('.overlay.paused', { state: 'detached' });
    await page.waitForSelector('.q-content .option');
    await expect.poll(() => page.locator('[data-testid=toast]').textContent()).toBe('Ujian dilanjutkan. Waktu berjalan kembali.');
    // a message stays until read: the candidate closes it when done
    await page.click('.toast-close');
    await page.waitForSelector('.toast', { state: 'detached' });
    await ok(proctor.socket, 'candidate:terminate', { ...ids, reason: 'kedapatan membawa catatan' });
    await page.waitForSelector('.result');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Ujian Anda telah dihentikan');
    for (const reason of ['PC nomor 12', 'listrik', 'catatan']) expect(text).not.toContain(reason);
  });

  it('"Selesai dan keluar" clears the PC: a reload shows the login, and the next candidate logs in', async () => {
    server = await startTestServer({ serveApps: true, candidates: 2 });
    const s = server;
    const [first, next] = s.candidates;
    const page = await newPage(s);
    await page.goto('/');
    await expectAccessible(page, 'the login screen');
    await page.click('.topbar-tools button:has-text("EN")');
    await page.waitForSelector('h1:has-text("Exam login")');
    await expectAccessible(page, 'the login screen in English');
    await examLogin(page, first.registrationNumber, first.pin);
    await startExam(page);
    await page.keyboard.press('d');
    await page.click('.finish-btn');
    await page.click('[data-testid=finish-confirm]');
    await page.waitForSelector('.result');
    // the result alone would survive a reload: that is what kept the next candidate out
    await page.reload();
    await page.waitForSelector('.result');
    await shot(page, 'day-exam-09-result');
    await expectAccessible(page, 'the result screen');
    await page.click('[data-testid=logout]');
    await page.waitForSelector('form.login');
    // nothing of the candidate is left: no session, no queued answers, no question on screen
    const kept = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => /^kaca\.(session|outbox|current)/.test(k)));
    expect(await kept()).toEqual([]);
    // back to Bahasa Indonesia and the normal font for whoever sits down next
    expect(await page.locator('h1').textContent()).toBe('Masuk Ujian');
    await page.reload();
    await page.waitForSelector('form.login');
    await shot(page, 'day-exam-10-after-logout');
    await examLogin(page, next.registrationNumber, next.pin);
    await page.waitForSelector('.confirm');
    expect(await page.locator('.cand-name').textContent()).toBe(next.name);
  });

  it('another PC opens the exam where the candidate was', async () => {
    server = await startTestServer({ serveApps: true });
    const s = server;
    const c = s.candidates[0];
    const first = await newPage(s);
    await examLogin(first, c.registrationNumber, c.pin);
    await startExam(first);
    await first.click('.grid .cell[data-cell="4"]');
    await first.keyboard.press('e');
    await first.click('.grid .cell[data-cell="6"]');
    await first.keyboard.press('f');
    await expect.poll(() => first.locator('[data-testid=save-state].saving').count()).toBe(0);
    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'candidate:reset-login', { sittingId: s.sittingId, candidateId: candidateId(s, c.registrationNumber), reason: 'PC rusak, pindah PC' });
    await first.waitForSelector('text=Sesi ini diakhiri');
    await expectAccessible(first, 'the session-ended screen');
    const second = await newPage(s);
    await examLogin(second, c.registrationNumber, c.pin);
    await second.waitForSelector('.question-panel');
    expect(await qNumber(second)).toBe('6');
    expect(await second.locator('.grid .cell[data-cell="4"]').textContent()).toBe('4 E');
    await shot(second, 'day-exam-11-resumed-on-another-pc');
  });

  it('the keyboard: A-E in the practice round, ↑ ↓ between options, and the question grid is one tab stop', async () => {
    server = await startTestServer({ serveApps: true, practice: true, requireAdmission: true });
    const s = server;
    const c = s.candidates[0];
    const page = await newPage(s);
    await examLogin(page, c.registrationNumber, c.pin);
    await page.waitForSelector('h1:has-text("Menunggu izin pengawas")');
    await shot(page, 'day-exam-12-waiting');
    await expectAccessible(page, 'the waiting screen');
    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'candidate:admit', { sittingId: s.sittingId, candidateId: candidateId(s, c.registrationNumber), reason: 'KTP sesuai' });
    await page.waitForSelector('.confirm');
    await page.click('.practice-btn');
    await page.waitForSelector('.practice');
    await page.keyboard.press('b');
    await page.waitForSelector('[data-testid=practice-feedback]');
    expect(await page.locator('.option[aria-checked=true]').getAttribute('data-option')).toBe('B');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#practice-title').textContent()).toContain('2');
    await page.keyboard.press('d');
    expect(await page.locator('.option[aria-checked=true]').getAttribute('data-option')).toBe('D');
    await expectAccessible(page, 'the practice round');
    await page.click('.q-nav button:has-text("Sebelumnya")');
    await page.click('.q-nav button:has-text("Berikutnya")');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#practice-title').textContent()).toContain('4 dari 4');
    await page.click('.q-nav button.primary');
    await startExam(page);

    // ↓ enters the options, ↓ again moves on, Space chooses
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-option'))).toBe('A');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-option'))).toBe('C');
    expect(await page.locator('.option[aria-checked=true]').count()).toBe(0);
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.option[aria-checked=true]').getAttribute('data-option')).toBe('C');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-option'))).toBe('B');

    // the grid: one tab stop; arrows move inside it, Enter opens
    expect(await page.locator('.grid .cell[tabindex="0"]').count()).toBe(1);
    await page.locator('.grid .cell[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('3');
    expect(await qNumber(page)).toBe('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => qNumber(page)).toBe('3');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('finish-btn'))).toBe(true);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('3');
    await shot(page, 'day-exam-13-keyboard');
  });
});
