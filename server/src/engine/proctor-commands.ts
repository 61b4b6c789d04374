import type { AuditEntry, ProctorRow } from '../contract/proctor.js';
import { ErrorCode } from '../contract/errors.js';
import { fail } from '../domain/errors.js';
import { auditRecord, type Actor } from '../domain/examinee.js';
import { decideProctorAction, type ProctorAction } from '../domain/proctor-actions.js';
import { auditEntry } from '../domain/proctor-view.js';
import type { KacaStore } from '../services/store.js';
import type { Registry } from './registry.js';
import type { CandidateRunner } from './runner.js';

/** A proctor's actions on one candidate: through the candidate's queue, each audited with its change. */
export class ProctorCommands {
  constructor(
    private readonly registry: Registry,
    private readonly runner: CandidateRunner,
    private readonly store: KacaStore,
    private readonly row: (candidateId: number) => ProctorRow,
    private readonly now: () => number,
  ) {}

  private assertIn(sittingId: string, candidateId: number): void {
    this.registry.sitting(sittingId);
    if (this.registry.examinee(candidateId).profile.sittingId !== sittingId) fail(ErrorCode.NOT_FOUND, `candidate ${candidateId} is not in sitting ${sittingId}`);
  }

  async act(sittingId: string, candidateId: number, action: ProctorAction): Promise<ProctorRow> {
    this.assertIn(sittingId, candidateId);
    await this.runner.run(candidateId, (e, ctx) => decideProctorAction(e, action, ctx));
    return this.row(candidateId);
  }

  /** An incident for the berita acara, about the sitting or one candidate: nothing else changes. */
  async noteIncident(actor: Actor, sittingId: string, candidateId: number | null, reason: string): Promise<AuditEntry> {
    if (candidateId !== null) this.assertIn(sittingId, candidateId);
    else this.registry.sitting(sittingId);
    const record = auditRecord(actor, this.now(), sittingId, candidateId, 'incident', reason);
    const [id] = (await this.store.writer.submit([{ kind: 'audit', record }])) as number[];
    const entry = auditEntry({ id, ...record });
    this.runner.audited([{ kind: 'audit', record }], [id]);
    return entry;
  }
}
