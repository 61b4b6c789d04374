import type { RankedScoreRow, ScoreRow, ScoreboardSitting, SittingLogInfo } from '../contract/scoreboard.js';
import type { Catalog, Sitting } from './catalog.js';
import type { Examinee } from './examinee.js';
import { catalogCommitments } from './log-events.js';
import { maskName, type NameMask } from './mask.js';
import { rankBoard, type BoardEntry } from './ranking.js';
import { evaluate, thresholdSetFor, totalOf } from './scoring.js';
import { seedCommitment } from './verify/commitments.js';
import { attemptStatus } from './status.js';
import { remainingMs, type Clock } from './timing.js';

/**
 * A candidate as the public board shows them. Whatever the public may see of a candidate is
 * decided here and nowhere else: the name masked, no live connection or alerts, and, under the
 * on-finish policy, no score or verdict until the attempt has ended. A board that moved with
 * every answer would tell anyone watching which option scores: the answered count alone moves.
 */
export function publicRow(e: Examinee, catalog: Catalog, mask: NameMask, sitting: Pick<Sitting, 'status' | 'revealPolicy'>): ScoreRow {
  const status = attemptStatus(e.attempt, sitting);
  const revealed = sitting.revealPolicy === 'live' || status === 'finished' || status === 'terminated';
  const evaluation = revealed ? evaluate(catalog.template, e.scores, e.profile.group, e.attempt?.endReason) : null;
  return {
    id: e.profile.id,
    registrationNumber: e.profile.registrationNumber,
    name: maskName(e.profile.name, mask),
    formation: e.profile.formation,
    sections: revealed ? { ...e.scores } : null,
    total: revealed ? totalOf(e.scores) : null,
    passed: evaluation ? evaluation.passed : null,
    thresholdSet: thresholdSetFor(catalog.template, e.profile.group).id,
    answered: e.answered,
    itemCount: e.paper?.length ?? catalog.itemCount,
    status,
  };
}

/**
 * The board's rows in display order with their ranks (ranking.ts: within formation). As in the
 * results, only passers are ranked (under the live policy, on the scores so far): a failed or
 * terminated attempt, and a hidden score, are unranked, so the board's final ranks are the
 * results' ranks.
 */
export function rankedRows(rows: readonly ScoreRow[], tieBreak: readonly string[]): RankedScoreRow[] {
  return rankBoard(rows.map(boardEntry), tieBreak).map(({ entry, rank }) => {
    const last = rankedLast.get(entry.row);
    if (last && last.rank === rank) return last;
    const ranked = { ...entry.row, rank };
    rankedLast.set(entry.row, ranked);
    return ranked;
  });
}

/** Whether a board row takes part in the ranking: a score shown, an attempt not terminated, a pass. */
export function isRanked(row: ScoreRow): boolean {
  return row.total !== null && row.status !== 'terminated' && row.passed === true;
}

/*
 * Rows are values (never changed once made), and a push ranks a whole board of which a few rows
 * are new: what is derived from a row alone is kept with it, so the rest cost a lookup each.
 */
type BoardRowEntry = BoardEntry & { row: ScoreRow };
const entries = new WeakMap<ScoreRow, BoardRowEntry>();
const rankedLast = new WeakMap<ScoreRow, RankedScoreRow>();

function boardEntry(row: ScoreRow): BoardRowEntry {
  let entry = entries.get(row);
  if (!entry) {
    entry = { row, id: row.id, formation: row.formation, sections: row.sections ?? {}, total: row.total ?? 0, ranked: isRanked(row), key: row.registrationNumber };
    entries.set(row, entry);
  }
  return entry;
}

/** The log's public side: commitments from the start, the latest checkpoint, the seed only after the close. */
export function sittingLogInfo(s: Sitting, catalog: Catalog, log: { origin: string; verifierKey: string; checkpoint: string | null }): SittingLogInfo {
  const c = catalogCommitments(catalog);
  return {
    origin: log.origin,
    verifierKey: log.verifierKey,
    seedCommitment: seedCommitment(s.seed),
    bankCommitment: c.bank,
    templateCommitment: c.template,
    beacon: s.beaconRound === null ? null : { round: s.beaconRound, randomness: s.beaconRandomness, signature: s.beaconSignature },
    checkpoint: log.checkpoint,
    seed: s.status === 'closed' ? s.seed : null,
  };
}

/** The board's header: `hall` is the sitting's own clock while it runs (timing.ts hallClock). */
export function scoreboardSitting(s: Sitting, catalog: Catalog, candidates: number, hall: Clock | null, now: number, log: SittingLogInfo): ScoreboardSitting {
  const running = s.status === 'running' && hall !== null;
  const t = catalog.template;
  return {
    id: s.id,
    name: s.name,
    site: s.site,
    room: s.room,
    status: s.status,
    scheduledStart: s.scheduledStart,
    startedAt: s.startedAt,
    closedAt: s.closedAt,
    timezone: s.timezone,
    endsAt: running ? now + remainingMs(hall, now) : null,
    paused: running && hall.pausedSince !== null,
    revealPolicy: s.revealPolicy,
    sections: t.sections.map((x) => ({ id: x.id, title: x.title, max: catalog.sectionMax[x.id] })),
    tieBreak: t.tieBreak,
    thresholdSets: [...t.thresholdSets].sort((a, b) => Number(b.id === t.defaultThresholdSet) - Number(a.id === t.defaultThresholdSet)).map((x) => ({ id: x.id, name: x.name })),
    candidates,
    log,
  };
}
