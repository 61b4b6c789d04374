import type { ExamTemplate } from '../contract/exam.js';
import type { ParsedBank } from '../domain/bank.js';
import type { Write } from '../domain/writes.js';
import type { accounts, candidates, sittings, staffSessions } from './schema.js';

/**
 * Every write the server makes, as plain data: the core's (domain/writes.ts) and the admin's.
 * Data rather than closures because all of them are committed on the writer thread; structured
 * clone carries them there.
 */
type AdminWrite =
  | { kind: 'template'; template: ExamTemplate; createdAt: number }
  /** a template's new definition; refused with INVALID_STATE once a sitting uses it */
  | { kind: 'template-update'; template: ExamTemplate }
  /** a whole bank in one go; refused with CONFLICT when the id exists */
  | { kind: 'bank'; bank: ParsedBank; createdAt: number }
  /**
   * The same, for a large upload: the bank as lines of JSON (db/bank-lines.ts), made by the bank
   * thread in a SharedArrayBuffer, so that it reaches the writer thread without being copied or
   * even looked at by the event loop (services/bank-import.ts).
   */
  | { kind: 'bank-encoded'; lines: Uint8Array; createdAt: number }
  /** retires (or restores) questions; refused with INVALID_STATE while an open or running sitting deals from the bank */
  | { kind: 'questions-retire'; bankId: string; ids: string[]; retired: boolean }
  | { kind: 'sitting'; row: typeof sittings.$inferInsert }
  /** a scheduled sitting's changed fields; refused with INVALID_STATE once it has opened */
  | { kind: 'sitting-update'; sittingId: string; set: SittingUpdate }
  | { kind: 'candidates'; rows: (typeof candidates.$inferInsert)[] }
  /** returns the new account's id */
  | { kind: 'account'; row: typeof accounts.$inferInsert; sittings: string[] }
  | { kind: 'account-update'; id: number; patch: Partial<Pick<typeof accounts.$inferInsert, 'displayName' | 'passwordHash' | 'role' | 'disabled'>> }
  | { kind: 'proctor-assignment'; sittingId: string; accountId: number; assigned: boolean }
  | { kind: 'account-login'; id: number; failedLogins: number; lockedUntil: number | null }
  | { kind: 'staff-session'; row: typeof staffSessions.$inferInsert }
  | { kind: 'staff-session-seen'; id: string; lastSeenAt: number }
  /** ends the given sessions that are still open */
  | { kind: 'staff-sessions-end'; ids: string[]; endedAt: number; endReason: string }
  /** signs a checkpoint of the sitting's log; the value is the note, or '' if the log has not grown since the last */
  | { kind: 'checkpoint'; sittingId: string; at: number };

/** The columns of a sitting an admin may change before it opens. */
export type SittingUpdate = Partial<
  Pick<
    typeof sittings.$inferInsert,
    'name' | 'templateId' | 'bankId' | 'site' | 'room' | 'scheduledStart' | 'requireToken' | 'requireAdmission' | 'practice' | 'revealPolicy' | 'roomRows' | 'roomCols' | 'timezone' | 'beaconRound' | 'tokenIntervalSec' | 'vacancies'
  >
>;

export type WriteOp = Write | AdminWrite;

/** A failure that crossed from the writer thread: a wire code when the write refused with one. */
export interface WriteError {
  code: string | null;
  message: string;
}

/** An op's value: a new row id, a log index, a signed note, or 0. */
export type WriteValue = number | string;

/**
 * A batch's outcome: each op's value in order (the new row id for inserts that have one, the
 * index of a log event, the note of a receipt or checkpoint, else 0), and, when the batch failed as a whole and was retried unit by unit, each unit's error
 * (null for a unit that committed).
 */
export interface BatchResult {
  values: WriteValue[];
  errors: (WriteError | null)[] | null;
}
