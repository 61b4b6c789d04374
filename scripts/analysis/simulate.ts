/**
 * Synthetic sittings for the analysis tests and the speed script: honest candidates answer
 * from an IRT-like model on papers drawn from a bank, and chosen pairs copy. Deterministic for
 * a seed (server/src/domain/rng.ts).
 */
import { createRng, randomInt, shuffle, type Rng } from '../../server/src/domain/rng.js';
import type { ItemEntry, SectionMatrix } from '../../server/src/domain/item-analysis.js';
import type { SimilarityCandidate } from '../../server/src/domain/similarity.js';

export interface SimSection {
  id: string;
  kind: 'keyed' | 'weighted';
  bankSize: number;
  perPaper: number;
  optionCount?: number;
}

export interface SimConfig {
  seed: string;
  candidates: number;
  sections: SimSection[];
  roomSize: number;
  /** seats per row */
  columns: number;
  /** candidate indices: the copier takes the source's answer on a shared item with chance `share` */
  copiers?: { source: number; copier: number; share: number }[];
  omitRate?: number;
  startAt?: number;
}

export interface SimItem {
  id: string;
  section: string;
  kind: 'keyed' | 'weighted';
  optionCount: number;
  key: number;
  /** weighted items: points per option */
  weights: number[];
  a: number;
  b: number;
  /** per option: how strongly a wrong (keyed) or any (weighted) answer is drawn to it */
  attraction: number[];
}

export interface SimAnswer extends ItemEntry {
  correct: boolean;
  timeMs: number;
  answeredAt: number;
}

export interface SimCandidate {
  id: string;
  room: string;
  seat: number;
  row: number;
  column: number;
  theta: number;
  /** questionId -> answer, in the order the paper showed the items */
  answers: Map<string, SimAnswer>;
}

export interface SimSitting {
  items: Map<string, SimItem>;
  candidates: SimCandidate[];
}

const MAX_POINTS = 5;

export function normal(rng: Rng): number {
  // Box-Muller; 1 - u keeps the log away from 0.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function makeItems(rng: Rng, s: SimSection): SimItem[] {
  const optionCount = s.optionCount ?? 5;
  return Array.from({ length: s.bankSize }, (_, i) => ({
    id: `${s.id}-${String(i).padStart(4, '0')}`,
    section: s.id,
    kind: s.kind,
    optionCount,
    key: randomInt(rng, optionCount),
    weights: s.kind === 'weighted' ? shuffle(rng, [1, 2, 3, 4, 5].slice(0, optionCount)) : [],
    a: 0.7 + 1.3 * rng(),
    b: s.kind === 'weighted' ? -0.5 + 0.7 * normal(rng) : normal(rng),
    attraction: Array.from({ length: optionCount }, () => (s.kind === 'weighted' ? 0.5 : 0.8) * normal(rng)),
  }));
}

function answer(rng: Rng, item: SimItem, theta: number, omitRate: number): { option: number | null; score: number; correct: boolean } {
  if (rng() < omitRate) return { option: null, score: 0, correct: false };
  if (item.kind === 'weighted') {
    // Higher trait leans toward higher weights; each option keeps its own pull.
    const trait = 0.5 * theta + 0.866 * normal(rng);
    const option = pickWeighted(rng, item.weights.map((w, o) => Math.exp(1.2 * (trait - item.b) * ((w - 3) / 2) + item.attraction[o])));
    return { option, score: item.weights[option], correct: item.weights[option] === MAX_POINTS };
  }
  const guess = 0.15;
  const pCorrect = guess + (1 - guess) / (1 + Math.exp(-1.7 * item.a * (theta - item.b)));
  if (rng() < pCorrect) return { option: item.key, score: MAX_POINTS, correct: true };
  // Weaker candidates are drawn harder to the most attractive distractor.
  const sharpness = Math.max(0.2, 1.2 - 0.4 * theta);
  const weights = item.attraction.map((z, o) => (o === item.key ? 0 : Math.exp(z * sharpness)));
  return { option: pickWeighted(rng, weights), score: 0, correct: false };
}

export function simulateSitting(cfg: SimConfig): SimSitting {
  const rng = createRng('kaca-analysis-sim', cfg.seed);
  const omitRate = cfg.omitRate ?? 0.02;
  const startAt = cfg.startAt ?? 1_700_000_000_000;
  const bank = new Map(cfg.sections.map((s) => [s.id, makeItems(rng, s)]));
  const items = new Map<string, SimItem>();
  for (const list of bank.values()) for (const it of list) items.set(it.id, it);

  const candidates: SimCandidate[] = [];
  for (let c = 0; c < cfg.candidates; c++) {
    const theta = normal(rng);
    const seat = c % cfg.roomSize;
    const cand: SimCandidate = {
      id: `C${String(c).padStart(5, '0')}`,
      room: `R${String(Math.floor(c / cfg.roomSize)).padStart(3, '0')}`,
      seat: seat + 1,
      row: Math.floor(seat / cfg.columns),
      column: seat % cfg.columns,
      theta,
      answers: new Map(),
    };
    let clock = startAt;
    for (const s of cfg.sections) {
      const pool = bank.get(s.id)!;
      const picked = shuffle(rng, pool.map((_, i) => i)).slice(0, s.perPaper);
      for (const i of picked) {
        const item = pool[i];
        const timeMs = Math.round(Math.exp(Math.log(s.kind === 'weighted' ? 30_000 : 45_000) + 0.25 * item.b - 0.15 * theta + 0.35 * normal(rng)));
        clock += timeMs;
        cand.answers.set(item.id, { ...answer(rng, item, theta, omitRate), max: MAX_POINTS, timeMs, answeredAt: clock });
      }
    }
    candidates.push(cand);
  }

  for (const { source, copier, share } of cfg.copiers ?? []) {
    const src = candidates[source];
    const cop = candidates[copier];
    for (const [q, a] of cop.answers) {
      const s = src.answers.get(q);
      if (s && rng() < share) cop.answers.set(q, { ...s, timeMs: a.timeMs, answeredAt: s.answeredAt + 5_000 + randomInt(rng, 55_000) });
    }
  }
  return { items, candidates };
}

export function sectionMatrix(sim: SimSitting, section: string): SectionMatrix {
  const kind = [...sim.items.values()].find((i) => i.section === section)!.kind;
  return {
    section,
    kind,
    candidates: sim.candidates.map((c) => ({
      candidateId: c.id,
      entries: new Map(
        [...c.answers]
          .filter(([q]) => sim.items.get(q)!.section === section)
          .map(([q, a]): [string, ItemEntry] => [q, { option: a.option, score: a.score, max: a.max, timeMs: a.timeMs }]),
      ),
    })),
  };
}

export function similarityInput(sim: SimSitting, sections?: readonly string[]): SimilarityCandidate[] {
  const keep = (q: string) => !sections || sections.includes(sim.items.get(q)!.section);
  return sim.candidates.map((c) => ({
    id: c.id,
    room: c.room,
    seat: c.seat,
    row: c.row,
    column: c.column,
    answers: new Map([...c.answers].filter(([q]) => keep(q)).map(([q, a]) => [q, { option: a.option, correct: a.correct, answeredAt: a.answeredAt }])),
  }));
}
