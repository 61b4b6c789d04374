import type { SectionScores } from './scoring.js';

export interface RankEntry {
  id: string | number;
  formation: string;
  sections: SectionScores;
  total: number;
  passed: boolean;
}
export interface RankedEntry<T extends RankEntry = RankEntry> {
  entry: T;
  /** 1-based competition rank among passers of the formation ("1, 2, 2, 4"); null when failed */
  rank: number | null;
  advances: boolean;
}

/** Negative when a ranks before b: higher total, then the tie-break sections in order. */
export function compareEntries(a: RankEntry, b: RankEntry, tieBreak: readonly string[]): number {
  if (a.total !== b.total) return b.total - a.total;
  for (const s of tieBreak) {
    const d = (b.sections[s] ?? 0) - (a.sections[s] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Ranks one formation. Passers come first, ranked; the first vacancies x multiplier go on to
 * the next stage, and so does everyone tied (on total and every tie-break) with the last of them.
 * Failed candidates follow, unranked, by score.
 */
export function rankFormation<T extends RankEntry>(entries: readonly T[], tieBreak: readonly string[], vacancies: number, multiplier = 3): RankedEntry<T>[] {
  const cmp = (a: T, b: T) => compareEntries(a, b, tieBreak);
  const passers = entries.filter((e) => e.passed).sort(cmp);
  const failers = entries.filter((e) => !e.passed).sort(cmp);
  const quota = Math.max(0, Math.floor(vacancies * multiplier));
  const out: RankedEntry<T>[] = [];
  passers.forEach((entry, i) => {
    const prev = out[i - 1];
    const rank = prev && cmp(prev.entry, entry) === 0 ? prev.rank! : i + 1;
    out.push({ entry, rank, advances: false });
  });
  if (quota > 0 && out.length > 0) {
    const last = out[Math.min(quota, out.length) - 1];
    for (const r of out) r.advances = r.rank! <= last.rank!;
  }
  for (const entry of failers) out.push({ entry, rank: null, advances: false });
  return out;
}

/** Groups entries by formation and ranks each; vacancies per formation (missing = 1). */
export function rankAll<T extends RankEntry>(entries: readonly T[], tieBreak: readonly string[], vacancies: Readonly<Record<string, number>>, multiplier = 3): Map<string, RankedEntry<T>[]> {
  const byFormation = new Map<string, T[]>();
  for (const e of entries) {
    let list = byFormation.get(e.formation);
    if (!list) byFormation.set(e.formation, (list = []));
    list.push(e);
  }
  const out = new Map<string, RankedEntry<T>[]>();
  for (const formation of [...byFormation.keys()].sort()) {
    out.set(formation, rankFormation(byFormation.get(formation)!, tieBreak, vacancies[formation] ?? 1, multiplier));
  }
  return out;
}

/** SKD/SKB integration: each stage normalised to 100, then weighted (40/60 by default). */
export function integrate(
  first: { score: number; max: number },
  second: { score: number; max: number },
  weights: { firstStageWeight: number; secondStageWeight: number } = { firstStageWeight: 0.4, secondStageWeight: 0.6 },
): number {
  const a = (first.score / first.max) * 100;
  const b = (second.score / second.max) * 100;
  return Math.round((a * weights.firstStageWeight + b * weights.secondStageWeight) * 1000) / 1000;
}
