import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { candidateSession, ok, postJson, staffSocket, startTestServer, waitFor, type TestServer } from '../helpers/server.js';
import type { CandidateState } from '../../server/src/contract/candidate.js';
import { siteDate, siteTime } from '../../server/src/contract/site-time.js';
import type { IssuedPin } from '../../server/src/services/admin.js';
import { addSitting, examLogin, proctorLogin } from './fixtures.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});
const sockets = suite.sockets;

/** A portrait as a roster's /media photo would be (the test serves it; Kaca stores only the path). */
const PHOTO = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="75" viewBox="0 0 60 75"><rect width="60" height="75" fill="#c9d6e3"/><circle cx="30" cy="27" r="13" fill="#5b6f86"/><path d="M8 75c0-14 10-24 22-24s22 10 22 24z" fill="#5b6f86"/></svg>';

/** A page whose /media/ photos the test serves (Kaca stores only their paths). */
const newPage = (s: TestServer, viewport?: { width: number; height: number }): Promise<Page> =>
  suite.page(s, viewport, (context) => context.route('**/media/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: PHOTO })));

const FIRST = ['Rudi', 'Siti', 'Agus', 'Dewi', 'Ayu', 'Hendra', 'Nurul', 'Yusuf', 'Rina', 'Fajar'];
const LAST = ['Wijaya', 'Hidayat', 'Siregar', 'Lubis', 'Pratiwi', 'Saputra', 'Handayani', 'Nugroho'];

/**
 * A room of 5 rows x 8 seats. Seats are handed out in an order unrelated to registration
 * numbers (as at a real site), every other candidate has a roster photo, and the last two have
 * no seat (the roster check refuses a seat the room's grid cannot place).
 */
function roster(n: number) {
  const seats: string[] = [];
  for (let r = 0; r < 5; r++) for (let c = 1; c <= 8; c++) seats.push(`${'ABCDE'[r]}-${c}`);
  return Array.from({ length: n }, (_, i) => ({
    registrationNumber: `2430${String(1001 + i)}`,
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`,
    formation: i % 2 ? 'Pranata Komputer Ahli Pertama' : 'Analis Kebijakan Ahli Pertama',
    seat: i < 40 ? seats[(i * 17 + 5) % 40] : undefined,
    photoUrl: i % 2 === 0 ? `/media/foto/2430${1001 + i}.svg` : undefined,
  }));
}

const sitting = { id: 'ruang-2', name: 'SKD Makassar · Ruang 2', status: 'open' as const, requireAdmission: true, roomRows: 5, roomCols: 8, timezone: 'Asia/Makassar' as const };

describe('the proctor console on exam day', () => {
  it('admits 40 candidates from one checklist (photo, name, number, formation, seat): one decision, one audit entry, one feed line', async () => {
    server = await startTestServer({ serveApps: true, candidates: 1 });
    const s = server;
    const pins = await addSitting(s, sitting, roster(42));
    const cands = await Promise.all(pins.slice(0, 41).map((p) => candidateSession(s, p.registrationNumber, p.pin)));
    cands.forEach((c) => sockets.push(c.socket));
    expect(cands.every((c) => c.snapshot.attempt.state === 'waiting')).toBe(true);

    // one PC drops before admission: still on the list, marked
    const dropped = cands[40];
    dropped.socket.disconnect();
    const page = await newPage(s);
    await proctorLogin(page, s, sitting.id);
    await page.waitForSelector('[data-testid=admit-many]:has-text("Izinkan peserta (41)")');
    await page.click('[data-testid=admit-many]');
    await page.waitForSelector('[data-testid=admit-list] .admit-row');
    expect(await page.locator('[data-testid=admit-list] .admit-row').count()).toBe(41);
    await expect.poll(() => page.locator('[data-testid=admit-list] .admit-row:has([data-field=disconnected]) .admit-who .mono').allTextContents()).toEqual([pins[40].registrationNumber]);
    // in seat order, each with name, number, formation and seat; photos where the roster has one
    const first = page.locator('[data-testid=admit-list] .admit-row').first();
    expect(await first.locator('.admit-seat').textContent()).toContain('A-1');
    await expect.poll(() => page.locator('img.admit-photo').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length)).toBe(21);
    expect(await page.locator('.admit-photo.none').count()).toBe(20);
    await shot(page, 'day-proctor-01-admit-checklist');
    await expectAccessible(page, 'the admission checklist');

    // the search narrows the list; "tick all shown" then untick the one whose card did not match
    await page.fill('.admit-tools input[type=search]', 'C-');
    await expect.poll(() => page.locator('[data-testid=admit-list] .admit-row').count()).toBe(8);
    await page.fill('.admit-tools input[type=search]', '');
    await page.click('.admit-tools button:has-text("Centang semua")');
    const held = pins[40];
    await page.click(`.admit-row:has-text("${held.registrationNumber}") input[type=checkbox]`);
    const pushes = cands.slice(0, 40).map((c) => waitFor<CandidateState>(c.socket, 'attempt:admitted', 10_000));
    await page.click('[data-testid=admit-submit]:has-text("Izinkan 40 peserta")');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    expect((await Promise.all(pushes)).every((st) => st.attempt.state === 'admitted')).toBe(true);
    const audit = s.store.repos.audit.bySitting(sitting.id);
    expect(audit.map((a) => [a.action, a.reason, (a.details as { candidates: number }).candidates])).toEqual([['admit-many', 'Identitas (KTP dan kartu peserta) sesuai', 40]]);
    await expect.poll(() => page.locator('[data-testid=feed] li').allTextContents()).toEqual([expect.stringContaining('Izin mulai · 40 peserta')]);

    // one more at the door, admitted alone: the same feed line counts on
    await page.click(`tr:has(td:text-is("${held.registrationNumber}")) button:has-text("Tindakan")`);
    await page.check('input[name=action][value=admit]');
    await page.fill('textarea[name=reason]', 'KTP asli diperiksa ulang');
    await page.click('[role=dialog] button[type=submit]');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    await expect.poll(() => page.locator('[data-testid=feed] li').allTextContents()).toEqual([expect.stringContaining('Izin mulai · 41 peserta')]);
    await expect.poll(() => page.locator('[data-testid=admit-many]').count()).toBe(0);
    await shot(page, 'day-proctor-02-after-admission');
    await expectAccessible(page, 'the room after admission');
  });

  it("the seat map is the room: the roster's seats in the sitting's rows and columns, the rest after it", async () => {
    server = await startTestServer({ serveApps: true, candidates: 1 });
    const s = server;
    const pins = await addSitting(s, { ...sitting, status: 'running', requireAdmission: false }, roster(42));
    const some = await Promise.all(pins.slice(0, 12).map((p) => candidateSession(s, p.registrationNumber, p.pin)));
    some.forEach((c) => sockets.push(c.socket));
    await Promise.all(some.slice(0, 8).map((c) => ok(c.socket, 'exam:start')));
    await ok(some[2].socket, 'client:report', { kind: 'focus-lost' });

    for (const [viewport, name] of [[{ width: 1366, height: 768 }, '1366'], [{ width: 1920, height: 1080 }, '1920']] as const) {
      const page = await newPage(s, viewport);
      await proctorLogin(page, s, sitting.id);
      await page.click('.view-toggle button:has-text("Peta kursi")');
      const map = page.locator('[data-testid=seat-map]');
      await map.waitFor();
      expect([await map.getAttribute('data-rows'), await map.getAttribute('data-cols')]).toEqual(['5', '8']);
      const tiles = await map.locator('.seat[data-seat]').evaluateAll((els) => els.map((el) => ({ seat: el.getAttribute('data-seat')!, x: Math.round(el.getBoundingClientRect().left), y: Math.round(el.getBoundingClientRect().top) })));
      expect(tiles).toHaveLength(40);
      // every seat of a row letter shares one line; every seat number one column; A is the front row
      const rowY = new Map<string, number>();
      const colX = new Map<string, number>();
      for (const t of tiles) {
        const [row, col] = t.seat.split('-');
        expect(rowY.get(row) ?? t.y).toBe(t.y);
        expect(colX.get(col) ?? t.x).toBe(t.x);
        rowY.set(row, t.y);
        colX.set(col, t.x);
      }
      expect([...'ABCDE'].map((r) => rowY.get(r)!)).toEqual([...rowY.values()].sort((a, b) => a - b));
      expect([1, 2, 3, 4, 5, 6, 7, 8].map((c) => colX.get(String(c))!)).toEqual([...colX.values()].sort((a, b) => a - b));
      // the roster's order is not the room's: the first seat is not the first registration number
      expect(await map.locator('.seat[data-seat="A-1"]').textContent()).not.toContain(pins[0].registrationNumber.slice(-4));
      expect(await page.locator('[data-testid=seat-map-unplaced] .seat').count()).toBe(2);
      // the colours have a key, and every seat number sits on one line
      expect(await page.locator('[data-testid=seat-legend] li').allInnerTexts()).toEqual(expect.arrayContaining(['Belum hadir', 'Mengerjakan', 'Terputus', 'Selesai', 'Perlu perhatian']));
      const labelHeights = await map.locator('.seat-top strong').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)));
      expect(new Set(labelHeights).size).toBe(1);
      await shot(page, `day-proctor-03-seat-map-${name}`);
      await expectAccessible(page, `the seat map at ${name}`);
      // a search dims the others and keeps the room's shape
      await page.fill('.table-tools input[type=search]', pins[5].registrationNumber);
      await expect.poll(() => map.locator('.seat.dim').count()).toBe(39);
      expect(await map.locator('.seat:not(.dim)').getAttribute('data-seat')).toBe(roster(42)[5].seat);
    }
  });

  it("the berita acara names the absent and lists the alerts in the site's time (WITA); attendance reads the same in the room, the results and the board", async () => {
    server = await startTestServer({ serveApps: true, candidates: 1 });
    const s = server;
    // scheduled for two days before the day it runs (the hall was moved)
    const pins = await addSitting(s, { ...sitting, id: 'ruang-3', name: 'SKD Makassar · Ruang 3', status: 'scheduled', requireAdmission: true, scheduledStart: s.clock.now - 2 * 86_400_000 }, roster(10));
    const page = await newPage(s);
    await page.goto('/proctor/');
    await expectAccessible(page, 'the proctor login');
    await page.fill('input[name=username]', s.proctor.username);
    await page.fill('input[name=password]', s.proctor.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.sittings');
    await expectAccessible(page, 'the list of sittings');
    await page.click('a[href="#/sitting/ruang-3"]');
    await page.waitForSelector('.room-body');
    // a scheduled sitting can only be opened: no start, no close yet
    expect(await page.locator('.sitting-controls button').allTextContents()).toEqual(['Buka sesi', 'Catat kejadian']);
    await page.click('.sitting-controls button:has-text("Buka sesi")');
    await page.fill('textarea[name=reason]', 'peserta masuk ruangan');
    await expectAccessible(page, 'a sitting action dialog');
    await page.click('[role=dialog] button[type=submit]');
    await page.waitForSelector('.sitting-controls button:has-text("Mulai ujian")');

    // four candidates sit; one logs in and is never admitted; one locks the login with wrong PINs; four never come
    const exam = await newPage(s);
    await examLogin(exam, pins[0].registrationNumber, pins[0].pin);
    const rest = await Promise.all(pins.slice(1, 4).map((p) => candidateSession(s, p.registrationNumber, p.pin)));
    const notAdmitted = await newPage(s);
    await examLogin(notAdmitted, pins[4].registrationNumber, pins[4].pin);
    await notAdmitted.waitForSelector('h1:has-text("Menunggu izin pengawas")');
    rest.forEach((c) => sockets.push(c.socket));
    for (let i = 0; i < 5; i++) await postJson(`${s.url}/api/candidate/login`, { registrationNumber: pins[5].registrationNumber, pin: '000000' });
    await page.waitForSelector('[data-testid=admit-many]:has-text("(5)")');
    await page.click('[data-testid=admit-many]');
    await page.click('.admit-tools button:has-text("Centang semua")');
    await page.click(`.admit-row:has-text("${pins[4].registrationNumber}") input[type=checkbox]`);
    await page.click('[data-testid=admit-submit]');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    await page.click('.sitting-controls button:has-text("Mulai ujian")');
    // the proctor sees who will start and who will not before starting the hall
    expect(await page.locator('[data-testid=start-summary]').textContent()).toMatch(/^Siap mulai: 4 · menunggu izin: 1 \(mulai setelah diizinkan\) · belum hadir: 4 · login terkunci: 1 \(buka kuncinya dari barisnya\)/);
    await page.fill('textarea[name=reason]', 'ujian dimulai');
    await page.click('[role=dialog] button[type=submit]');
    await page.waitForSelector('.sitting-controls button:has-text("Jeda semua")');
    // the locked login's row opens on unlocking it; with no PC on it, unlocking ends nothing, so no
    // warning about an old PC (the proctor leaves it locked here: the berita acara below counts it)
    await page.click(`tr:has(td:text-is("${pins[5].registrationNumber}")) button`);
    expect(await page.locator('input[name=action]:checked').getAttribute('value')).toBe('reset-login');
    expect(await page.locator('label:has(input[name=action][value=reset-login])').textContent()).toContain('Buka kunci login');
    expect(await page.locator('[data-testid=action-note]').textContent()).toBe('Peserta dapat login lagi dengan PIN-nya. Jawaban dan sisa waktu tetap tersimpan.');
    expect(await page.locator('[role=dialog] button[type=submit]').getAttribute('class')).toBe('primary');
    await page.click('[role=dialog] button:text-is("Batal")');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
    await exam.check('.agree input');
    await exam.click('[data-testid=start]');
    await exam.waitForSelector('.question-panel');
    s.clock.advance(7 * 60_000);
    // the PC leaves the exam window twice: the proctor's feed and the audit log hear of it
    await exam.evaluate(() => window.dispatchEvent(new Event('blur')));
    await page.waitForSelector('[data-testid=feed] li.feed-alert:has-text("Meninggalkan jendela ujian")');
    const leftAt = s.clock.now;
    await exam.evaluate(() => window.dispatchEvent(new Event('blur')));
    await expect.poll(() => page.locator(`tr:has(td:text-is("${pins[0].registrationNumber}")) .alert`).textContent()).toContain('×2');
    await shot(page, 'day-proctor-04-room-alerts');
    await expectAccessible(page, 'the room with alerts');
    for (const c of rest.slice(0, 3)) await ok(c.socket, 'exam:start');

    s.clock.advance(3 * 60_000);
    const closedAt = s.clock.now;
    // the first to start has used its 10 minutes: time-up finishes it, the three who started later sit on
    await page.waitForSelector('.counts .chip.st-finished:has-text("1")');
    await page.waitForSelector('.counts .chip.st-in_progress:has-text("3")');
    await page.click('.sitting-controls button:has-text("Tutup sesi")');
    // the proctor sees how many attempts the close ends
    expect(await page.locator('[data-testid=close-summary]').textContent()).toBe('Masih mengerjakan: 3 peserta');
    await page.fill('textarea[name=reason]', 'waktu sesi habis');
    await page.click('[role=dialog] button[type=submit]');
    await page.click('[role=dialog] button[type=submit]');
    await page.waitForSelector('.badge.sitting-closed');
    // the one still waiting is told the sitting closed, and can leave the PC
    await notAdmitted.waitForSelector('h1:has-text("Sesi ujian sudah ditutup")');
    await expectAccessible(notAdmitted, 'closed while waiting');
    const absent = [pins[4], pins[5], ...pins.slice(6)].map((p) => p.registrationNumber);
    // the room: the never-admitted and the locked are absent now, like those who never came
    for (const reg of absent) await expect.poll(() => page.locator(`tr:has(td:text-is("${reg}")) .badge`).textContent()).toContain('Tidak hadir');
    expect(await page.locator('.sitting-controls button').allTextContents()).toEqual(['Catat kejadian']);
    // no character that needs an emoji font: every status icon is drawn
    expect(await page.locator('main').textContent()).not.toMatch(/[\u23F8\u{1F512}]/u);
    expect(await page.locator('.badge.st-absent svg').count()).toBe(absent.length);

    await page.click('a:has-text("Berita acara")');
    await page.waitForSelector('[data-testid=report-absentees]');
    const absentees = await page.locator('[data-testid=report-absentees] tbody tr').allTextContents();
    expect(absentees).toHaveLength(absent.length);
    for (const [i, reg] of absent.entries()) expect(absentees[i]).toContain(reg);
    expect(absentees[0]).toContain(pins[4].name);
    const alerts = await page.locator('[data-testid=report-alerts] tbody tr').allTextContents();
    expect(alerts).toEqual([expect.stringContaining('Login terkunci'), expect.stringContaining('Meninggalkan jendela ujian')]);
    expect(alerts[1]).toContain(pins[0].registrationNumber);
    // both departures, the second counted within the minute and written when the sitting closed
    expect(alerts[1]).toContain('2×');
    expect(alerts[1]).toContain(siteTime(leftAt, 'Asia/Makassar'));
    for (const time of await page.locator('[data-testid=report-alerts] td.mono:last-child, [data-testid=report-entries] td.mono').allTextContents()) expect(time).toMatch(/^\d{2}\.\d{2} WITA( · \d{2}\.\d{2} WITA)?$/);
    expect(await page.locator('[data-testid=sitting-times]').textContent()).toContain(siteTime(closedAt, 'Asia/Makassar'));
    // dated by the day the sitting ran, not the day it was scheduled for
    const ran = s.store.repos.sittings.get('ruang-3')!;
    expect(siteDate(ran.startedAt!, 'Asia/Makassar')).not.toBe(siteDate(ran.scheduledStart, 'Asia/Makassar'));
    expect(await page.locator('.paper .sub').textContent()).toContain(siteDate(ran.startedAt!, 'Asia/Makassar'));
    expect(await page.locator('[data-testid=admissions]').textContent()).toMatch(/^4 peserta, \d{2}\.\d{2} WITA, oleh Pengawas Uji$/);
    expect(await page.locator('[data-testid=present]').textContent()).toBe('4');
    // the log's signing key, which the candidates' receipt check asks them to compare
    const vkey = s.store.logKey.verifierKey;
    expect(await page.locator('[data-testid=verifier-key]').textContent()).toBe(`id ${vkey.split('+')[1]} · ${vkey}`);
    expect(await page.locator('[data-testid=absent]').textContent()).toBe(String(absent.length));
    // page 1 is the report, not a list of admissions: they are one line, never a row each
    expect(await page.locator('[data-testid=report-entries]').textContent()).not.toContain('Izin mulai');
    await expectAccessible(page, 'the berita acara');
    // printed on A4 with margins
    const margins = await page.evaluate(() => {
      for (const sheet of [...document.styleSheets]) for (const rule of [...sheet.cssRules]) if (rule instanceof CSSPageRule) return rule.style.getPropertyValue('margin') || rule.style.getPropertyValue('margin-top');
      return '';
    });
    expect(margins).toMatch(/mm/);
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'day-proctor-05-berita-acara-print');
    await page.emulateMedia({ media: 'screen' });

    // the results page: titled by the sitting's name, the same absentees
    await page.goto(`${s.url}/proctor/#/sitting/ruang-3/results`);
    await page.waitForSelector('.results table');
    expect(await page.locator('h1').textContent()).toBe('Hasil: SKD Makassar · Ruang 3');
    for (const reg of absent) {
      expect(await page.locator(`tr[data-row="${reg}"] [data-field=status]`).textContent()).toBe('Tidak hadir');
      expect(await page.locator(`tr[data-row="${reg}"] [data-field=verdict]`).textContent()).toBe('–');
    }
    await shot(page, 'day-proctor-06-results');
    await expectAccessible(page, 'the results');
    // and the public board
    const board = await newPage(s, { width: 1920, height: 1080 });
    await board.goto('/scoreboard/?sitting=ruang-3');
    await board.waitForSelector('[data-testid=board] [data-row]');
    for (const reg of absent) expect(await board.locator(`[data-row="${reg}"] [data-field=verdict]`).textContent()).toBe('Tidak hadir');
  });
});
