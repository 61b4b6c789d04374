import type { NewAnswerEvent } from './repositories/answers.js';
import type { AttemptRow } from './repositories/attempts.js';
import type { NewAudit } from './repositories/audit.js';
import type { ResultRow } from './repositories/results.js';
import type { SittingRow } from './repositories/sittings.js';
import type { PaperItem } from '../domain/deal.js';

/**
 * Every write the exam engine makes, as plain data. Data rather than closures because the
 * writes are committed on the writer thread (services/writer.ts), off the event loop that
 * serves the candidates; structured clone carries them there. Values are absolute (the state
 * the engine already holds in memory), never increments, so a unit retried after a failed
 * batch cannot count anything twice.
 */
export type WriteOp =
  | { op: 'answer'; row: NewAnswerEvent }
  | { op: 'login-state'; candidateId: number; failedLogins: number; lockedAt: number | null; loginGeneration: number; sessionGeneration: number | null }
  | { op: 'attempt-create'; row: Pick<AttemptRow, 'candidateId' | 'state' | 'admittedAt' | 'durationMs'> }
  | { op: 'attempt-save'; row: AttemptRow }
  | { op: 'paper'; candidateId: number; items: PaperItem[]; dealtAt: number }
  | { op: 'result'; row: ResultRow }
  | { op: 'audit'; entry: NewAudit }
  | { op: 'sitting-status'; sittingId: string; status: string; openedAt: number | null; startedAt: number | null; closedAt: number | null };

type Param = string | number | null;
/**
 * What crosses to the writer thread: a statement name and its parameters in the order of the
 * statement's placeholders (flat arrays: the cheapest thing to clone and to bind).
 */
export type SqlOp = [statement: keyof typeof WRITE_STATEMENTS, params: Param[]];
export type WriteUnit = SqlOp[];
/**
 * A batch's outcome: every op's last insert rowid in order, and, when the batch failed as a
 * whole and was retried unit by unit, each unit's error (null for a unit that committed).
 */
export interface BatchResult {
  ids: number[];
  errors: (string | null)[] | null;
}

/**
 * The write path's SQL, by hand rather than through drizzle: the writer thread runs plain
 * JavaScript (a TypeScript loader there took ~400 ms per start) and binds these directly.
 * Column names follow db/schema.ts; tests/storage round-trips every op through the
 * repositories, so a schema change these miss fails there.
 */
export const WRITE_STATEMENTS = {
  answer: 'INSERT INTO answer_events (candidate_id, item, kind, choice, option_index, client_seq, server_ts, score_delta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  loginState: 'UPDATE candidates SET failed_logins = ?, locked_at = ?, login_generation = ?, session_generation = ? WHERE id = ?',
  attemptCreate: 'INSERT INTO attempts (candidate_id, state, admitted_at, duration_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  attemptSave:
    'UPDATE attempts SET state = ?, admitted_at = ?, started_at = ?, duration_ms = ?, extension_ms = ?, paused_ms = ?, paused_since = ?, ended_at = ?, end_reason = ? WHERE candidate_id = ?',
  // a dealt paper and a result are written once: a second write is ignored
  paper: 'INSERT INTO papers (candidate_id, items, dealt_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  result:
    'INSERT INTO results (candidate_id, sitting_id, sections, total, threshold_set, passed, receipt_id, finished_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  audit: 'INSERT INTO audit_log (at, actor_id, actor_name, actor_role, sitting_id, candidate_id, action, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  sittingStatus: 'UPDATE sittings SET status = ?, opened_at = ?, started_at = ?, closed_at = ? WHERE id = ?',
} as const;

export function toSql(w: WriteOp): SqlOp {
  switch (w.op) {
    case 'answer': {
      const r = w.row;
      return ['answer', [r.candidateId, r.item, r.kind, r.choice ?? null, r.optionIndex ?? null, r.clientSeq, r.serverTs, r.scoreDelta ?? 0]];
    }
    case 'login-state':
      return ['loginState', [w.failedLogins, w.lockedAt, w.loginGeneration, w.sessionGeneration, w.candidateId]];
    case 'attempt-create':
      return ['attemptCreate', [w.row.candidateId, w.row.state, w.row.admittedAt, w.row.durationMs]];
    case 'attempt-save': {
      const r = w.row;
      return ['attemptSave', [r.state, r.admittedAt, r.startedAt, r.durationMs, r.extensionMs, r.pausedMs, r.pausedSince, r.endedAt, r.endReason, r.candidateId]];
    }
    case 'paper':
      return ['paper', [w.candidateId, JSON.stringify(w.items), w.dealtAt]];
    case 'result': {
      const r = w.row;
      return ['result', [r.candidateId, r.sittingId, JSON.stringify(r.sections), r.total, r.thresholdSet, r.passed ? 1 : 0, r.receiptId, r.finishedAt, r.endReason]];
    }
    case 'audit': {
      const e = w.entry;
      const details = e.details === undefined || e.details === null ? null : JSON.stringify(e.details);
      return ['audit', [e.at, e.actorId ?? null, e.actorName, e.actorRole, e.sittingId ?? null, e.candidateId ?? null, e.action, e.reason, details]];
    }
    case 'sitting-status':
      return ['sittingStatus', [w.status, w.openedAt, w.startedAt, w.closedAt, w.sittingId]];
  }
}
