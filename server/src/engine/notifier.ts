import type { CandidateServerEvents } from '../contract/candidate.js';
import type { AuditEntry } from '../contract/proctor.js';
import type { SentEvents } from '../domain/candidate-view.js';

/** What the transport layer hears from the engine, once the change it reports is on disk. */
export interface Notifier {
  /**
   * A candidate's row changed, coalesced by the notifier. 'proctor' changes (connection, failed
   * logins, client reports) are of no interest to the public scoreboard.
   */
  candidateChanged(sittingId: string, candidateId: number, audience: 'all' | 'proctor'): void;
  /** something for the candidate's own connection */
  toCandidate<E extends keyof CandidateServerEvents>(candidateId: number, event: E, ...args: Parameters<SentEvents<CandidateServerEvents>[E]>): void;
  /** the candidate's session is revoked: close their connection */
  revokeSession(candidateId: number, reason: string): void;
  sittingChanged(sittingId: string): void;
  /**
   * A new signed checkpoint of the sitting's log: only the public board shows it (its header),
   * so nobody else is told (every 10 s, a push to every candidate would be thousands of writes).
   */
  logCheckpoint(sittingId: string): void;
  /** staff sessions ended (logout, expiry, a disabled account, a new password): cut their connections */
  staffSessionsEnded(sessionIds: string[], reason: string): void;
  audited(sittingId: string, entry: AuditEntry): void;
}

export const SILENT: Notifier = {
  candidateChanged() {},
  toCandidate() {},
  revokeSession() {},
  sittingChanged() {},
  logCheckpoint() {},
  staffSessionsEnded() {},
  audited() {},
};

/** Where the engine reports what it could not do (pino's shape). */
export interface EngineLog {
  error(obj: object, msg: string): void;
}
