import type { SectionScores } from './scoring.js';

export interface RankEntry {
  id: string | number;
  formation: string;
  sections: SectionScores;
  total: number;
  /** null: no result (yet) */
  passed: boolean | null;
}
export interface RankedEntry<T extends RankEntry = RankEntry> {
  entry: T;
  /** 1-based competition rank among passers of the formation ("1, 2, 2, 4"); null when failed */
  rank: number | null;
  advances: boolean;
}

/** Negative when a ranks before b: higher total, then the tie-break sections in order. */
function compareEntries(a: Omit<RankEntry, 'id' | 'formation' | 'passed'>, b: Omit<RankEntry, 'id' | 'formation' | 'passed'>, tieBreak: readonly string[]): number {
  if (a.total !== b.total) return b.total - a.total;
  for (const s of tieBreak) {
    const d = (b.sections[s] ?? 0) - (a.sections[s] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Competition ranks ("1, 2, 2, 4") of entries already sorted by `cmp`. */
function competitionRanks<T>(sorted: readonly T[], cmp: (a: T, b: T) => number): number[] {
  const ranks: number[] = [];
  sorted.forEach((e, i) => ranks.push(i > 0 && cmp(sorted[i - 1], e) === 0 ? ranks[i - 1] : i + 1));
  return ranks;
}

function byFormation<T extends { formation: string }>(entries: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const e of entries) {
    let list = out.get(e.formation);
    if (!list) out.set(e.formation, (list = []));
    list.push(e);
  }
  return out;
}

/**
 * Ranks one formation for the results. Passers come first, ranked; the first vacancies x
 * multiplier go on to the next stage, and so does everyone tied (on total and every tie-break)
 * with the last of them. Failed candidates follow, unranked, by score.
 */
export function rankFormation<T extends RankEntry>(entries: readonly T[], tieBreak: readonly string[], vacancies: number, multiplier = 3): RankedEntry<T>[] {
  const cmp = (a: T, b: T) => compareEntries(a, b, tieBreak);
  const passers = entries.filter((e) => e.passed).sort(cmp);
  const failers = entries.filter((e) => !e.passed).sort(cmp);
  const ranks = competitionRanks(passers, cmp);
  const quota = Math.max(0, Math.floor(vacancies * multiplier));
  const cut = quota > 0 && passers.length > 0 ? ranks[Math.min(quota, passers.length) - 1] : 0;
  return [...passers.map((entry, i) => ({ entry, rank: ranks[i], advances: ranks[i] <= cut })), ...failers.map((entry) => ({ entry, rank: null, advances: false }))];
}

/** Groups entries by formation and ranks each; vacancies per formation (missing = 1). */
/** A formation's vacancies as the sitting sets them, 1 when it sets none (a formation named like an Object property, "constructor", included). */
export function vacanciesOf(vacancies: Readonly<Record<string, number>>, formation: string): number {
  return Object.hasOwn(vacancies, formation) ? vacancies[formation] : 1;
}

export function rankAll<T extends RankEntry>(entries: readonly T[], tieBreak: readonly string[], vacancies: Readonly<Record<string, number>>, multiplier = 3): Map<string, RankedEntry<T>[]> {
  const groups = byFormation(entries);
  const out = new Map<string, RankedEntry<T>[]>();
  for (const formation of [...groups.keys()].sort()) out.set(formation, rankFormation(groups.get(formation)!, tieBreak, vacanciesOf(vacancies, formation), multiplier));
  return out;
}

export interface BoardEntry {
  id: number;
  formation: string;
  sections: SectionScores;
  total: number;
  /** whether the entry takes part in the ranking (a terminated candidate does not) */
  ranked: boolean;
  /** order among equals, for a stable display */
  key: string;
}

/**
 * The public board's order and ranks: within each formation by total then the tie-break
 * sections, competition ranks, unranked entries last (rank null). Sorted by formation, then
 * rank. The board shows these ranks as they are: viewers never rank again.
 */
export function rankBoard<T extends BoardEntry>(entries: readonly T[], tieBreak: readonly string[]): { entry: T; rank: number | null }[] {
  const cmp = (a: T, b: T) => compareEntries(a, b, tieBreak);
  const out: { entry: T; rank: number | null }[] = [];
  const groups = byFormation(entries);
  for (const formation of [...groups.keys()].sort()) {
    const list = groups.get(formation)!;
    const ranked = list.filter((e) => e.ranked).sort((a, b) => cmp(a, b) || (a.key < b.key ? -1 : 1));
    const ranks = competitionRanks(ranked, cmp);
    ranked.forEach((entry, i) => out.push({ entry, rank: ranks[i] }));
    for (const entry of list.filter((e) => !e.ranked).sort((a, b) => (a.key < b.key ? -1 : 1))) out.push({ entry, rank: null });
  }
  return out;
}
