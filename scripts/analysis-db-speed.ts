/**
 * npx tsx scripts/analysis-db-speed.ts [--rooms 50] [--room 40] [--runs 3]
 *
 * Issue 17's speed figure end to end, from the database: 50 sittings (rooms) of 40 candidates
 * on the demo bank (SKD, 110 items each, 2,000 candidates in all) are sat through the engine
 * (login, start, one answer per item, honest-looking choices from a seeded model) and closed;
 * then the analyses an admin asks for are timed as the reader thread runs them, reading papers
 * and answer events from SQLite: item analysis of the bank over its closed sittings, and the
 * similarity of every pair in every room. Exits non-zero above 2 s.
 */
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { parseConfig } from '../server/src/config.js';
import { createRepositories } from '../server/src/db/repositories/index.js';
import { ExamEngine } from '../server/src/engine/engine.js';
import { addCandidates, createSitting } from '../server/src/services/admin.js';
import { itemAnalysis, similarity } from '../server/src/services/analysis.js';
import { demoStore } from '../tests/helpers/store.js';

const { values } = parseArgs({ options: { rooms: { type: 'string', default: '50' }, room: { type: 'string', default: '40' }, runs: { type: 'string', default: '3' } } });
const ROOMS = Number(values.rooms);
const ROOM = Number(values.room);
const N = ROOMS * ROOM;
const RUNS = Number(values.runs);
const BUDGET_MS = 2000;

let t = performance.now();
const d = await demoStore(ROOM);
const demo = d.store.repos.sittings.get('demo')!;
const sittings = ['demo'];
const logins = d.creds.candidates.map((c) => ({ registrationNumber: c.registrationNumber, pin: c.pin, sittingId: 'demo' }));
for (let k = 2; k <= ROOMS; k++) {
  const id = `ruang-${k}`;
  const input = { id, name: `Ruang ${k}`, templateId: demo.templateId, bankId: demo.bankId, site: demo.site, room: `Ruang CAT ${k}`, scheduledStart: demo.scheduledStart, requireToken: false, requireAdmission: false, practice: false, vacancies: demo.vacancies };
  await createSitting(d.store, input, demo.createdAt, { tokenIntervalMinutes: 15 }, { status: 'running' });
  const rows = Array.from({ length: ROOM }, (_, i) => ({ registrationNumber: `26${String(k).padStart(3, '0')}${String(i).padStart(4, '0')}`, name: `Peserta ${k}-${i}`, formation: 'F', group: 'umum', extraMinutes: 0 }));
  for (const c of await addCandidates(d.store, id, rows, d.store.secret, demo.createdAt, () => '123456')) logins.push({ registrationNumber: c.registrationNumber, pin: c.pin, sittingId: id });
  sittings.push(id);
}
const engine = new ExamEngine(d.store, parseConfig({ dataDir: d.dir, logLevel: 'silent', answersPerSecond: 1e9 }), Date.now);
await engine.start();
const ids = sittings.flatMap((id) => d.store.repos.candidates.listBySitting(id).map((c) => c.id));
for (const c of logins) await engine.login.login(c);
const rnd = seedrandom('analysis-db-speed');
let answers = 0;
await Promise.all(
  ids.map(async (id) => {
    await engine.candidates.start(id);
    const e = engine.registry.examinee(id);
    const paper = e.paper!;
    const ability = 0.3 + 0.6 * rnd();
    for (let item = 0; item < paper.length; item++) {
      const q = paper.questions[item];
      // the shown position of the key (or the heaviest option) with the candidate's ability, else any
      let bank = q.key ?? q.weights!.indexOf(Math.max(...q.weights!));
      if (rnd() > ability) bank = Math.floor(rnd() * q.options.length);
      let shown = 0;
      while (paper.bankIndex(item, shown) !== bank) shown++;
      await engine.candidates.answer(id, { seq: item + 1, item, choice: shown });
      answers++;
    }
  }),
);
for (const id of sittings) await engine.sittings.setStatus({ id: null, name: 'analysis-db-speed', role: 'admin' }, id, 'closed', 'selesai');
await engine.stop();
console.log(`sat ${N} candidates in ${ROOMS} rooms x 110 items (${answers} answers) through the engine in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const ms: number[] = [];
for (let r = 0; r < RUNS; r++) {
  t = performance.now();
  // fresh repositories each run: the similarity cache of a cohort (per repositories) starts empty, so every run reads the database
  const repos = createRepositories(d.store.handle!.db);
  const items = itemAnalysis(repos, d.store.catalog, { bankId: demo.bankId });
  const a = performance.now() - t;
  const sim = similarity(repos, d.store.catalog, { bankId: demo.bankId });
  const pairs = sim.pairsTested;
  const flagged = sim.flagged.length;
  const total = performance.now() - t;
  ms.push(total);
  console.log(
    `run ${r + 1}: item analysis of the bank ${a.toFixed(0)} ms (${items.sittings.length} sittings, ${items.sittings.reduce((n, s) => n + s.candidates, 0)} candidates, ${items.sections.reduce((n, s) => n + s.items.length, 0)} items), similarity of ${sittings.length} rooms ${(total - a).toFixed(0)} ms (${pairs} pairs, ${flagged} flagged at 0.001 per pair), both ${total.toFixed(0)} ms`,
  );
}
ms.sort((a, b) => a - b);
console.log(`item analysis + similarity from the database, median of ${RUNS}: ${ms[ms.length >> 1].toFixed(0)} ms (budget ${BUDGET_MS} ms)`);
await d.close();
if (ms[ms.length >> 1] > BUDGET_MS) process.exitCode = 1;
