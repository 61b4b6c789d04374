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
  /** a whole bank in one go; refused with CONFLICT when the id exists */
  | { kind: 'bank'; bank: ParsedBank; createdAt: number }
  | { kind: 'sitting'; row: typeof sittings.$inferInsert }
  | { kind: 'candidates'; rows: (typeof candidates.$inferInsert)[] }
  /** returns the new account's id */
  | { kind: 'account'; row: typeof accounts.$inferInsert; sittings: string[] }
  | { kind: 'account-update'; id: number; patch: Partial<Pick<typeof accounts.$inferInsert, 'displayName' | 'passwordHash' | 'role' | 'disabled'>> }
  | { kind: 'proctor-assignment'; sittingId: string; accountId: number; assigned: boolean }
  | { kind: 'account-login'; id: number; failedLogins: number; lockedUntil: number | null }
  | { kind: 'staff-session'; row: typeof staffSessions.$inferInsert }
  | { kind: 'staff-session-seen'; id: string; lastSeenAt: number }
  /** ends the given sessions that are still open */
  | { kind: 'staff-sessions-end'; ids: string[]; endedAt: number; endReason: string };

export type WriteOp = Write | AdminWrite;

/** A failure that crossed from the writer thread: a wire code when the write refused with one. */
export interface WriteError {
  code: string | null;
  message: string;
}

/**
 * A batch's outcome: each op's value in order (the new row id for inserts that have one, else
 * 0), and, when the batch failed as a whole and was retried unit by unit, each unit's error
 * (null for a unit that committed).
 */
export interface BatchResult {
  values: number[];
  errors: (WriteError | null)[] | null;
}
