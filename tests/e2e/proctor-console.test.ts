import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { candidateSession, ok, startTestServer, type TestServer } from '../helpers/server.js';
import type { CandidateState } from '../../server/src/contract/candidate.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});
const sockets = suite.sockets;

const page = (s: TestServer, viewport?: { width: number; height: number }): Promise<Page> => suite.page(s, viewport);

async function proctorRoom(s: TestServer, viewport?: { width: number; height: number }): Promise<Page> {
  const p = await page(s, viewport);
  await p.goto('/proctor/');
  await p.fill('input[name=username]', s.proctor.username);
  await p.fill('input[name=password]', s.proctor.password);
  await p.click('button[type=submit]');
  await p.click(`a[href="#/sitting/${s.sittingId}"]`);
  await p.waitForSelector('table.candidates tbody tr');
  return p;
}

async function candidatePage(s: TestServer, index: number): Promise<Page> {
  const c = s.candidates[index];
  const p = await page(s);
  await p.goto('/');
  await p.fill('input[name=registrationNumber]', c.registrationNumber);
  await p.fill('input[name=pin]', c.pin);
  await p.click('button[type=submit]');
  // a candidate whose exam is running goes straight back to it
  await p.waitForSelector('.confirm, .question-panel');
  if (await p.locator('.confirm').count()) {
    await p.check('.agree input');
    await p.click('[data-testid=start]');
  }
  await p.waitForSelector('.question-panel');
  return p;
}

const seconds = (t: string | null) => {
  const [m, s] = (t ?? '').split(':').map(Number);
  return m * 60 + s;
};

async function act(p: Page, reg: string, action: string, reason: string, extra?: (p: Page) => Promise<void>) {
  await p.click(`tr:has(td:text-is("${reg}")) button`);
  await p.check(`input[name=action][value=${action}]`);
  if (extra) await extra(p);
  await p.fill('textarea[name=reason]', reason);
  await p.click('[role=dialog] button[type=submit]');
  if (await p.locator('[role=dialog] .warning').count()) await p.click('[role=dialog] button[type=submit]');
  await p.waitForSelector('[role=dialog]', { state: 'detached' });
}

describe('proctor console and scoreboard in Chromium', () => {
  it('live progress and score, extend, pause, resume, reset login, terminate, and the incident report', async () => {
    server = await startTestServer({ serveApps: true, candidates: 3 });
    const proctor = await proctorRoom(server);
    const reg = server.candidates[0].registrationNumber;
    const row = proctor.locator(`tr:has(td:text-is("${reg}"))`);
    expect(await row.locator('.badge').textContent()).toContain('Belum hadir');

    const cand = await candidatePage(server, 0);
    await expect.poll(() => row.locator('.badge').textContent()).toContain('Mengerjakan');
    // answers move progress and score on the proctor's screen
    await cand.locator('.option').nth(0).click();
    await cand.click('.q-nav button.primary');
    await cand.locator('.option').nth(1).click();
    await expect.poll(() => row.locator('[data-field=answered]').textContent()).toBe('2/7');
    const candidateId = server.store.repos.candidates.byRegistration(server.sittingId, reg)!.id;
    const total = () => server!.store.repos.answers.byCandidate(candidateId).reduce((s, e) => s + e.scoreDelta, 0);
    await expect.poll(() => row.locator('[data-field=total]').textContent()).toBe(String(total()));

    // extend: the candidate's countdown jumps by five minutes
    const before = seconds(await cand.locator('[data-testid=time-left]').textContent());
    await act(proctor, reg, 'extend', 'PC sempat mati 5 menit', async (p) => p.fill('input[name=minutes]', '5'));
    await expect.poll(async () => seconds(await cand.locator('[data-testid=time-left]').textContent()) - before).toBeGreaterThan(290);
    await cand.waitForSelector('.toast');

    // pause freezes the countdown and blocks answering; resume continues
    await act(proctor, reg, 'pause', 'listrik padam di baris C');
    await cand.waitForSelector('.overlay.paused');
    const frozen = await cand.locator('[data-testid=time-left]').textContent();
    // not a wait for something to happen: two seconds of wall time must pass with the countdown still
    await cand.waitForTimeout(2100);
    expect(await cand.locator('[data-testid=time-left]').textContent()).toBe(frozen);
    // nothing to answer: the question is hidden until the resume
    expect(await cand.locator('.option').count()).toBe(0);
    await expect.poll(() => row.locator('.badge').textContent()).toContain('Dijeda');
    // a paused row's countdown stands still, but the time since its last activity goes on
    const idle = await row.locator('[data-field=last-activity]').textContent();
    expect(idle).toMatch(/^\d+ dtk$/);
    await expect.poll(() => row.locator('[data-field=last-activity]').textContent(), { timeout: 5000 }).not.toBe(idle);
    await act(proctor, reg, 'resume', 'listrik menyala kembali');
    await cand.waitForSelector('.overlay.paused', { state: 'detached' });
    await cand.click('.q-nav button.primary');
    await cand.locator('.option').nth(2).click();
    await expect.poll(() => row.locator('[data-field=answered]').textContent()).toBe('3/7');

    // the whole hall gets three minutes at once (the server was down): one dialog, minutes and a reason
    const beforeHall = seconds(await cand.locator('[data-testid=time-left]').textContent());
    await proctor.click('.sitting-controls button:has-text("Tambah waktu semua")');
    await proctor.fill('[role=dialog] input[name=minutes]', '3');
    await proctor.fill('textarea[name=reason]', 'server mati 3 menit');
    await expectAccessible(proctor, 'the extend-all dialog');
    await proctor.click('[role=dialog] button[type=submit]');
    await proctor.waitForSelector('[role=dialog]', { state: 'detached' });
    await expect.poll(async () => seconds(await cand.locator('[data-testid=time-left]').textContent()) - beforeHall).toBeGreaterThan(170);
    await shot(proctor, 'proctor-01-room');
    // at 1366x768 the sitting's header leaves the screen to the table: its buttons sit beside the token
    const head = (await proctor.locator('.room-head').boundingBox())!;
    expect(head.height).toBeLessThan(768 / 5);

    // reset login: the old PC is told, a new context continues with everything intact
    await proctor.click(`tr:has(td:text-is("${reg}")) button`);
    await proctor.check('input[name=action][value=reset-login]');
    await proctor.fill('textarea[name=reason]', 'PC 12 rusak, pindah ke PC 30');
    await shot(proctor, 'proctor-02-action-dialog');
    await expectAccessible(proctor, 'the action dialog');
    await proctor.click('[role=dialog] button[type=submit]');
    await proctor.waitForSelector('[role=dialog] .warning');
    await proctor.click('[role=dialog] button[type=submit]');
    await cand.waitForSelector('text=Sesi ini diakhiri');
    const moved = await candidatePage(server, 0);
    expect(await moved.locator('.grid .cell.answered').count()).toBe(3);
    const movedTime = seconds(await moved.locator('[data-testid=time-left]').textContent());
    expect(movedTime).toBeGreaterThan(before + 250);

    // terminate ends the exam on the candidate's screen
    await act(proctor, reg, 'terminate', 'kedapatan membawa catatan');
    await moved.waitForSelector('.result');
    expect(await moved.locator('h1').textContent()).toContain('dihentikan');
    await expect.poll(() => row.locator('.badge').textContent()).toContain('Dihentikan');

    // a sitting-wide incident, then the report lists every action with its reason
    await proctor.click('.sitting-controls button:has-text("Catat kejadian")');
    await proctor.fill('textarea[name=reason]', 'AC ruangan mati selama 10 menit');
    await proctor.click('[role=dialog] button[type=submit]');
    await proctor.waitForSelector('[role=dialog]', { state: 'detached' });
    await expect.poll(() => proctor.locator('[data-testid=feed] li').count()).toBeGreaterThanOrEqual(6);
    await proctor.click('a:has-text("Berita acara")');
    await proctor.waitForSelector('[data-testid=report-entries]');
    const report = await proctor.locator('[data-testid=report-entries]').textContent();
    for (const reason of ['PC sempat mati 5 menit', 'listrik padam di baris C', 'listrik menyala kembali', 'server mati 3 menit', 'PC 12 rusak, pindah ke PC 30', 'kedapatan membawa catatan', 'AC ruangan mati selama 10 menit']) {
      expect(report).toContain(reason);
    }
    expect(report).toContain('Tambah waktu 5 menit');
    expect(report).toContain('Tambah waktu semua peserta 3 menit');
    expect(await proctor.locator('[data-testid=terminated]').textContent()).toBe('1');
    expect(server.store.repos.audit.bySitting(server.sittingId)).toHaveLength(7);
    await proctor.emulateMedia({ media: 'print' });
    await shot(proctor, 'proctor-03-incident-report');
  }, 120_000);

  it('the scoreboard updates live while candidates answer, at TV and phone size', async () => {
    server = await startTestServer({ serveApps: true, demo: true, candidates: 300 });
    // forty candidates in progress over real sockets, a few of them with answers
    const sessions = await Promise.all(server.candidates.slice(0, 40).map((c) => candidateSession(server!, c.registrationNumber, c.pin)));
    sessions.forEach((s) => sockets.push(s.socket));
    const states = await Promise.all(sessions.map((s) => ok<CandidateState>(s.socket, 'exam:start')));
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < 10 + ((k * 13) % 60); i++) await ok(sessions[k].socket, 'answer:submit', { seq: i + 1, item: i, choice: (i * k) % states[k].items![i].options.length });
    }
    const tv = await page(server, { width: 1920, height: 1080 });
    await tv.goto('/scoreboard/');
    await tv.click('a[href="?sitting=demo"]');
    await tv.waitForSelector('[data-testid=board] tbody tr');
    const target = server.candidates[45];
    const row = tv.locator(`tr[data-row="${target.registrationNumber}"]`);
    expect(await tv.locator('[data-testid=board] tbody tr').count()).toBeGreaterThan(10);

    // a candidate not yet on screen starts answering: their row appears ranked and highlighted
    const live = await candidateSession(server, target.registrationNumber, target.pin);
    sockets.push(live.socket);
    const st = await ok<CandidateState>(live.socket, 'exam:start');
    const qs = server.store.catalog.forSitting(server.store.repos.sittings.get('demo')!).questions;
    const paper = server.store.repos.papers.get(live.candidateId)!;
    let seq = 0;
    for (let i = 0; i < 40; i++) {
      const q = qs.get(paper[i].questionId)!;
      const best = q.key ?? q.weights!.indexOf(5);
      await ok(live.socket, 'answer:submit', { seq: ++seq, item: i, choice: paper[i].optionOrder.indexOf(best) });
    }
    void st;
    // while they sit, the board shows their progress and no score (the on-finish policy)
    await expect.poll(() => row.locator('[data-field=verdict]').textContent(), { timeout: 5000 }).toContain('40/110');
    expect(await row.locator('[data-field=total]').textContent()).toBe('·');
    expect(await row.getAttribute('class')).toContain('changed');
    // they answer the rest as well as anyone can
    for (let i = 40; i < paper.length; i++) {
      const q = qs.get(paper[i].questionId)!;
      const best = q.key ?? q.weights!.indexOf(5);
      await ok(live.socket, 'answer:submit', { seq: ++seq, item: i, choice: paper[i].optionOrder.indexOf(best) });
    }
    // the moment they finish, the score and the verdict are public, and a passer's row is ranked
    const result = await ok<{ total: number; passed: boolean }>(live.socket, 'exam:finish');
    expect(result).toMatchObject({ total: 550, passed: true });
    await expect.poll(() => row.locator('[data-field=total]').textContent(), { timeout: 5000 }).toBe('550');
    expect(await row.locator('.rank').textContent()).toBe('1');
    expect(await row.locator('[data-field=verdict]').textContent()).toBe('Memenuhi');
    expect(await row.locator('.name').textContent()).toMatch(/^[A-Z]+ [A-Z]\*+$/);
    await shot(tv, 'scoreboard-01-tv-1920x1080');

    const phone = await page(server, { width: 390, height: 844 });
    await phone.goto('/scoreboard/?sitting=demo');
    await phone.waitForSelector('[data-testid=board] [data-row]');
    expect(await phone.locator('[data-testid=board] [data-row]').count()).toBe(300);
    // one who finishes below a threshold is shown with their score but unranked, as in the results
    // (on the phone's single list: the TV turns its pages every 10 s)
    const low = server.candidates[46];
    const lowSession = await candidateSession(server, low.registrationNumber, low.pin);
    sockets.push(lowSession.socket);
    await ok(lowSession.socket, 'exam:start');
    await ok(lowSession.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 });
    const lowResult = await ok<{ passed: boolean }>(lowSession.socket, 'exam:finish');
    expect(lowResult.passed).toBe(false);
    const lowRow = phone.locator(`[data-row="${low.registrationNumber}"]`);
    await expect.poll(() => lowRow.locator('[data-field=verdict]').textContent(), { timeout: 5000 }).toContain('Tidak memenuhi');
    expect(await lowRow.locator('.rank').textContent()).toBe('–');
    expect(await lowRow.locator('.rank').getAttribute('class')).toContain('unranked');
    await shot(phone, 'scoreboard-02-phone');
    await phone.goto('/scoreboard/');
    await phone.waitForSelector('.sittings-list li');
    await shot(phone, 'scoreboard-03-list-phone');

    // the proctor's room view with a full hall: 300 seats on one 1920x1080 screen
    const proctor = await proctorRoom(server, { width: 1920, height: 1080 });
    await expect.poll(() => proctor.locator('table.candidates tbody tr').count()).toBe(300);
    await shot(proctor, 'proctor-04-room-table-1920');
    await proctor.click('.view-toggle button:has-text("Peta kursi")');
    await expect.poll(() => proctor.locator('[data-testid=seat-map] .seat').count()).toBe(300);
    const last = await proctor.locator('[data-testid=seat-map] .seat').last().boundingBox();
    expect(last!.y + last!.height).toBeLessThanOrEqual(1080);
    // a hall without a room layout keeps the key to the seats' colours
    expect(await proctor.locator('[data-testid=seat-legend] li').allInnerTexts()).toEqual(expect.arrayContaining(['Belum hadir', 'Mengerjakan', 'Selesai', 'Perlu perhatian']));
    await shot(proctor, 'proctor-05-seat-map-1920');
  }, 120_000);
});
