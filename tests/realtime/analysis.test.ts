import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ItemAnalysisOut, SimilarityOutWire } from '../../server/src/contract/analysis.js';
import { itemAnalysis } from '../../server/src/services/analysis.js';
import { staffHeaders } from '../helpers/admin.js';
import { kaca } from '../helpers/cli.js';
import { ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import { answerWithDetours, honestChoice, seatEveryone, type Person } from '../helpers/sitting-sim.js';
import { addSitting } from '../e2e/fixtures.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
  server = undefined;
});

const SITTING = 'analisis';
const ROWS = 5;
const COLS = 8;
/** the planted pair: the candidate at B-3 copies the one at B-4 (seats side by side) */
const SOURCE = 11;
const COPIER = 10;

function roster(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    registrationNumber: `2450${String(1001 + i)}`,
    name: `Peserta Analisis ${i + 1}`,
    formation: 'Analis Kebijakan Ahli Pertama',
    seat: `${'ABCDE'[Math.floor(i / COLS)]}-${(i % COLS) + 1}`,
  }));
}

describe('item analysis and answer similarity of a real sitting', () => {
  it('keeps live figures for admins while 40 candidates answer, flags the planted copier after the close, and hides both from everyone else', { timeout: 120_000 }, async () => {
    server = await startTestServer({ demo: true, candidates: 1 });
    const s = server;
    const pins = await addSitting(s, { id: SITTING, name: 'Sesi analisis', templateId: 'skd', bankId: 'demo-skd', roomRows: ROWS, roomCols: COLS, status: 'running' }, roster(40));
    const bank = new Map(s.store.repos.banks.questions('demo-skd').map((q) => [q.stem, q]));
    const admin = await staffHeaders(s, s.admin.username, s.admin.password);
    const proctorHeaders = await staffHeaders(s, s.proctor.username, s.proctor.password);
    const get = async (path: string, headers: Record<string, string> = admin) => {
      const r = await fetch(`${s.url}${path}`, { headers });
      return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
    };
    const getJson = async <T>(path: string): Promise<T> => {
      const r = await fetch(`${s.url}${path}`, { headers: admin });
      const body = await r.json();
      expect(r.status, JSON.stringify(body).slice(0, 500)).toBe(200);
      return body as T;
    };

    const people = await seatEveryone(s, pins, sockets);
    const rnd = seedrandom('analysis-test');
    const attraction = new Map<string, number[]>();
    const question = (p: Person, item: number) => {
      const q = bank.get(p.state.items![item].stem);
      expect(q).toBeDefined();
      return q!;
    };
    const chosen = people.map(() => new Map<string, number>());
    const abilities = people.map((_, k) => (k === SOURCE ? 0.35 : 0.45 + 0.4 * rnd()));

    // first half of every paper, then the live figures
    const half = Math.floor(people[0].state.items!.length / 2);
    const sit = async (k: number, from: number, to: number) => {
      const p = people[k];
      for (let item = from; item < to; item++) {
        const q = question(p, item);
        let option = honestChoice(q, abilities[k], rnd, attraction);
        // the copier takes the source's answer wherever the source has given one
        if (k === COPIER && chosen[SOURCE].has(q.id) && rnd() < 0.9) option = chosen[SOURCE].get(q.id)!;
        chosen[k].set(q.id, option);
        await answerWithDetours(s, p, item, option, q);
      }
    };
    const order = [...people.keys()].filter((k) => k !== COPIER).concat(COPIER);
    for (const k of order) await sit(k, 0, half);

    const live1 = await getJson<ItemAnalysisOut>(`/api/admin/sittings/${SITTING}/analysis`);
    expect(live1.live).toBe(true);
    expect(live1.sittings).toEqual([expect.objectContaining({ id: SITTING, status: 'running', candidates: 40 })]);
    expect(live1.sections.map((x) => x.section).sort()).toEqual(['TIU', 'TKP', 'TWK']);
    expect(live1.sections.find((x) => x.section === 'TWK')!.reliability.method).toBe('KR-20');
    expect(live1.sections.find((x) => x.section === 'TKP')!.reliability.method).toBe('alpha');

    for (const k of order) await sit(k, half, people[k].state.items!.length);
    // the running sums, fed by every committed answer, equal a batch analysis of what is stored
    const live2 = await getJson<ItemAnalysisOut>(`/api/admin/sittings/${SITTING}/analysis`);
    // nothing changed since: the same report, not a new pass over every entry
    expect((await getJson<ItemAnalysisOut>(`/api/admin/sittings/${SITTING}/analysis`)).computedAt).toBe(live2.computedAt);
    const batch = itemAnalysis(s.store.repos, s.store.catalog, { sittingId: SITTING });
    expect(live2.sections.length).toBe(3);
    for (const section of batch.sections) {
      const liveItems = new Map(live2.sections.find((x) => x.section === section.section)!.items.map((i) => [i.questionId, i]));
      expect(liveItems.size).toBe(section.items.length);
      for (const item of section.items) {
        const l = liveItems.get(item.questionId)!;
        expect([l.n, l.facility, l.rItemRest, l.meanScore, l.flags]).toEqual([item.n, item.facility, item.rItemRest, item.meanScore, item.flags]);
        expect(l.options.map((o) => [o.option, o.all, o.upper, o.lower])).toEqual(item.options.map((o) => [o.option, o.all, o.upper, o.lower]));
        expect(l.blank).toEqual(item.blank);
      }
      expect(live2.sections.find((x) => x.section === section.section)!.reliability.value).toBeCloseTo(section.reliability.value!, 12);
    }
    // TKP comes last on the paper: blank for everyone at half time, answered by the end
    expect(live1.sections.find((x) => x.section === 'TKP')!.items.every((i) => i.facility === 0 && i.blank.all === 1)).toBe(true);
    expect(live2.sections.find((x) => x.section === 'TKP')!.items.every((i) => i.facility > 0 && i.blank.all === 0)).toBe(true);

    // nobody but an admin: not anonymous, not a proctor, and nothing of it on the public board
    expect((await get(`/api/admin/sittings/${SITTING}/analysis`, {})).status).toBe(401);
    expect((await get(`/api/admin/sittings/${SITTING}/analysis`, proctorHeaders)).status).toBe(403);
    expect((await get(`/api/admin/sittings/${SITTING}/similarity`, proctorHeaders)).status).toBe(403);
    // similarity waits for the close
    const early = await get(`/api/admin/sittings/${SITTING}/similarity`);
    expect(early.status).toBe(409);
    expect(early.text).toContain('INVALID_STATE');

    // everyone finishes before the proctor closes (the usual end of a sitting)
    for (const p of people) await ok(p.socket, 'exam:finish');

    // nothing of it reaches the public board
    const board = await (await fetch(`${s.url}/api/sittings/${SITTING}/scoreboard`)).text();
    for (const word of ['facility', 'rItemRest', 'similarity', 'flagged', 'options']) expect(board).not.toContain(word);

    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    expect(s.app.engine.analysis.watching).toBe(1);
    await ok(proctor.socket, 'sitting:close', { sittingId: SITTING, reason: 'waktu habis' });
    // everyone had finished, so no candidate changed at the close: the sitting's change drops the live figures
    expect(s.app.engine.analysis.watching).toBe(0);

    const sim = await getJson<SimilarityOutWire>(`/api/admin/sittings/${SITTING}/similarity?correction=bonferroni`);
    expect(sim).toMatchObject({ sittings: [{ id: SITTING, name: 'Sesi analisis', room: 'Ruang CAT 2' }], cohort: 40, candidates: 40, pairsTested: 780, correction: 'bonferroni' });
    const regOf = new Map(sim.people.map((x) => [x.id, x.registrationNumber]));
    const flagged = sim.flagged.map((f) => [regOf.get(f.a as number), regOf.get(f.b as number)].sort());
    expect(flagged).toEqual([[pins[COPIER].registrationNumber, pins[SOURCE].registrationNumber].sort()]);
    const pair = sim.flagged[0];
    expect(pair).toMatchObject({ adjacent: true, seatDistance: 1 });
    expect(pair.evidence.length).toBe(pair.identicalWrong);
    expect(pair.identicalWrong).toBeGreaterThanOrEqual(10);
    // the answer times point at the copier: most shared wrong answers came from them later
    const copierIsA = regOf.get(pair.a as number) === pins[COPIER].registrationNumber;
    const [copierLater, sourceLater] = copierIsA ? [pair.aLater, pair.bLater] : [pair.bLater, pair.aLater];
    expect(copierLater).toBeGreaterThan(3 * sourceLater);
    expect(copierLater + sourceLater).toBe(pair.evidence.length);
    const csv = await get(`/api/admin/sittings/${SITTING}/similarity?format=csv&correction=bonferroni`);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.split('\r\n')[1]).toMatch(/^yes,/);

    // after the close: the stored answers, on the reader thread, give the same figures
    const closed = await getJson<ItemAnalysisOut>(`/api/admin/sittings/${SITTING}/analysis`);
    expect(closed.live).toBe(false);
    expect(closed.sections.find((x) => x.section === 'TIU')!.items.map((i) => i.facility).sort()).toEqual(batch.sections.find((x) => x.section === 'TIU')!.items.map((i) => i.facility).sort());
    expect(closed.sections.flatMap((x) => x.items).every((i) => i.time !== null && i.time.meanMs >= 0)).toBe(true);
    // the bank over its closed sittings: this one (the demo sitting is still running)
    const byBank = await getJson<ItemAnalysisOut>(`/api/admin/banks/demo-skd/analysis`);
    expect(byBank.sittings.map((x) => x.id)).toEqual([SITTING]);
    const bankCsv = await get(`/api/admin/banks/demo-skd/analysis?format=csv`);
    expect(bankCsv.text.split('\r\n')[0]).toContain('question_id,n,max,mean_score,facility,r_item_rest');
    expect(bankCsv.text.trim().split('\r\n').length - 1).toBe(byBank.sections.reduce((n, x) => n + x.items.length, 0));

    // and the CLI, on the same data directory while the server runs
    const cli = kaca(['item-analysis', '--bank', 'demo-skd', '--format', 'json'], { DATA_DIR: s.dataDir });
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as ItemAnalysisOut;
    expect(fromCli.sections.map((x) => [x.section, x.items.length])).toEqual(byBank.sections.map((x) => [x.section, x.items.length]));
    expect(cli.stderr).toMatch(/items over 40 candidates in 1 sitting/);
    const simCli = kaca(['similarity', '--sitting', SITTING, '--correction', 'bonferroni'], { DATA_DIR: s.dataDir });
    expect(simCli.code, simCli.stderr).toBe(0);
    expect(simCli.stdout.split('\r\n').filter((l) => l.startsWith('yes,')).length).toBe(1);
    expect(simCli.stdout).toContain(pins[SOURCE].registrationNumber);
    // every closed room of the bank at once: here the one room, with the same single flag
    const byBankCli = kaca(['similarity', '--bank', 'demo-skd', '--correction', 'bonferroni', '--format', 'json'], { DATA_DIR: s.dataDir });
    expect(byBankCli.code, byBankCli.stderr).toBe(0);
    expect(byBankCli.stderr).toMatch(/^780 pairs of 40 candidates in 1 room\(s\) \(chances from 40\), 1 flagged/);
    expect((JSON.parse(byBankCli.stdout) as SimilarityOutWire).flagged.map((f) => [f.a, f.b])).toEqual(sim.flagged.map((f) => [f.a, f.b]));
    const both = kaca(['similarity', '--bank', 'demo-skd', '--sitting', SITTING], { DATA_DIR: s.dataDir });
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('takes one of --sitting <id> or --bank <id>')]);
    const help = kaca(['item-analysis', '--help'], { DATA_DIR: s.dataDir });
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('item-analysis --bank <id> | --sitting <id>')]);
    const unwritable = kaca(['item-analysis', '--bank', 'demo-skd', '--out', '/nonexistent/dir/x.csv'], { DATA_DIR: s.dataDir });
    expect([unwritable.code, unwritable.stderr.trim()]).toEqual([1, 'kaca: cannot write /nonexistent/dir/x.csv: ENOENT']);
    const bad = kaca(['similarity', '--sitting', SITTING, '--alpha', '2'], { DATA_DIR: s.dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--alpha');
  });
});
