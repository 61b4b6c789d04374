import { ErrorCode } from '../contract/errors.js';
import type { AuditEntry, ProctorRow, ProctorSnapshot, SittingInfo } from '../contract/proctor.js';
import type { ScoreRow, ScoreboardSitting, ScoreboardSnapshot } from '../contract/scoreboard.js';
import type { Sitting } from '../domain/catalog.js';
import { fail } from '../domain/errors.js';
import type { NameMask } from '../domain/mask.js';
import { auditEntry, proctorRow, sittingInfo } from '../domain/proctor-view.js';
import { publicRow, rankedRows, scoreboardSitting, sittingLogInfo } from '../domain/public-view.js';
import { deadline } from '../domain/timing.js';
import type { KacaStore } from '../services/store.js';
import type { Checkpoints } from './checkpoints.js';
import type { Registry } from './registry.js';
import { sittingToken } from './tokens.js';

/** The views of the committed state, as each audience receives them (the rules of each are in domain/*-view.ts). */
export class ReadModels {
  constructor(
    private readonly registry: Registry,
    private readonly store: KacaStore,
    private readonly now: () => number,
    private readonly config: { scoreboardNameMask: NameMask; tokenGraceMinutes: number },
    private readonly checkpoints: Checkpoints,
  ) {}

  proctorRow(candidateId: number): ProctorRow {
    const e = this.registry.examinee(candidateId);
    return proctorRow(e, this.registry.presenceIfAny(candidateId), this.registry.catalog(e.profile.sittingId), this.now());
  }

  sittingInfo(s: Sitting): SittingInfo {
    return sittingInfo(s, this.store.catalog.forSitting(s), this.registry.roster(s.id).length);
  }

  token(sittingId: string): { token: string; rotatesAt: number } | null {
    return sittingToken(this.registry.sitting(sittingId), this.config.tokenGraceMinutes, this.now());
  }

  auditLog(sittingId: string): AuditEntry[] {
    return this.store.repos.audit.bySitting(sittingId).map(auditEntry);
  }

  proctorSnapshot(sittingId: string): ProctorSnapshot {
    const s = this.registry.sitting(sittingId);
    return {
      sitting: this.sittingInfo(s),
      serverTime: this.now(),
      token: this.token(sittingId),
      rows: this.registry.roster(sittingId).map((id) => this.proctorRow(id)),
      audit: this.auditLog(sittingId),
    };
  }

  sittingHeader(sittingId: string): { sitting: SittingInfo; token: { token: string; rotatesAt: number } | null } {
    return { sitting: this.sittingInfo(this.registry.sitting(sittingId)), token: this.token(sittingId) };
  }

  scoreRow(candidateId: number): ScoreRow {
    const e = this.registry.examinee(candidateId);
    const sittingId = e.profile.sittingId;
    return publicRow(e, this.registry.catalog(sittingId), this.config.scoreboardNameMask, this.registry.sitting(sittingId).revealPolicy);
  }

  scoreboardSitting(sittingId: string): ScoreboardSitting {
    const s = this.registry.sitting(sittingId);
    let endsAt: number | null = null;
    if (s.status === 'running') {
      for (const id of this.registry.running) {
        const e = this.registry.examinee(id);
        if (e.profile.sittingId !== s.id) continue;
        const d = deadline(e.attempt!.clock);
        if (d !== null && (endsAt === null || d > endsAt)) endsAt = d;
      }
    }
    const catalog = this.store.catalog.forSitting(s);
    const log = sittingLogInfo(s, catalog, { origin: this.checkpoints.origin(s.id), verifierKey: this.store.logKey.verifierKey, checkpoint: this.checkpoints.latestFor(s.id) });
    return scoreboardSitting(s, catalog, this.registry.roster(s.id).length, endsAt, log);
  }

  /** Sittings with a public board: open, running and closed ones. */
  publicSittings(): ScoreboardSitting[] {
    return this.registry
      .allSittings()
      .filter((s) => s.status !== 'scheduled')
      .map((s) => this.scoreboardSitting(s.id));
  }

  scoreboardSnapshot(sittingId: string): ScoreboardSnapshot {
    const s = this.registry.sitting(sittingId);
    if (s.status === 'scheduled') fail(ErrorCode.NOT_FOUND, `sitting ${sittingId} has no scoreboard yet`);
    const rows = this.registry.roster(sittingId).map((id) => this.scoreRow(id));
    return { sitting: this.scoreboardSitting(sittingId), serverTime: this.now(), rows: rankedRows(rows, this.store.catalog.forSitting(s).template.tieBreak) };
  }
}
