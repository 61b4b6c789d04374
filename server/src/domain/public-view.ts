import type { ScoreRow, ScoreboardSitting } from '../contract/scoreboard.js';
import type { Catalog, Sitting } from './catalog.js';
import type { Examinee } from './examinee.js';
import { maskName, type NameMask } from './mask.js';
import { rankBoard } from './ranking.js';
import { evaluate, totalOf } from './scoring.js';
import { attemptStatus } from './status.js';

/**
 * A candidate as the public board shows them. Whatever the public may see of a candidate is
 * decided here and nowhere else: the name masked, no live connection or alerts.
 */
export function publicRow(e: Examinee, catalog: Catalog, mask: NameMask): ScoreRow {
  const endReason = e.attempt?.endReason ?? null;
  return {
    id: e.profile.id,
    registrationNumber: e.profile.registrationNumber,
    name: maskName(e.profile.name, mask),
    formation: e.profile.formation,
    sections: { ...e.scores },
    total: totalOf(e.scores),
    passed: evaluate(catalog.template, e.scores, e.profile.group, endReason).passed,
    answered: e.answered,
    itemCount: e.paper?.length ?? catalog.itemCount,
    status: attemptStatus(e.attempt),
  };
}

/** The board's rows in display order with their ranks (ranking.ts: within formation, terminated unranked). */
export function rankedRows(rows: readonly ScoreRow[], tieBreak: readonly string[]): (ScoreRow & { rank: number | null })[] {
  const entries = rows.map((row) => ({ row, id: row.id, formation: row.formation, sections: row.sections, total: row.total, ranked: row.status !== 'terminated', key: row.registrationNumber }));
  return rankBoard(entries, tieBreak).map(({ entry, rank }) => ({ ...entry.row, rank }));
}

export function scoreboardSitting(s: Sitting, catalog: Catalog, candidates: number, endsAt: number | null): ScoreboardSitting {
  return {
    id: s.id,
    name: s.name,
    site: s.site,
    room: s.room,
    status: s.status,
    scheduledStart: s.scheduledStart,
    startedAt: s.startedAt,
    closedAt: s.closedAt,
    endsAt,
    sections: catalog.template.sections.map((x) => ({ id: x.id, title: x.title, max: catalog.sectionMax[x.id] })),
    tieBreak: catalog.template.tieBreak,
    candidates,
  };
}
