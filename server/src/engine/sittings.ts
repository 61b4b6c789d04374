import { isOpen, type Sitting } from '../domain/catalog.js';
import { bankMisfits } from '../domain/bank.js';
import { dealSeed, paperHashOf } from '../domain/log-events.js';
import { roundTime } from '../domain/verify/beacon.js';
import { hallClock } from '../domain/timing.js';
import { ErrorCode } from '../contract/errors.js';
import { fail } from '../domain/errors.js';
import { accept, ensurePaper, type Actor, type Context, type Decision, type Examinee } from '../domain/examinee.js';
import { decideAdmitMany, decideSittingExtend, decideSittingPause, decideSittingStatus, decideUnlockLogins, pausedAlone, type BeaconValue, type SittingDecision } from '../domain/sitting-lifecycle.js';
import type { Write } from '../domain/writes.js';
import { WriterLost } from '../db/writer.js';
import type { WriteOp, WriteValue } from '../db/write-ops.js';
import type { Checkpoints } from './checkpoints.js';
import type { KacaStore } from '../services/store.js';
import { withLocks } from './lock.js';
import type { Notifier } from './notifier.js';
import type { Registry } from './registry.js';
import { committed, notSaved, type CandidateRunner } from './runner.js';

/** Checks a drand quicknet round's signature (domain/verify/beacon.ts checkBeaconSignature), possibly on another thread. */
export type BeaconCheck = (round: number, signature: string) => Promise<{ ok: true; randomness: string } | { ok: false; problem: string }>;

/**
 * Sitting-wide actions. Each holds the sitting's lock and every one of its candidates' locks (so
 * it falls between two commands of any candidate, never inside one), decides for all of them at
 * once, commits one unit, and only then changes memory.
 */
export class Sittings {
  constructor(
    private readonly registry: Registry,
    private readonly runner: CandidateRunner,
    private readonly store: KacaStore,
    private readonly getNotifier: () => Notifier,
    private readonly checkpoints: Checkpoints,
    private readonly checkBeacon: BeaconCheck,
    private readonly now: () => number,
    /** a sitting-wide change is on disk: what is kept of the sitting's clock is read again before any candidate's command runs */
    private readonly sittingCommitted: (sittingId: string) => void,
  ) {}

  private async group(sittingId: string, decide: (s: Sitting, examinees: Examinee[], ctx: Omit<Context, 'sitting'>) => SittingDecision): Promise<SittingDecision> {
    if (!this.registry.runs(sittingId)) fail(ErrorCode.UNAVAILABLE, `sitting ${sittingId} is run by another node now: try again`);
    return withLocks([this.registry.sittingLock(sittingId)], () => {
      const ids = this.registry.roster(sittingId);
      return withLocks(
        ids.map((id) => this.registry.lock(id)),
        async () => {
          const { sitting, ...ctx } = this.runner.context(sittingId);
          const d = decide(sitting, ids.map((id) => this.registry.examinee(id)), ctx);
          const candidateWrites: Write[] = d.candidates.flatMap((c) => c.writes);
          // the log's closing leaf comes after every finish, then the checkpoint that seals it
          const closing: WriteOp[] = d.closing?.length ? [...d.closing, { kind: 'checkpoint', sittingId, at: ctx.now }] : [];
          const unit: WriteOp[] = [...d.writes, ...candidateWrites, ...closing];
          if (unit.length === 0) return d;
          let values: WriteValue[];
          try {
            values = await this.store.writer.submit(unit);
          } catch (err) {
            if (err instanceof WriterLost) for (const c of d.candidates) this.registry.load(c.examinee.profile.id);
            // whether it is on disk is not known: what is kept of the sitting's clock is read again
            this.sittingCommitted(sittingId);
            throw notSaved();
          }
          this.registry.setSitting(d.sitting);
          this.sittingCommitted(sittingId);
          this.runner.audited(d.writes, values);
          let at = d.writes.length;
          for (const c of d.candidates) {
            const n = c.writes.length;
            const e = committed(c.examinee, unit, values, at, n).examinee;
            this.registry.set(e);
            this.runner.dispatch(e, c.notices, c.writes, values.slice(at, at + n));
            at += n;
          }
          if (closing.length) this.checkpoints.published(sittingId, values[values.length - 1] as string);
          return d;
        },
      );
    });
  }

  /** Papers for every candidate who has none: dealt once, when the sitting opens (or starts, when a beacon value is mixed in then). */
  private dealMissing(s: Sitting, ctx: Omit<Context, 'sitting'>): Decision<unknown>[] {
    if (!isOpen(s) || dealSeed(s) === null) return [];
    return this.registry.loadSitting(s.id).map((e) => {
      const dealt = ensurePaper(e, { ...ctx, sitting: s }, ctx.now);
      // nobody sees a paper before the candidate starts: nothing to tell
      return accept(dealt.examinee, undefined, dealt.writes);
    });
  }

  async setStatus(actor: Actor, sittingId: string, to: 'open' | 'running' | 'closed', reason: string, beaconSignature: string | null = null): Promise<Sitting> {
    const beacon = beaconSignature === null ? null : await this.beaconValue(sittingId, beaconSignature);
    if (to !== 'closed' && this.registry.sitting(sittingId).status === 'scheduled') this.assertBankFits(sittingId);
    // bulk-read the hall before taking its locks: one query per table, not one per candidate
    this.registry.loadSitting(sittingId);
    const d = await this.group(sittingId, (s, examinees, ctx) => {
      const status = decideSittingStatus(s, to, actor, reason, examinees, ctx, beacon);
      if (status.writes.length === 0) return status;
      return { ...status, candidates: [...status.candidates, ...this.dealMissing(status.sitting, ctx)] };
    });
    if (d.writes.length > 0) this.getNotifier().sittingChanged(sittingId);
    if (isOpen(d.sitting)) this.warmPaperHashes(sittingId);
    return d.sitting;
  }

  /**
   * A sitting opens only with a bank whose questions fit its template: the check at its creation
   * and at each change, again here, for a sitting stored before that check existed (a keyed
   * question in a weighted section would score 0 whatever is chosen).
   */
  private assertBankFits(sittingId: string): void {
    const s = this.registry.sitting(sittingId);
    const catalog = this.registry.catalog(sittingId);
    const misfits = bankMisfits(catalog.dealt, catalog.template);
    if (misfits.length) fail(ErrorCode.BANK_INVALID, `bank ${s.bankId} does not fit template ${s.templateId}: ${misfits.join('; ')}: change the sitting's bank or template before opening it`, { misfits });
  }

  private readonly warming = new Set<string>();

  /**
   * Works out the hash of every paper not started yet, a few dozen per turn of the event loop,
   * while the hall is still arriving: each start logs its paper's hash, and a hall starting
   * within the same minute would otherwise hash thousands of papers at once.
   */
  private warmPaperHashes(sittingId: string): void {
    if (this.warming.has(sittingId)) return;
    this.warming.add(sittingId);
    const ids = this.registry.roster(sittingId);
    const step = (from: number) => {
      const to = Math.min(ids.length, from + 64);
      for (let i = from; i < to; i++) {
        // only what is in memory: this runs after the sitting was loaded, and must not read the database
        if (!this.registry.has(ids[i])) continue;
        const e = this.registry.examinee(ids[i]);
        const state = e.attempt?.state ?? 'waiting';
        if (e.paper && (state === 'waiting' || state === 'admitted')) paperHashOf(e.paper);
      }
      if (to < ids.length) setImmediate(step, to);
      else this.warming.delete(sittingId);
    };
    step(0);
  }

  /** The beacon round's value from its signature, checked against the beacon's key (off the event loop: it takes a pairing). */
  private async beaconValue(sittingId: string, signature: string): Promise<BeaconValue> {
    const round = this.registry.sitting(sittingId).beaconRound;
    if (round === null) fail(ErrorCode.BAD_REQUEST, 'a beacon value is given only when starting a sitting that names a beacon round');
    const at = roundTime(round);
    if (at > this.now()) fail(ErrorCode.INVALID_STATE, `beacon round ${round} is published at ${new Date(at).toISOString()}: the sitting can start once it is out`);
    const checked = await this.checkBeacon(round, signature);
    if (!checked.ok) fail(ErrorCode.BAD_REQUEST, `that is not beacon round ${round}: ${checked.problem}`);
    return { signature, randomness: checked.randomness };
  }

  async pause(actor: Actor, sittingId: string, reason: string, resuming: boolean): Promise<number> {
    const d = await this.group(sittingId, (s, examinees, ctx) => {
      const audit = this.store.repos.audit.bySitting(s.id);
      return decideSittingPause(s, resuming, actor, reason, examinees, ctx, this.hallPaused(s, audit), pausedAlone(examinees, audit));
    });
    // the sitting's own clock stops or runs again (the board's header)
    this.getNotifier().sittingChanged(sittingId);
    return d.candidates.length;
  }

  /** Whether a sitting-wide pause holds the hall's clock now: from the audit log read afresh, under the sitting's lock. */
  private hallPaused(s: Sitting, audit: Parameters<typeof hallClock>[2]): boolean {
    if (s.status !== 'running' || s.startedAt === null) return false;
    return hallClock(s.startedAt, this.registry.catalog(s.id).template.durationMinutes * 60_000, audit).pausedSince !== null;
  }

  /** Adds the same minutes to every attempt in progress; returns how many got them. */
  async extendAll(actor: Actor, sittingId: string, minutes: number, reason: string): Promise<number> {
    const d = await this.group(sittingId, (s, examinees, ctx) => decideSittingExtend(s, minutes, actor, reason, examinees, ctx));
    // the sitting's own clock moves too (the board's header)
    this.getNotifier().sittingChanged(sittingId);
    return d.candidates.filter((c) => c.examinee.attempt?.state === 'in_progress').length;
  }

  /** Admits many waiting candidates at once (a checklist at the door): one decision, one audit entry. */
  async admitMany(actor: Actor, sittingId: string, candidateIds: readonly number[], reason: string): Promise<number[]> {
    const d = await this.group(sittingId, (s, examinees, ctx) => decideAdmitMany(s, candidateIds, actor, reason, examinees, ctx));
    return d.candidates.map((c) => c.examinee.profile.id);
  }

  async unlockLogins(actor: Actor, sittingId: string, reason: string): Promise<number> {
    const d = await this.group(sittingId, (s, examinees, ctx) => decideUnlockLogins(s, actor, reason, examinees, ctx));
    return d.candidates.length;
  }

  /** Loads an open sitting at start-up, dealing the papers it lacks. */
  async load(sittingId: string): Promise<void> {
    this.registry.loadSitting(sittingId);
    const d = await this.group(sittingId, (s, _examinees, ctx) => ({ sitting: s, candidates: this.dealMissing(s, ctx), writes: [] }));
    if (isOpen(d.sitting)) this.warmPaperHashes(sittingId);
  }

  /** Several nodes: how a roster change of a sitting another node runs reaches that node (cluster/realtime.ts). */
  elsewhere: ((sittingId: string) => Promise<unknown>) | null = null;

  /** Candidates were added to a sitting (admin import): they appear on consoles and boards and, if it is open, get papers. */
  async rosterChanged(sittingId: string): Promise<void> {
    if (this.elsewhere && !this.registry.runs(sittingId)) {
      // a sitting no node runs (not open yet) has nothing in memory to change anywhere
      if (isOpen(this.registry.sitting(sittingId))) await this.elsewhere(sittingId);
      return;
    }
    const added = this.registry.rosterChanged(sittingId);
    await this.load(sittingId);
    for (const id of added) this.getNotifier().candidateChanged(sittingId, id, 'all');
    this.getNotifier().sittingChanged(sittingId);
  }
}
