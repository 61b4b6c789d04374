import { z } from 'zod';
import type { Ack } from './errors.js';

export interface ScoreRow {
  /** stable row id (the candidate's id in this sitting) */
  id: number;
  registrationNumber: string;
  /** masked per configuration, e.g. "BUDI S*****" */
  name: string;
  formation: string;
  sections: Record<string, number>;
  total: number;
  /** against the candidate's threshold set, on the scores so far */
  passed: boolean;
  answered: number;
  itemCount: number;
  /** absent | waiting | in_progress | paused | finished | terminated */
  status: string;
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

export interface ScoreboardSnapshot {
  sitting: ScoreboardSitting;
  serverTime: number;
  /** ranked: rank is 1-based by total then the tie-break sections */
  rows: (ScoreRow & { rank: number })[];
}

export const SCORE_STATUSES = ['absent', 'waiting', 'admitted', 'in_progress', 'paused', 'finished', 'terminated'] as const;

/**
 * The changing part of a row, compact because it goes to every viewer several times a second:
 * [id, score per section (in sitting.sections order)..., answered, status index, passed 0/1].
 * Name, registration number, formation and item count never change during a sitting: they
 * come with the snapshot.
 */
export type ScoreRowChange = number[];

export function encodeScoreRow(row: ScoreRow, sections: readonly string[]): ScoreRowChange {
  return [row.id, ...sections.map((s) => row.sections[s] ?? 0), row.answered, SCORE_STATUSES.indexOf(row.status as (typeof SCORE_STATUSES)[number]), row.passed ? 1 : 0];
}

/** Applies a change to the row the viewer already has from the snapshot. */
export function applyScoreRow(row: ScoreRow, change: ScoreRowChange, sections: readonly string[]): ScoreRow {
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
  };
}

/** Pushed at most a few times a second per sitting, with only the rows that changed; viewers re-rank. */
export interface ScoreboardDelta {
  sittingId: string;
  serverTime: number;
  rows: ScoreRowChange[];
  sitting?: ScoreboardSitting;
}

export const ScoreboardWatchSchema = z.object({ sittingId: z.string().min(1).max(64) });

export interface ScoreboardClientEvents {
  'sittings:list': (payload: unknown, ack: (r: Ack<ScoreboardSitting[]>) => void) => void;
  'scoreboard:watch': (payload: unknown, ack: (r: Ack<ScoreboardSnapshot>) => void) => void;
  'scoreboard:unwatch': (payload: unknown, ack: (r: Ack<{ watching: false }>) => void) => void;
}
export interface ScoreboardServerEvents {
  'scoreboard:updated': (delta: ScoreboardDelta) => void;
}
