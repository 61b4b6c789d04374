import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { candidateSession, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import type { CandidateState } from '../../server/src/contract/candidate.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});
const sockets = suite.sockets;

// the TV turns its pages on a timer: a fake one turns them at once, without waiting ten seconds
const newPage = (s: TestServer, viewport: { width: number; height: number }, fakeClock = false): Promise<Page> => suite.page(s, viewport, fakeClock ? (context) => context.clock.install() : undefined);

/**
 * Candidates sit the demo over real sockets: each answers `right` of the first 110 items with
 * the best option (the rest wrong), then finishes, or stays in progress.
 */
async function sit(s: TestServer, index: number, right: number, finish: boolean) {
  const c = s.candidates[index];
  const session = await candidateSession(s, c.registrationNumber, c.pin);
  sockets.push(session.socket);
  await ok<CandidateState>(session.socket, 'exam:start');
  const questions = s.store.catalog.forSitting(s.store.repos.sittings.get(s.sittingId)!).questions;
  const paper = s.store.repos.papers.get(session.candidateId)!;
  for (let i = 0; i < 110; i++) {
    const q = questions.get(paper[i].questionId)!;
    const best = q.key ?? q.weights!.indexOf(5);
    const choice = i < right ? best : (best + 1) % q.options.length;
    await ok(session.socket, 'answer:submit', { seq: i + 1, item: i, choice: paper[i].optionOrder.indexOf(choice) });
  }
  if (finish) await ok(session.socket, 'exam:finish');
  return session;
}

describe('the public board on exam day', () => {
  it('after the close: the final verdict per threshold set, ranks within each formation from the server, terminated unranked, the absent named absent', async () => {
    server = await startTestServer({ demo: true, candidates: 40, serveApps: true });
    const s = server;
    // 4 (disabilitas: the 2024 special threshold set) and 5 (cum laude) sit too
    for (const [i, right] of [[0, 110], [1, 90], [2, 40], [3, 100], [4, 70], [5, 95], [6, 100], [7, 85]] as const) await sit(s, i, right, true);
    const cheat = await sit(s, 8, 110, false);
    await sit(s, 9, 30, false);
    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'candidate:terminate', { sittingId: s.sittingId, candidateId: cheat.candidateId, reason: 'joki' });
    const tv = await newPage(s, { width: 1920, height: 1080 }, true);
    await tv.goto('/scoreboard/?sitting=demo');
    await tv.waitForSelector('[data-testid=board] [data-row]');
    await ok(proctor.socket, 'sitting:close', { sittingId: s.sittingId, reason: 'waktu habis' });
    await tv.waitForSelector('.board-clock strong:text-is("Selesai")');

    const reg = (i: number) => s.candidates[i].registrationNumber;
    const row = (i: number) => tv.locator(`[data-row="${reg(i)}"]`);
    for (let i = 0; i < 10; i++) {
      const id = s.store.repos.candidates.byRegistration(s.sittingId, reg(i))!.id;
      const result = s.store.repos.results.get(id)!;
      const verdict = row(i).locator('[data-field=verdict]');
      if (i === 8) {
        await expect.poll(() => verdict.textContent()).toBe('Dihentikan');
        expect(await row(i).locator('.rank').textContent()).toBe('–');
        continue;
      }
      // the one still sitting at the close was finished by it: a final verdict too
      await expect.poll(() => verdict.textContent()).toMatch(result.passed ? /^Memenuhi/ : /^Tidak memenuhi/);
      expect(await row(i).locator('[data-field=total]').textContent()).toBe(String(result.total));
      if (result.thresholdSet !== 'umum') {
        // a numbered mark explained under the table (the set's name does not fit the row), and the name for screen readers
        expect(await verdict.textContent()).toContain(result.thresholdSet === 'khusus-2024' ? 'Disabilitas' : 'cum laude');
        expect(await verdict.locator('.set-mark').textContent()).toBe(result.thresholdSet === 'khusus-2024' ? '2' : '1');
      } else expect(await verdict.locator('.set-mark').count()).toBe(0);
    }
    expect(await row(20).locator('[data-field=verdict]').textContent()).toBe('Tidak hadir');
    expect(await tv.locator('[data-testid=set-legend]').textContent()).toBe('Ambang batas: tanpa tanda Umum · 1 Lulusan cum laude / diaspora · 2 Disabilitas, Papua/Papua Barat, daerah tertinggal (2024)');
    // nothing in the verdict column is cut off
    const cut = await tv.locator('[data-field=verdict]').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(cut).toBe(0);
    // ranks are the server's, within each formation: every formation starts at 1
    const formations = await tv.locator('.formation-row th').allTextContents();
    expect(formations.filter((f) => !f.includes('lanjutan'))).toEqual(['Analis Kebijakan Ahli Pertama', 'Auditor Ahli Pertama', 'Pranata Komputer Ahli Pertama']);
    await shot(tv, 'day-board-01-after-close-tv');
    await expectAccessible(tv, 'the board after the close');
    await tv.selectOption('.board-tools select', 'Auditor Ahli Pertama');
    await expect.poll(() => tv.locator('.formation-row th').allTextContents()).toEqual(['Auditor Ahli Pertama']);
    const ranks = await tv.locator('[data-row] .rank').allTextContents();
    expect(ranks[0]).toBe('1');
    await shot(tv, 'day-board-02-formation-filter');
  });

  it('a phone finds its own row by registration number, shown in every row', async () => {
    server = await startTestServer({ demo: true, candidates: 300, serveApps: true });
    const s = server;
    await sit(s, 136, 80, true);
    const phone = await newPage(s, { width: 390, height: 844 });
    await phone.goto('/scoreboard/');
    await phone.waitForSelector('.sittings-list li');
    await expectAccessible(phone, 'the list of boards on a phone');
    await phone.click('a[href="?sitting=demo"]');
    await phone.waitForSelector('[data-testid=board] [data-row]');
    expect(await phone.locator('[data-testid=board] [data-row]').count()).toBe(300);
    // registration numbers are on every row: masked names alone collide
    const regs = await phone.locator('[data-testid=board] .reg').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
    expect(regs).toBe(300);
    // a row whose scores are still hidden has no line of empty scores
    const rowsNow = await phone.locator('[data-testid=board] [data-row]').evaluateAll((els) => els.map((e) => {
      const total = e.querySelector('[data-field=total]') as HTMLElement;
      // a hidden total shows nothing (no stray mark) and says so to a screen reader
      return { hidden: total.hasAttribute('data-hidden'), shows: [...total.childNodes].filter((n) => !(n instanceof Element && n.classList.contains('sr-only'))).map((n) => n.textContent).join('').trim(), says: total.textContent, scores: !!e.querySelector('.scores') };
    }));
    expect(rowsNow.filter((r) => r.hidden).length).toBeGreaterThan(0);
    expect(rowsNow.filter((r) => r.hidden).every((r) => r.shows === '' && r.says === 'skor belum dibuka')).toBe(true);
    expect(rowsNow.filter((r) => !r.hidden).every((r) => /^\d+$/.test(r.shows))).toBe(true);
    expect(rowsNow.filter((r) => r.hidden && r.scores)).toEqual([]);
    expect(rowsNow.filter((r) => !r.hidden).every((r) => r.scores)).toBe(true);
    await shot(phone, 'day-board-03-phone');
    await expectAccessible(phone, 'the board on a phone');
    const mine = s.candidates[136].registrationNumber;
    await phone.fill('[data-testid=board-search]', mine);
    await expect.poll(() => phone.locator('[data-testid=board] [data-row]').count()).toBe(1);
    const found = phone.locator(`[data-row="${mine}"]`);
    expect(await found.locator('.reg').textContent()).toBe(mine);
    expect(await found.locator('[data-field=verdict]').textContent()).toMatch(/^(Memenuhi|Tidak memenuhi)/);
    expect(await phone.locator('.board-found').textContent()).toBe('1 ditemukan');
    const box = await found.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    await shot(phone, 'day-board-04-phone-search');
    await expectAccessible(phone, 'a search on a phone');
    // a phone that loses the network says its numbers may be stale, and comes back by itself
    expect(await phone.locator('[data-testid=board-offline]').count()).toBe(0);
    await phone.context().setOffline(true);
    await phone.waitForSelector('[data-testid=board-offline]');
    await shot(phone, 'day-board-05-phone-offline');
    await phone.context().setOffline(false);
    await phone.waitForSelector('[data-testid=board-offline]', { state: 'detached', timeout: 15_000 });
  });

  it("the TV: fixed columns as pages turn, text readable from 3 m, 40 candidates a page, and the sitting's own time in the header", async () => {
    server = await startTestServer({ demo: true, candidates: 300, serveApps: true });
    const s = server;
    const sitting = await sit(s, 0, 30, false);
    for (let i = 1; i < 4; i++) await sit(s, i, 60 + i * 10, true);
    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    // one candidate's extension is theirs: the hall's clock does not move with it
    await ok(proctor.socket, 'candidate:extend', { sittingId: s.sittingId, candidateId: sitting.candidateId, minutes: 30, reason: 'PC mati' });
    const tv = await newPage(s, { width: 1920, height: 1080 }, true);
    await tv.goto('/scoreboard/');
    await tv.waitForSelector('.sittings-list li');
    await expectAccessible(tv, 'the list of boards on a TV');
    await tv.click('a[href="?sitting=demo"]');
    await tv.waitForSelector('[data-testid=board] [data-row]');
    expect(await tv.locator('[data-testid=board-time]').textContent()).toMatch(/^1:(40:00|39:5\d)$/);
    const shown = await tv.locator('[data-testid=board] [data-row]').count();
    expect(shown).toBeGreaterThanOrEqual(40);
    expect(await tv.locator('[data-testid=board]').count()).toBe(2);
    // everything on the screen, the status and progress and the top bar included, is at least 18 px
    const smallest = await tv.locator('.scoreboard-app').evaluate((root) => {
      let min = Infinity;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!;
        if (!n.textContent?.trim() || el.closest('.sr-only') || el.closest('option')) continue;
        min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
      }
      return min;
    });
    expect(smallest).toBeGreaterThanOrEqual(18);
    // nothing is cut: a paused candidate's progress and the search's hint read whole
    await ok(proctor.socket, 'candidate:pause', { sittingId: s.sittingId, candidateId: sitting.candidateId, reason: 'PC mati' });
    await expect.poll(() => tv.locator(`[data-row="${s.candidates[0].registrationNumber}"]`).textContent()).toContain('jeda');
    const cut = await tv.locator('[data-testid=board] [data-row] td:not(.name)').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
    expect(cut).toEqual([]);
    const hintFits = await tv.locator('[data-testid=board-search]').evaluate((el) => {
      const input = el as HTMLInputElement;
      const cs = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return ctx.measureText(input.placeholder).width <= input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    });
    expect(hintFits).toBe(true);
    // the board fits the screen: nothing below the fold
    const bottom = await tv.locator('[data-testid=pager]').boundingBox();
    expect(bottom!.y + bottom!.height).toBeLessThanOrEqual(1080);
    const columns = () => tv.locator('[data-testid=board] thead th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().left)));
    const first = await columns();
    const firstRows = await tv.locator('[data-testid=board] [data-row]').first().getAttribute('data-row');
    await shot(tv, 'day-board-05-tv-page-1');
    await expectAccessible(tv, 'the TV board');
    await tv.clock.fastForward(10_000);
    await expect.poll(() => tv.locator('[data-testid=pager]').textContent()).toContain('Halaman 2 dari');
    expect(await tv.locator('[data-testid=board] [data-row]').first().getAttribute('data-row')).not.toBe(firstRows);
    expect(await columns()).toEqual(first);
    const pages = Number(/dari (\d+)/.exec((await tv.locator('[data-testid=pager]').textContent())!)![1]);
    // 300 candidates around the room in a minute and a half at most, not 2.7 minutes
    expect(pages * 10).toBeLessThanOrEqual(90);
    await shot(tv, 'day-board-06-tv-page-2');
    // the hall's clock runs out while the candidate given 30 more minutes still sits (paused now):
    // the board says someone is still at work instead of a bare 0:00:00
    expect(await tv.locator('[data-testid=board-still-sitting]').count()).toBe(0);
    await tv.clock.fastForward(101 * 60_000);
    await expect.poll(() => tv.locator('[data-testid=board-still-sitting]').textContent()).toBe('1 peserta masih mengerjakan');
    expect(await tv.locator('.board-clock-label').textContent()).toBe('Waktu sesi habis');
    await shot(tv, 'day-board-07-tv-time-up');
  });
});
