import { ErrorCode } from '../contract/errors.js';
import type { Question } from '../contract/question.js';
import type { SittingStatus } from '../domain/catalog.js';
import { KacaError } from '../domain/errors.js';
import { analyseSection, type ItemStats, type SectionAnalysis } from '../domain/item-analysis.js';
import { analyseSimilarity, type FlaggedPair, type PairResult, type SimilarityCandidate } from '../domain/similarity.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import { itemMeta, sectionMatrices, similarityCandidates, sittingInput } from './analysis-input.js';
import type { CatalogCache } from './catalog.js';
import { toCsv } from './csv.js';

/** An item's figures with what a maintainer needs to find it. */
export interface AnalysedItem extends ItemStats {
  section: string;
  /** the stem as plain text, cut short */
  excerpt: string;
}
export interface SectionReport extends Omit<SectionAnalysis, 'items'> {
  items: AnalysedItem[];
}

/** A sitting an analysis covers, with the candidates counted in it. */
export interface ReportSitting {
  id: string;
  name: string;
  status: SittingStatus;
  candidates: number;
}

export interface ItemAnalysisReport {
  bankId: string;
  /** true: figures of a running sitting as committed so far (admins only; items are still secret) */
  live: boolean;
  sittings: ReportSitting[];
  sections: SectionReport[];
  computedAt: number;
  computeMs: number;
}

export interface SimilarityQuery {
  alpha?: number;
  correction?: 'none' | 'bonferroni';
}

/** Who a pair is about: staff see names and seats, never the public. */
export interface PairCandidate {
  id: number;
  registrationNumber: string;
  name: string;
  seat: string | null;
  sittingId: string;
}

export interface SimilarityOut {
  /** the sittings (rooms) whose pairs were compared; a pair's `room` is its sitting's id */
  sittings: { id: string; name: string; room: string }[];
  /** candidates the chance of a match was estimated from: every closed sitting of the bank and template */
  cohort: number;
  alpha: number;
  correction: 'none' | 'bonferroni';
  threshold: number;
  candidates: number;
  pairsTested: number;
  /** pairs at or below the threshold, with the identical wrong answers and their times */
  flagged: FlaggedPair[];
  /** the pairs with the smallest probabilities, flagged or not, for context */
  closest: PairResult[];
  people: PairCandidate[];
  computedAt: number;
  computeMs: number;
}

const CLOSEST = 50;
/** cohorts whose answers are kept in memory for the next similarity request (each: about 10 MB per thousand candidates) */
const COHORTS_KEPT = 2;
/** what similarity needs of a cohort: the answers of the keyed items, who each candidate is, how many per sitting */
type CohortRead = { everyone: SimilarityCandidate[]; people: Map<number, PairCandidate>; perSitting: Map<string, number> };
/** per database (a thread or a test may hold several) */
const cohortCaches = new WeakMap<ReadRepositories, Map<string, CohortRead>>();

export function excerpt(stem: string): string {
  const text = stem
    .replace(/<[^>]*>/g, ' ')
    .replace(/\\[()[\]]|\$\$?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

function mustGet(repos: ReadRepositories, sittingId: string): SittingRow {
  const s = repos.sittings.get(sittingId);
  if (!s) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  return s;
}

/** Item figures from sections already analysed, with the bank's words for each item. */
export function itemReport(bankId: string, live: boolean, sittings: ReportSitting[], sections: readonly SectionAnalysis[], questions: ReadonlyMap<string, Question>, startedAt: number): ItemAnalysisReport {
  return {
    bankId,
    live,
    sittings,
    sections: sections.map((s) => ({ ...s, items: s.items.map((it) => ({ ...it, section: s.section, excerpt: excerpt(questions.get(it.questionId)?.stem ?? '') })) })),
    computedAt: Date.now(),
    computeMs: Math.round(performance.now() - startedAt),
  };
}

/**
 * Item analysis from what is stored: of one sitting (whatever its state: a running one gives
 * its answers so far), or of every closed sitting that dealt from the bank.
 */
export function itemAnalysis(repos: ReadRepositories, catalogs: CatalogCache, query: { bankId?: string; sittingId?: string }): ItemAnalysisReport {
  const t = performance.now();
  let sittings: SittingRow[];
  let bankId: string;
  if (query.sittingId) {
    const s = mustGet(repos, query.sittingId);
    if (query.bankId && s.bankId !== query.bankId) throw new KacaError(ErrorCode.BAD_REQUEST, `sitting ${s.id} deals from bank ${s.bankId}, not ${query.bankId}`);
    sittings = [s];
    bankId = s.bankId;
  } else {
    if (!query.bankId) throw new KacaError(ErrorCode.BAD_REQUEST, 'name a bank or a sitting');
    if (!repos.banks.get(query.bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${query.bankId}`);
    bankId = query.bankId;
    sittings = repos.sittings.using({ bankId }).filter((s) => s.status === 'closed');
  }
  const inputs = sittings.map((s) => sittingInput(repos, catalogs.forSitting(s), s));
  const questions = new Map<string, Question>();
  for (const i of inputs) for (const [id, q] of i.questions) questions.set(id, q);
  const meta = itemMeta(questions.values());
  const sections = sectionMatrices(inputs).map((m) => analyseSection({ ...m, items: meta }));
  const covered = inputs.map((i) => ({ id: i.sitting.id, name: i.sitting.name, status: i.sitting.status, candidates: i.candidates.length }));
  return itemReport(bankId, false, covered, sections, questions, t);
}

/**
 * Answer-similarity flags of a closed sitting (one room), or of every closed sitting of a bank,
 * pairs compared within each room: staff only, never the public board. The chance of a match is
 * estimated from every closed sitting of the same bank and template, not from the room alone
 * (40 candidates, each item seen by a dozen of them, is too few to estimate it from).
 */
export function similarity(repos: ReadRepositories, catalogs: CatalogCache, scope: { sittingId?: string; bankId?: string }, query: SimilarityQuery = {}): SimilarityOut {
  const t = performance.now();
  let compared: SittingRow[];
  if (scope.sittingId) {
    const sitting = mustGet(repos, scope.sittingId);
    if (sitting.status !== 'closed') throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${sitting.id} is ${sitting.status}: similarity is computed once it is closed`);
    compared = [sitting];
  } else {
    if (!scope.bankId || !repos.banks.get(scope.bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${scope.bankId ?? ''}`);
    compared = repos.sittings.using({ bankId: scope.bankId }).filter((s) => s.status === 'closed');
  }
  const cohort = new Map(compared.map((s) => [s.id, s]));
  const templates = new Set(compared.map((s) => `${s.bankId}\u0000${s.templateId}`));
  // one read per bank (a bank's every sitting compared would otherwise read the list once each)
  for (const bankId of new Set(compared.map((s) => s.bankId))) {
    for (const o of repos.sittings.using({ bankId })) if (o.status === 'closed' && templates.has(`${o.bankId}\u0000${o.templateId}`)) cohort.set(o.id, o);
  }
  // closed sittings never change: the same cohort reads the same answers (another alpha, another
  // room of it) without going back to the database
  const key = [...cohort.keys()].sort().join('\u0000');
  let cohortCache = cohortCaches.get(repos);
  if (!cohortCache) cohortCaches.set(repos, (cohortCache = new Map()));
  let read = cohortCache.get(key);
  if (!read) {
    read = { everyone: [], people: new Map(), perSitting: new Map() };
    for (const s of cohort.values()) {
      const input = sittingInput(repos, catalogs.forSitting(s), s, { terminated: true });
      // a sitting is a room: its id keeps two rooms of the same name at two sites apart
      for (const c of similarityCandidates(input)) read.everyone.push({ ...c, room: s.id });
      for (const c of input.candidates) read.people.set(c.id, { id: c.id, registrationNumber: c.registrationNumber, name: c.name, seat: c.seat, sittingId: s.id });
      read.perSitting.set(s.id, input.candidates.length);
    }
    cohortCache.set(key, read);
    if (cohortCache.size > COHORTS_KEPT) cohortCache.delete(cohortCache.keys().next().value!);
  }
  const { everyone, people, perSitting } = read;
  const report = analyseSimilarity(everyone, { alpha: query.alpha, correction: query.correction, rooms: new Set(compared.map((s) => s.id)) });
  const closest = [...report.pairs].sort((a, b) => a.probability - b.probability).slice(0, CLOSEST);
  const involved = new Set<number>();
  for (const p of [...report.flagged, ...closest]) involved.add(p.a as number).add(p.b as number);
  return {
    sittings: compared.map((s) => ({ id: s.id, name: s.name, room: s.room })),
    cohort: everyone.length,
    alpha: report.alpha,
    correction: report.correction,
    threshold: report.threshold,
    candidates: compared.reduce((n, s) => n + (perSitting.get(s.id) ?? 0), 0),
    pairsTested: report.pairsTested,
    flagged: report.flagged,
    closest,
    people: [...involved].map((id) => people.get(id)!).filter(Boolean),
    computedAt: Date.now(),
    computeMs: Math.round(performance.now() - t),
  };
}

const LETTERS = 'ABCDEFGHIJ';
const fixed = (v: number | null, d = 3) => (v === null ? '' : v.toFixed(d));

/** One row per item: the figures, the flags, and each option's share overall, upper and lower. */
export function itemAnalysisCsv(report: ItemAnalysisReport): string {
  const width = Math.max(0, ...report.sections.flatMap((s) => s.items.map((i) => i.options.length)));
  const optionCols = [...LETTERS.slice(0, width)].flatMap((l) => [`${l}_all`, `${l}_upper`, `${l}_lower`]);
  const header = ['section', 'question_id', 'n', 'max', 'mean_score', 'facility', 'r_item_rest', 'key', 'blank_all', 'mean_time_s', 'median_time_s', 'flags', ...optionCols, 'excerpt'];
  const rows = report.sections.flatMap((s) =>
    s.items.map((i) => {
      const keys = i.options.filter((o) => o.isKey).map((o) => LETTERS[o.option]);
      const byOption = new Map(i.options.map((o) => [o.option, o]));
      const shares = [...LETTERS.slice(0, width)].flatMap((_, k) => {
        const o = byOption.get(k);
        return o ? [fixed(o.all), fixed(o.upper), fixed(o.lower)] : ['', '', ''];
      });
      return [
        s.section,
        i.questionId,
        i.n,
        i.max,
        fixed(i.meanScore),
        fixed(i.facility),
        fixed(i.rItemRest),
        keys.join('/'),
        fixed(i.blank.all),
        i.time ? (i.time.meanMs / 1000).toFixed(1) : '',
        i.time ? (i.time.medianMs / 1000).toFixed(1) : '',
        i.flags.join(' '),
        ...shares,
        i.excerpt,
      ];
    }),
  );
  return toCsv(header, rows);
}

/** One row per flagged pair, then the closest of the rest. */
export function similarityCsv(out: SimilarityOut): string {
  const who = new Map(out.people.map((p) => [p.id, p]));
  const header = ['flagged', 'sitting', 'a_registration', 'a_name', 'a_seat', 'b_registration', 'b_name', 'b_seat', 'adjacent', 'seat_distance', 'shared_items', 'identical_answers', 'identical_wrong', 'probability', 'a_answered_later', 'b_answered_later'];
  const flaggedKeys = new Set(out.flagged.map((p) => `${p.a}:${p.b}`));
  const rest = out.closest.filter((p) => !flaggedKeys.has(`${p.a}:${p.b}`));
  const rows = [...out.flagged, ...rest].map((p) => {
    const a = who.get(p.a as number);
    const b = who.get(p.b as number);
    const f = 'evidence' in p ? (p as FlaggedPair) : null;
    return [p.flagged ? 'yes' : 'no', p.room, a?.registrationNumber ?? '', a?.name ?? '', a?.seat ?? '', b?.registrationNumber ?? '', b?.name ?? '', b?.seat ?? '', p.adjacent ? 'yes' : 'no', p.seatDistance ?? '', p.shared, p.identicalAnswers, p.identicalWrong, p.probability.toExponential(3), f ? f.aLater : '', f ? f.bLater : ''];
  });
  return toCsv(header, rows);
}
