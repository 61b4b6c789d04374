import { z } from 'zod';
import type { Ack, ErrorBody } from './errors.js';

export interface ScoreRow {
  /** stable row id (the candidate's id in this sitting) */
  id: number;
  registrationNumber: string;
  /** masked per configuration, e.g. "BUDI S*****" */
  name: string;
  formation: string;
  sections: Record<string, number>;
  total: number;
  /** against the candidate's threshold set, on the scores so far; never for a terminated attempt */
  passed: boolean;
  answered: number;
  itemCount: number;
  status: ScoreStatus;
}

export interface ScoreboardSitting {
  id: string;
  name: string;
  site: string;
  room: string;
  status: string;
  scheduledStart: number;
  startedAt: number | null;
  closedAt: number | null;
  /** when the last candidate's time runs out, if the sitting is running */
  endsAt: number | null;
  sections: { id: string; title: string; max: number }[];
  tieBreak: string[];
  candidates: number;
}

/**
 * A row with its place on the board: competition rank within the candidate's formation, by
 * total then the tie-break sections; null for a terminated attempt. The server ranks; viewers
 * show the rank as given.
 */
export type RankedScoreRow = ScoreRow & { rank: number | null };

export interface ScoreboardSnapshot {
  sitting: ScoreboardSitting;
  serverTime: number;
  /** in display order: by formation, then rank */
  rows: RankedScoreRow[];
}

export const SCORE_STATUSES = ['absent', 'waiting', 'admitted', 'in_progress', 'paused', 'finished', 'terminated'] as const;
export type ScoreStatus = (typeof SCORE_STATUSES)[number];

/**
 * The changing part of a row, compact because it goes to every viewer several times a second:
 * [id, score per section (in sitting.sections order)..., answered, status index, passed 0/1,
 * rank (0 = unranked)]. Name, registration number, formation and item count never change
 * during a sitting: they come with the snapshot.
 */
export type ScoreRowChange = number[];

export function encodeScoreRow(row: RankedScoreRow, sections: readonly string[]): ScoreRowChange {
  return [row.id, ...sections.map((s) => row.sections[s] ?? 0), row.answered, SCORE_STATUSES.indexOf(row.status), row.passed ? 1 : 0, row.rank ?? 0];
}

/** Applies a change to the row the viewer already has from the snapshot. */
export function applyScoreRow(row: RankedScoreRow, change: ScoreRowChange, sections: readonly string[]): RankedScoreRow {
  const scores: Record<string, number> = {};
  sections.forEach((s, i) => (scores[s] = change[1 + i]));
  const k = 1 + sections.length;
  return {
    ...row,
    sections: scores,
    total: sections.reduce((sum, s) => sum + scores[s], 0),
    answered: change[k],
    status: SCORE_STATUSES[change[k + 1]] ?? row.status,
    passed: change[k + 2] === 1,
    rank: change[k + 3] || null,
  };
}

/**
 * Pushed at most a few times a second per sitting, with only the rows that changed: their own
 * figures, or only their rank (another candidate passed them).
 */
export interface ScoreboardDelta {
  sittingId: string;
  serverTime: number;
  rows: ScoreRowChange[];
  sitting?: ScoreboardSitting;
}

export const ScoreboardWatchSchema = z.object({ sittingId: z.string().min(1).max(64) });

export type ScoreboardWatch = z.infer<typeof ScoreboardWatchSchema>;

export interface ScoreboardClientEvents {
  'sittings:list': (ack: (r: Ack<ScoreboardSitting[]>) => void) => void;
  'scoreboard:watch': (payload: ScoreboardWatch, ack: (r: Ack<ScoreboardSnapshot>) => void) => void;
  'scoreboard:unwatch': (ack: (r: Ack<{ watching: false }>) => void) => void;
}
export interface ScoreboardServerEvents {
  'scoreboard:updated': (delta: ScoreboardDelta) => void;
  /** a failed event sent without an ack callback */
  'error:event': (p: { event: string; error: ErrorBody }) => void;
}
