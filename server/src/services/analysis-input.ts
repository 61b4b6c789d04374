import type { Question } from '../contract/question.js';
import type { Catalog } from '../domain/catalog.js';
import type { CandidateResponses, ItemEntry, ItemMeta, SectionKind } from '../domain/item-analysis.js';
import { maxPoints, scoreChoice } from '../domain/scoring.js';
import { seatPlace } from '../domain/seat-map.js';
import type { SimilarityAnswer, SimilarityCandidate } from '../domain/similarity.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import type { SittingRow } from '../db/repositories/sittings.js';

/** One candidate of a sitting whose attempt is part of an analysis. */
export interface AnalysedCandidate {
  id: number;
  registrationNumber: string;
  name: string;
  seat: string | null;
  row: number | null;
  column: number | null;
  /** questionId -> the final state of the item on their paper */
  items: Map<string, { section: string; entry: ItemEntry; answer: SimilarityAnswer }>;
}

export interface SittingInput {
  sitting: SittingRow;
  /** section id -> how it is scored */
  kinds: Map<string, SectionKind>;
  candidates: AnalysedCandidate[];
  questions: ReadonlyMap<string, Question>;
}

/**
 * Attempts the item analysis uses: started, and not ended by a proctor's termination (their
 * answers are in doubt). Similarity takes terminated attempts too: a candidate caught copying is
 * exactly whose pair the integrity team wants to see.
 */
const USED = new Set(['in_progress', 'finished']);
const USED_WITH_TERMINATED = new Set(['in_progress', 'finished', 'terminated']);

/**
 * A sitting's answers as the analyses take them, read from what is stored: each candidate's
 * paper, and for each item the final choice (the last select or change, unless cleared after)
 * as the bank's option index, its points under the template's rule, when it was made, and the
 * time spent on the item. The answer events hold no page views, so time on an item is read off
 * them: each stored change is charged with the time since the candidate's previous change (or
 * the start), which counts a stretch of reading other items to the item finally answered and
 * gives items never touched no time at all (docs/analysis.md, "Time").
 */
export function sittingInput(repos: ReadRepositories, catalog: Catalog, sitting: SittingRow, opts: { terminated?: boolean } = {}): SittingInput {
  const used = opts.terminated ? USED_WITH_TERMINATED : USED;
  const { questions, rules } = catalog;
  const kinds = new Map<string, SectionKind>([...rules].map(([section, rule]) => [section, rule.kind === 'keyed' ? 'keyed' : 'weighted']));
  const attempts = new Map(repos.attempts.listBySitting(sitting.id).map((a) => [a.candidateId, a]));
  const roster = repos.candidates.listBySitting(sitting.id).filter((c) => {
    const a = attempts.get(c.id);
    return a !== undefined && a.startedAt !== null && used.has(a.state);
  });
  const papers = repos.papers.many(roster.map((c) => c.id));
  const grid = { rows: sitting.roomRows, cols: sitting.roomCols };

  // final choice (shown position, -1 blank), its time and the time charged per paper position
  interface Replay {
    shown: Int8Array;
    at: Float64Array;
    spent: Float64Array;
    last: number;
  }
  const replays = new Map<number, Replay>();
  for (const c of roster) {
    const n = papers.get(c.id)?.length ?? 0;
    replays.set(c.id, { shown: new Int8Array(n).fill(-1), at: new Float64Array(n).fill(NaN), spent: new Float64Array(n).fill(NaN), last: attempts.get(c.id)!.startedAt! });
  }
  for (const [candidateId, item, kind, choice, , ts] of repos.answers.streamBySitting(sitting.id)) {
    const r = replays.get(candidateId);
    if (!r || item < 0 || item >= r.shown.length) continue;
    const gap = Math.max(0, ts - r.last);
    r.spent[item] = (Number.isNaN(r.spent[item]) ? 0 : r.spent[item]) + gap;
    r.last = Math.max(r.last, ts);
    if (kind === 'select' || kind === 'change') {
      r.shown[item] = choice ?? -1;
      r.at[item] = ts;
    } else if (kind === 'clear') {
      r.shown[item] = -1;
      r.at[item] = NaN;
    }
  }

  const candidates: AnalysedCandidate[] = [];
  for (const c of roster) {
    const paper = papers.get(c.id);
    if (!paper) continue;
    const r = replays.get(c.id)!;
    const place = seatPlace(c.seat, grid);
    const items: AnalysedCandidate['items'] = new Map();
    paper.forEach((p, i) => {
      const q = questions.get(p.questionId);
      const rule = rules.get(p.section);
      if (!q || !rule) return;
      const shown = r.shown[i];
      const option = shown >= 0 && shown < p.optionOrder.length ? p.optionOrder[shown] : null;
      const score = scoreChoice(q, rule, option);
      const max = maxPoints(q, rule);
      const entry: ItemEntry = { option, score, max };
      if (!Number.isNaN(r.spent[i])) entry.timeMs = r.spent[i];
      const answer: SimilarityAnswer = { option, correct: option !== null && score === max && max > 0 };
      if (option !== null && !Number.isNaN(r.at[i])) answer.answeredAt = r.at[i];
      items.set(p.questionId, { section: p.section, entry, answer });
    });
    candidates.push({ id: c.id, registrationNumber: c.registrationNumber, name: c.name, seat: c.seat, row: place?.row ?? null, column: place?.col ?? null, items });
  }
  return { sitting, kinds, candidates, questions };
}

/**
 * The per-section response matrices of one or more sittings of a bank. Sittings under different
 * templates may score a section differently (5 points or 1 for a key, a penalty for a wrong
 * answer), so their figures are kept apart: the section is then named with its template.
 */
export function sectionMatrices(inputs: readonly SittingInput[]): { section: string; kind: SectionKind; candidates: CandidateResponses[] }[] {
  const sections = new Map<string, { kind: SectionKind; candidates: CandidateResponses[] }>();
  const templates = new Set(inputs.map((i) => i.sitting.templateId));
  for (const input of inputs) {
    const name = (section: string) => (templates.size > 1 ? `${section} (${input.sitting.templateId})` : section);
    for (const [section, kind] of input.kinds) if (!sections.has(name(section))) sections.set(name(section), { kind, candidates: [] });
    for (const c of input.candidates) {
      const bySection = new Map<string, Map<string, ItemEntry>>();
      for (const [q, v] of c.items) {
        let m = bySection.get(v.section);
        if (!m) bySection.set(v.section, (m = new Map()));
        m.set(q, v.entry);
      }
      for (const [section, entries] of bySection) sections.get(name(section))?.candidates.push({ candidateId: c.id, entries });
    }
  }
  return [...sections].map(([section, s]) => ({ section, ...s }));
}

/**
 * Key and option count of each question, from the bank; a weighted (TKP) question's "key" is its
 * heaviest option, so it is marked even when nobody chose it.
 */
export function itemMeta(questions: Iterable<Question>): Map<string, ItemMeta> {
  const meta = new Map<string, ItemMeta>();
  for (const q of questions) {
    const key = q.key ?? (q.weights ? q.weights.indexOf(Math.max(...q.weights)) : undefined);
    meta.set(q.id, key !== undefined ? { optionCount: q.options.length, key } : { optionCount: q.options.length });
  }
  return meta;
}

/** Similarity input of a sitting: one room, the items of keyed sections only (docs/analysis.md). */
export function similarityCandidates(input: SittingInput): SimilarityCandidate[] {
  return input.candidates.map((c) => {
    const answers = new Map<string, SimilarityAnswer>();
    for (const [q, v] of c.items) if (input.kinds.get(v.section) === 'keyed') answers.set(q, v.answer);
    const out: SimilarityCandidate = { id: c.id, room: input.sitting.room, answers };
    // a plain seat number without a grid still gives a distance (|a - b|)
    if (c.seat !== null) out.seat = /^\d{1,4}$/.test(c.seat.trim()) ? Number(c.seat.trim()) : c.seat;
    if (c.row !== null && c.column !== null) {
      out.row = c.row;
      out.column = c.column;
    }
    return out;
  });
}
