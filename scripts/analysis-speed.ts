/**
 * npx tsx scripts/analysis-speed.ts [--candidates 2000] [--room 40] [--runs 3]
 *
 * Times the issue-17 analyses on a generated SKD sitting: 30 TWK + 35 TIU keyed and 45 TKP
 * weighted items per paper, drawn from a bank of 500 (136 + 159 + 205, so each item is seen by
 * about 440 of 2,000 candidates), rooms of 40 seats. The data is the same on every run. Prints
 * the best and the median of several runs of: item analysis of the three sections, the live
 * accumulator (blank papers, then one update per answer, then a snapshot), and the similarity of every pair in every
 * room (over all 110 items and over the 65 keyed ones). Exits non-zero above the 2 s budget.
 */
import { parseArgs } from 'node:util';
import { analyseSection } from '../server/src/domain/item-analysis.js';
import { ItemAnalysisAccumulator } from '../server/src/domain/item-analysis-live.js';
import { analyseSimilarity } from '../server/src/domain/similarity.js';
import { sectionMatrix, similarityInput, simulateSitting, type SimSection } from './analysis/simulate.js';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '2000' },
    room: { type: 'string', default: '40' },
    runs: { type: 'string', default: '3' },
  },
});
const N = Number(values.candidates);
const ROOM = Number(values.room);
const RUNS = Number(values.runs);
const BUDGET_MS = 2000;

const sections: SimSection[] = [
  { id: 'TWK', kind: 'keyed', bankSize: 136, perPaper: 30 },
  { id: 'TIU', kind: 'keyed', bankSize: 159, perPaper: 35 },
  { id: 'TKP', kind: 'weighted', bankSize: 205, perPaper: 45 },
];

let t = performance.now();
const sim = simulateSitting({ seed: 'analysis-speed', candidates: N, sections, roomSize: ROOM, columns: 8 });
const matrices = sections.map((s) => sectionMatrix(sim, s.id));
const allItems = similarityInput(sim);
const keyedItems = similarityInput(sim, ['TWK', 'TIU']);
const exposure = matrices[0].candidates.reduce((a, c) => a + c.entries.size, 0) / sections[0].bankSize;
console.log(`generated ${N} candidates x 110 items in ${(performance.now() - t).toFixed(0)} ms; each TWK item seen by ~${exposure.toFixed(0)}`);

function time(label: string, run: () => unknown): number {
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} best ${ms[0].toFixed(0).padStart(5)} ms   median ${ms[ms.length >> 1].toFixed(0).padStart(5)} ms`);
  return ms[ms.length >> 1];
}

const items = time('item analysis, 3 sections', () => matrices.map((m) => analyseSection(m)));
const updates = matrices.reduce((a, m) => a + m.candidates.reduce((b, c) => b + c.entries.size, 0), 0);
// As in a sitting: papers dealt blank, then one update per answer, then one snapshot.
const live = time(`live: blank papers, ${updates} answers, snapshot`, () => {
  for (const m of matrices) {
    const acc = new ItemAnalysisAccumulator(m.section, m.kind);
    for (const c of m.candidates) acc.setCandidate(c.candidateId, new Map([...c.entries].map(([q, e]) => [q, { option: null, score: 0, max: e.max }])));
    for (const c of m.candidates) for (const [q, e] of c.entries) acc.set(c.candidateId, q, e);
    acc.snapshot();
  }
});
console.log(`  (about ${((live * 1000) / updates).toFixed(1)} us per answer, snapshot included)`);
const similarity = time(`similarity, rooms of ${ROOM}, 110 items`, () => analyseSimilarity(allItems));
time(`similarity, rooms of ${ROOM}, 65 keyed items`, () => analyseSimilarity(keyedItems));
const report = analyseSimilarity(keyedItems);
console.log(`  (${report.pairsTested} pairs, ${report.flagged.length} flagged at ${report.threshold} on honest data)`);
const total = items + similarity;
console.log(`item analysis + similarity (medians): ${total.toFixed(0)} ms (budget ${BUDGET_MS} ms)`);
if (total > BUDGET_MS) process.exitCode = 1;
