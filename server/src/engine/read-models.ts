import { ErrorCode } from '../contract/errors.js';
import type { AuditEntry, ProctorRow, ProctorSnapshot, SittingInfo } from '../contract/proctor.js';
import type { ScoreRow, ScoreboardSitting, ScoreboardSnapshot } from '../contract/scoreboard.js';
import type { Sitting } from '../domain/catalog.js';
import type { Examinee } from '../domain/examinee.js';
import { fail } from '../domain/errors.js';
import type { NameMask } from '../domain/mask.js';
import { auditEntry, proctorRow, sittingInfo } from '../domain/proctor-view.js';
import { publicRow, rankedRows, scoreboardSitting, sittingLogInfo } from '../domain/public-view.js';
import { hallClock, type Clock } from '../domain/timing.js';
import type { KacaStore } from '../services/store.js';
import type { Checkpoints } from './checkpoints.js';
import type { Registry } from './registry.js';
import { sittingToken } from './tokens.js';

/** The views of the committed state, as each audience receives them (the rules of each are in domain/*-view.ts). */
export class ReadModels {
  private readonly hallClocks = new Map<string, Clock>();
  /**
   * Each candidate's public row, kept with the committed state and the sitting it was made from:
   * both are replaced, never changed, when something changes, so a row made from the same two is
   * still right. A push ranks the whole board but builds rows only for whoever changed (a board of
   * 2,000 took 8-12 ms a push, a third of it masking the same names again).
   */
  private readonly publicRows = new WeakMap<Examinee, { sitting: Sitting; row: ScoreRow }>();

  constructor(
    private readonly registry: Registry,
    private readonly store: KacaStore,
    private readonly now: () => number,
    private readonly config: { scoreboardNameMask: NameMask; tokenGraceMinutes: number },
    private readonly checkpoints: Checkpoints,
  ) {}

  proctorRow(candidateId: number): ProctorRow {
    const e = this.registry.examinee(candidateId);
    const sittingId = e.profile.sittingId;
    return proctorRow(e, this.registry.presenceIfAny(candidateId), this.registry.catalog(sittingId), this.registry.sitting(sittingId), this.now());
  }

  sittingInfo(s: Sitting): SittingInfo {
    return sittingInfo(s, this.store.catalog.forSitting(s), this.registry.roster(s.id).length, (this.hallClock(s)?.pausedSince ?? null) !== null, this.store.logKey.verifierKey);
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
    const sitting = this.registry.sitting(sittingId);
    const kept = this.publicRows.get(e);
    if (kept && kept.sitting === sitting) return kept.row;
    const row = publicRow(e, this.registry.catalog(sittingId), this.config.scoreboardNameMask, sitting);
    this.publicRows.set(e, { sitting, row });
    return row;
  }

  /**
   * The sitting's own clock while it runs, from its hall-wide pauses and extensions in the audit
   * log: read once and kept until the sitting changes (a start, a hall-wide pause, resume or
   * extension, a close).
   */
  private hallClock(s: Sitting): Clock | null {
    if (s.status !== 'running' || s.startedAt === null) return null;
    let clock = this.hallClocks.get(s.id);
    if (!clock) {
      const events = this.store.repos.audit.bySitting(s.id).filter((a) => a.action === 'sitting-pause' || a.action === 'sitting-resume' || a.action === 'sitting-extend');
      clock = hallClock(s.startedAt, this.registry.catalog(s.id).template.durationMinutes * 60_000, events);
      // several nodes: only the node that runs the sitting hears of its changes, so only it keeps this
      if (this.registry.runs(s.id)) this.hallClocks.set(s.id, clock);
    }
    return clock;
  }

  /** Whether a sitting-wide pause holds the hall's clock now. */
  hallPaused(sittingId: string): boolean {
    return (this.hallClock(this.registry.sitting(sittingId))?.pausedSince ?? null) !== null;
  }

  /** The sitting changed (status, hall-wide pause): its clock is read again. */
  sittingChanged(sittingId: string): void {
    this.hallClocks.delete(sittingId);
  }

  scoreboardSitting(sittingId: string): ScoreboardSitting {
    const s = this.registry.sitting(sittingId);
    const catalog = this.store.catalog.forSitting(s);
    const log = sittingLogInfo(s, catalog, { origin: this.checkpoints.origin(s.id), verifierKey: this.store.logKey.verifierKey, checkpoint: this.checkpoints.latestFor(s.id) });
    return scoreboardSitting(s, catalog, this.registry.roster(s.id).length, this.hallClock(s), this.now(), log);
  }

  /** Sittings with a public board: open, running and closed ones. */
  publicSittings(): ScoreboardSitting[] {
    return this.registry
      .allSittings()
      .filter((s) => s.status !== 'scheduled')
      .map((s) => this.scoreboardSitting(s.id));
  }

  /** The board's section ids in its column order (what a pushed row's figures follow). */
  boardSections(sittingId: string): string[] {
    return this.registry.catalog(sittingId).template.sections.map((x) => x.id);
  }

  scoreboardSnapshot(sittingId: string): ScoreboardSnapshot {
    const s = this.registry.sitting(sittingId);
    if (s.status === 'scheduled') fail(ErrorCode.NOT_FOUND, `sitting ${sittingId} has no scoreboard yet`);
    const rows = this.registry.roster(sittingId).map((id) => this.scoreRow(id));
    return { sitting: this.scoreboardSitting(sittingId), serverTime: this.now(), rows: rankedRows(rows, this.store.catalog.forSitting(s).template.tieBreak) };
  }
}
