import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import type { SittingStatus } from '../domain/catalog.js';
import { rankAll, vacanciesOf, type RankEntry } from '../domain/ranking.js';
import { attemptStatus, type AttemptStatus } from '../domain/status.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import { attemptFromRow } from '../engine/registry.js';
import { toCsv } from './csv.js';

interface ResultLine extends RankEntry {
  id: number;
  registrationNumber: string;
  name: string;
  group: string;
  thresholdSet: string | null;
  status: AttemptStatus;
  receiptId: string | null;
  rank: number | null;
  advances: boolean;
}

export interface SittingResults {
  sittingId: string;
  sittingName: string;
  /** whether candidates may still arrive: "absent" is final only once the sitting is closed */
  sittingStatus: SittingStatus;
  sections: string[];
  formations: { formation: string; vacancies: number; quota: number; lines: ResultLine[] }[];
}

/** Results ranked per formation; candidates with no result are listed last with where their attempt stands. */
export function sittingResults(repos: ReadRepositories, sittingId: string): SittingResults {
  const sitting = repos.sittings.get(sittingId);
  if (!sitting) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  const template = repos.templates.get(sitting.templateId)!;
  const results = new Map(repos.results.bySitting(sittingId).map((r) => [r.candidateId, r]));
  const attempts = new Map(repos.attempts.listBySitting(sittingId).map((a) => [a.candidateId, a]));
  const entries: ResultLine[] = repos.candidates.listBySitting(sittingId).map((c) => {
    const r = results.get(c.id);
    const a = attempts.get(c.id);
    return {
      id: c.id,
      registrationNumber: c.registrationNumber,
      name: c.name,
      formation: c.formation,
      group: c.groupName,
      sections: r?.sections ?? Object.fromEntries(template.sections.map((s) => [s.id, 0])),
      total: r?.total ?? 0,
      // decided once, when the attempt ended (scoring.ts evaluate: terminated never passes)
      passed: r ? r.passed : null,
      thresholdSet: r?.thresholdSet ?? null,
      // one definition of who was there (status.ts): never admitted by the close is absent
      status: attemptStatus(a ? attemptFromRow(a) : null, sitting),
      receiptId: r?.receiptId ?? null,
      rank: null,
      advances: false,
    };
  });
  const ranked = rankAll(entries, template.tieBreak, sitting.vacancies, template.nextStageMultiplier);
  return {
    sittingId,
    sittingName: sitting.name,
    sittingStatus: sitting.status,
    sections: template.sections.map((s) => s.id),
    formations: [...ranked.entries()].map(([formation, list]) => ({
      formation,
      vacancies: vacanciesOf(sitting.vacancies, formation),
      quota: Math.floor(vacanciesOf(sitting.vacancies, formation) * template.nextStageMultiplier),
      lines: list.map((r) => ({ ...r.entry, rank: r.rank, advances: r.advances })),
    })),
  };
}

export function resultsCsv(results: SittingResults): string {
  const header = ['formation', 'rank', 'registration_number', 'name', 'group', ...results.sections.map((s) => s.toLowerCase()), 'total', 'passed', 'next_stage', 'status', 'receipt_id'];
  const yesNo = (v: boolean) => (v ? 'yes' : 'no');
  const rows = results.formations.flatMap((f) =>
    f.lines.map((l) => {
      // no result yet (still sitting, absent): empty figures, not zeros and a fail
      const figures = l.passed === null ? [...results.sections.map(() => ''), '', '', ''] : [...results.sections.map((s) => l.sections[s] ?? 0), l.total, yesNo(l.passed), yesNo(l.advances)];
      return [f.formation, l.rank ?? '', l.registrationNumber, l.name, l.group, ...figures, l.status, l.receiptId ?? ''];
    }),
  );
  return toCsv(header, rows);
}
