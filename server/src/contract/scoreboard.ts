import { z } from 'zod';
import type { Ack, ErrorBody } from './errors.js';

export interface ScoreRow {
  /** stable row id (the candidate's id in this sitting) */
  id: number;
  registrationNumber: string;
  /** masked per configuration, e.g. "BUDI S*****" */
  name: string;
  formation: string;
  /**
   * Scores and verdict are null while the sitting's reveal policy hides them: under `on-finish`
   * until the candidate finishes. Under `live` they are the scores so far.
   */
  sections: Record<string, number> | null;
  total: number | null;
  /** the verdict under the candidate's threshold set; never true for a terminated attempt */
  passed: boolean | null;
  /** the threshold set the verdict is under (sitting.thresholdSets) */
  thresholdSet: string;
  answered: number;
  itemCount: number;
  status: ScoreStatus;
}

export interface ScoreboardSitting {
  id: string;
  name: string;
  site: string;
  room: string;
  status: 'scheduled' | 'open' | 'running' | 'closed';
  scheduledStart: number;
  startedAt: number | null;
  closedAt: number | null;
  /** the site's zone (contract/site-time.ts): times are shown in it */
  timezone: string;
  /**
   * While running: when the sitting's own time ends, its start plus the template's duration plus
   * every hall-wide pause (never one candidate's extension or extra minutes); while paused, as if
   * it resumed at serverTime. Null otherwise.
   */
  endsAt: number | null;
  /** the whole hall is paused: the sitting's clock stands still */
  paused: boolean;
  /** on-finish: scores appear when each candidate finishes; live: after every answer (tryouts) */
  revealPolicy: 'on-finish' | 'live';
  sections: { id: string; title: string; max: number }[];
  tieBreak: string[];
  /** the template's threshold sets (rows name theirs); the default one first */
  thresholdSets: { id: string; name: string }[];
  candidates: number;
  /** what anyone can check the sitting against (docs/verifiability.md) */
  log: SittingLogInfo;
}

/**
 * The sitting's public commitments and the head of its tamper-evident log. The seed stays
 * secret until the close (it decides every paper); its hash is published from the start.
 */
export interface SittingLogInfo {
  /** the log's origin line, as in its checkpoints and receipts */
  origin: string;
  /** the key its checkpoints and receipts are signed with: "<name>+<key id>+<base64 key>" */
  verifierKey: string;
  /** hex SHA-256("kaca-seed/v1\n" || seed) */
  seedCommitment: string;
  /** Merkle root of the bank's item hashes */
  bankCommitment: string;
  /** hash of the exam template: sections, counts, marks, thresholds */
  templateCommitment: string;
  /** the public beacon (drand) round mixed into the seed, named before the start, and its value once entered */
  beacon: { round: number; randomness: string | null; signature: string | null } | null;
  /** the latest signed checkpoint (a C2SP signed note), null before the first */
  checkpoint: string | null;
  /** the seed itself, once the sitting is closed */
  seed: string | null;
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
 * [id, score per section (in sitting.sections order; null while hidden)..., answered, status
 * index, passed 1/0 (null while hidden), rank (0 = unranked)]. Name, registration number,
 * formation and item count never change during a sitting: they come with the snapshot.
 */
export type ScoreRowChange = [id: number, ...figures: (number | null)[]];

export function encodeScoreRow(row: RankedScoreRow, sections: readonly string[]): ScoreRowChange {
  const scores = row.sections;
  return [row.id, ...sections.map((s) => (scores ? (scores[s] ?? 0) : null)), row.answered, SCORE_STATUSES.indexOf(row.status), row.passed === null ? null : row.passed ? 1 : 0, row.rank ?? 0];
}

/** Applies a change to the row the viewer already has from the snapshot. */
export function applyScoreRow(row: RankedScoreRow, change: ScoreRowChange, sections: readonly string[]): RankedScoreRow {
  const hidden = sections.length > 0 && change[1] === null;
  const scores: Record<string, number> = {};
  sections.forEach((s, i) => (scores[s] = change[1 + i] ?? 0));
  const k = 1 + sections.length;
  const passed = change[k + 2];
  return {
    ...row,
    sections: hidden ? null : scores,
    total: hidden ? null : sections.reduce((sum, s) => sum + scores[s], 0),
    answered: change[k] ?? 0,
    status: SCORE_STATUSES[change[k + 1] ?? -1] ?? row.status,
    passed: passed === null ? null : passed === 1,
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

export const ScoreboardWatchSchema = z.object({
  sittingId: z.string().min(1).max(64),
  /**
   * 'ack' (the default): the snapshot is the ack's data. 'event': it comes as
   * `scoreboard:snapshot` just before a short ack, in one packet shared by every viewer who asks
   * in the same moment, so a crowd opening the board costs the server one encoding of it, not one
   * per viewer. Boards should ask this way.
   */
  snapshot: z.enum(['ack', 'event']).default('ack'),
});

export type ScoreboardWatch = z.input<typeof ScoreboardWatchSchema>;

/** The ack of a watch whose snapshot came as `scoreboard:snapshot` just before it. */
export interface ScoreboardWatching {
  watching: true;
  sittingId: string;
}

export interface ScoreboardClientEvents {
  'sittings:list': (ack: (r: Ack<ScoreboardSitting[]>) => void) => void;
  /** the snapshot in the ack, or (`snapshot: 'event'`) `scoreboard:snapshot` first and a short ack */
  'scoreboard:watch': (payload: ScoreboardWatch, ack: (r: Ack<ScoreboardSnapshot | ScoreboardWatching>) => void) => void;
  'scoreboard:unwatch': (ack: (r: Ack<{ watching: false }>) => void) => void;
}
export interface ScoreboardServerEvents {
  /** a watch's snapshot, when the watch asked for it as an event (it comes just before the ack) */
  'scoreboard:snapshot': (snapshot: ScoreboardSnapshot) => void;
  'scoreboard:updated': (delta: ScoreboardDelta) => void;
  /** a failed event sent without an ack callback */
  'error:event': (p: { event: string; error: ErrorBody }) => void;
}
