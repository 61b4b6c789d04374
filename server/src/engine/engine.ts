import type { Config } from '../config.js';
import type { PracticeItem } from '../contract/candidate.js';
import { decideExpire } from '../domain/attempt.js';
import { isOpen } from '../domain/catalog.js';
import { scoreChoice } from '../domain/scoring.js';
import { deadline } from '../domain/timing.js';
import type { KacaStore } from '../services/store.js';
import { practiceBank } from '../../../question-bank/index.js';
import { CandidateLogin } from './candidate-login.js';
import { Checkpoints } from './checkpoints.js';
import { LiveAnalysis } from './live-analysis.js';
import { Candidates } from './candidates.js';
import { SILENT, type EngineLog, type Notifier } from './notifier.js';
import { ProctorCommands } from './proctor-commands.js';
import { ReadModels } from './read-models.js';
import { Registry } from './registry.js';
import { CandidateRunner } from './runner.js';
import { Setup } from './setup.js';
import { Sittings, type BeaconCheck } from './sittings.js';
import { checkBeaconSignature } from '../domain/verify/beacon.js';
import { Staff } from './staff.js';

/**
 * The exam engine: the pure core (domain/) run by a thin shell. It knows nothing of sockets or
 * HTTP: handlers call its parts, and a Notifier carries its pushes out once changes are durable.
 */
export class ExamEngine {
  readonly registry: Registry;
  readonly runner: CandidateRunner;
  readonly views: ReadModels;
  readonly candidates: Candidates;
  readonly login: CandidateLogin;
  readonly proctor: ProctorCommands;
  readonly sittings: Sittings;
  /** admin changes to scheduled sittings, banks and templates */
  readonly setup: Setup;
  readonly staff: Staff;
  readonly checkpoints: Checkpoints;
  /** item analysis of running sittings, for admins */
  readonly analysis: LiveAnalysis;
  private notifier: Notifier = SILENT;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** candidates whose time-up is queued, so the sweep queues it once */
  private readonly expiring = new Set<number>();
  private practice: PracticeItem[] | null = null;

  constructor(
    readonly store: KacaStore,
    private readonly config: Config,
    readonly now: () => number = Date.now,
    log: EngineLog = { error: () => undefined },
    /** the beacon check; by default on this thread (the server hands it to the log reader thread) */
    checkBeacon: BeaconCheck = (round, signature) => Promise.resolve(checkBeaconSignature(round, signature)),
  ) {
    const notifier = () => this.notifier;
    this.registry = new Registry(store);
    this.analysis = new LiveAnalysis(this.registry, now, (err) => log.error({ err }, 'live item analysis dropped'));
    this.checkpoints = new Checkpoints(store, this.registry, notifier, now, log);
    const extras = { practice: () => this.practiceItems(), verifyUrl: config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/verify/` : null };
    this.runner = new CandidateRunner(this.registry, store, SILENT, now, log, extras, config.maxEventsPerItem, (sittingId) => this.views.hallPaused(sittingId));
    this.views = new ReadModels(this.registry, store, now, config, this.checkpoints);
    this.candidates = new Candidates(this.registry, this.runner, notifier, now, extras);
    this.login = new CandidateLogin(this.registry, this.runner, store.secret, config, now);
    this.proctor = new ProctorCommands(this.registry, this.runner, store, (id) => this.views.proctorRow(id), now);
    this.sittings = new Sittings(this.registry, this.runner, store, notifier, this.checkpoints, checkBeacon, now, (sittingId) => this.views.sittingChanged(sittingId));
    this.setup = new Setup(this.registry, store, notifier);
    this.staff = new Staff(store, this.registry, now, (s) => this.views.sittingInfo(s), notifier, { idleMs: config.staffIdleMinutes * 60_000, absoluteMs: config.staffSessionHours * 3_600_000 });
  }

  setNotifier(n: Notifier): void {
    // every committed change of a candidate also reaches the live item analysis (if an admin watches)
    const analysis = this.analysis;
    const wrapped: Notifier = {
      candidateChanged(sittingId, candidateId, audience) {
        n.candidateChanged(sittingId, candidateId, audience);
        if (audience === 'all') analysis.changed(sittingId, candidateId);
      },
      toCandidate: (candidateId, event, ...args) => n.toCandidate(candidateId, event, ...args),
      revokeSession: (candidateId, reason) => n.revokeSession(candidateId, reason),
      sittingChanged(sittingId) {
        n.sittingChanged(sittingId);
        analysis.sittingChanged(sittingId);
      },
      logCheckpoint: (sittingId) => n.logCheckpoint(sittingId),
      staffSessionsEnded: (ids, reason) => n.staffSessionsEnded(ids, reason),
      audited: (sittingId, entry) => n.audited(sittingId, entry),
    };
    this.notifier = wrapped;
    this.runner.setNotifier(wrapped);
  }

  /**
   * Loads every open sitting (dealing the papers it lacks), finishes attempts whose time ran out
   * while down, starts the sweep. With several nodes (`loadOpen` false) a sitting is loaded when
   * this node takes it on (adopt).
   */
  async start(loadOpen = true): Promise<void> {
    await this.store.writer.ready();
    if (loadOpen) for (const s of this.registry.allSittings()) if (isOpen(s)) await this.sittings.load(s.id);
    this.sweep();
    this.sweepTimer = setInterval(() => this.sweep(), this.config.expirySweepMs);
    this.sweepTimer.unref();
    this.staff.startSweep();
    this.checkpoints.start(this.config.checkpointSeconds * 1000);
  }

  /** Stops the sweep and waits until every write submitted so far is on disk. */
  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.staff.stopSweep();
    this.checkpoints.stop();
    await this.store.writer.drained();
  }

  /**
   * Several nodes: this node runs the sitting from now on (it holds the sitting's lock). What it
   * kept of it is dropped and the sitting is read afresh, so it holds everything the node that ran
   * it before had stored; an open sitting is loaded at once, so its timers run here.
   */
  async adopt(sittingId: string): Promise<void> {
    this.registry.drop(sittingId);
    this.views.sittingChanged(sittingId);
    const s = this.registry.sitting(sittingId);
    if (isOpen(s)) await this.sittings.load(sittingId);
  }

  /** Time is the server's: every attempt whose time ran out is finished, connected or not. */
  sweep(): void {
    const now = this.now();
    this.analysis.expire();
    for (const id of this.registry.running) {
      const e = this.registry.examinee(id);
      if (!this.registry.runs(e.profile.sittingId)) continue;
      const d = deadline(e.attempt!.clock);
      if (d === null || d > now || this.expiring.has(id)) continue;
      this.expiring.add(id);
      this.runner.run(id, decideExpire).then(
        () => this.expiring.delete(id),
        () => this.expiring.delete(id),
      );
    }
  }

  /** The practice round's sample questions: public, so their points travel with them. */
  private practiceItems(): PracticeItem[] {
    if (!this.practice) {
      const scoring = { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } as const;
      this.practice = practiceBank().questions.map((q) => ({ section: q.section, stem: q.stem, options: q.options, points: q.weights ?? q.options.map((_, i) => scoreChoice(q, scoring, i)) }));
    }
    return this.practice;
  }

  /** For tests and metrics. */
  stats() {
    return { ...this.registry.stats(), writer: this.store.writer.stats };
  }
}
