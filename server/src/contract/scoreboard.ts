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

/** Pushed at most a few times a second per sitting, with only the rows that changed; viewers re-rank. */
export interface ScoreboardDelta {
  sittingId: string;
  serverTime: number;
  rows: ScoreRow[];
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
