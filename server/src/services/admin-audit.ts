import type { AuditRecord } from '../domain/writes.js';
import type { WriteOp } from '../db/write-ops.js';

export type Actor = { id: number; displayName: string; role: string };

/** An admin's action outside any candidate's attempt, for the audit log. */
export function adminAudit(actor: Actor, at: number, action: string, reason: string, details: unknown, sittingId: string | null = null): AuditRecord {
  return { at, actorId: actor.id, actorName: actor.displayName, actorRole: actor.role, sittingId, candidateId: null, action, reason, details };
}

/** The same as a write, to commit in the unit of the change it records. */
export function audit(actor: Actor, at: number, action: string, reason: string, details: unknown, sittingId: string | null = null): WriteOp {
  return { kind: 'audit', record: adminAudit(actor, at, action, reason, details, sittingId) };
}
