import { isOpen, type Sitting } from '../domain/catalog.js';
import { accept, ensurePaper, type Actor, type Context, type Decision, type Examinee } from '../domain/examinee.js';
import { decideAdmitMany, decideSittingPause, decideSittingStatus, decideUnlockLogins, type SittingDecision } from '../domain/sitting-lifecycle.js';
import type { Write } from '../domain/writes.js';
import { WriterLost } from '../db/writer.js';
import type { KacaStore } from '../services/store.js';
import { withLocks } from './lock.js';
import type { Notifier } from './notifier.js';
import type { Registry } from './registry.js';
import { notSaved, type CandidateRunner } from './runner.js';

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
  ) {}

  private async group(sittingId: string, decide: (s: Sitting, examinees: Examinee[], ctx: Omit<Context, 'sitting'>) => SittingDecision): Promise<SittingDecision> {
    return withLocks([this.registry.sittingLock(sittingId)], () => {
      const ids = this.registry.roster(sittingId);
      return withLocks(
        ids.map((id) => this.registry.lock(id)),
        async () => {
          const { sitting, ...ctx } = this.runner.context(sittingId);
          const d = decide(sitting, ids.map((id) => this.registry.examinee(id)), ctx);
          const unit: Write[] = [...d.writes, ...d.candidates.flatMap((c) => c.writes)];
          if (unit.length === 0) return d;
          let values: number[];
          try {
            values = await this.store.writer.submit(unit);
          } catch (err) {
            if (err instanceof WriterLost) for (const c of d.candidates) this.registry.load(c.examinee.profile.id);
            throw notSaved();
          }
          this.registry.setSitting(d.sitting);
          this.runner.audited(d.writes, values);
          let at = d.writes.length;
          for (const c of d.candidates) {
            this.registry.set(c.examinee);
            this.runner.dispatch(c.examinee, c.notices, c.writes, values.slice(at, at + c.writes.length));
            at += c.writes.length;
          }
          return d;
        },
      );
    });
  }

  /** Papers for every candidate who has none: dealt once, when the sitting opens. */
  private dealMissing(s: Sitting, ctx: Omit<Context, 'sitting'>): Decision<unknown>[] {
    if (!isOpen(s)) return [];
    return this.registry.loadSitting(s.id).map((e) => {
      const dealt = ensurePaper(e, { ...ctx, sitting: s }, ctx.now);
      // nobody sees a paper before the candidate starts: nothing to tell
      return accept(dealt.examinee, undefined, dealt.writes);
    });
  }

  async setStatus(actor: Actor, sittingId: string, to: 'open' | 'running' | 'closed', reason: string): Promise<Sitting> {
    // bulk-read the hall before taking its locks: one query per table, not one per candidate
    this.registry.loadSitting(sittingId);
    const d = await this.group(sittingId, (s, examinees, ctx) => {
      const status = decideSittingStatus(s, to, actor, reason, examinees, ctx);
      if (status.writes.length === 0) return status;
      return { ...status, candidates: [...status.candidates, ...this.dealMissing(status.sitting, ctx)] };
    });
    if (d.writes.length > 0) this.getNotifier().sittingChanged(sittingId);
    return d.sitting;
  }

  async pause(actor: Actor, sittingId: string, reason: string, resuming: boolean): Promise<number> {
    const d = await this.group(sittingId, (s, examinees, ctx) => decideSittingPause(s, resuming, actor, reason, examinees, ctx));
    // the sitting's own clock stops or runs again (the board's header)
    this.getNotifier().sittingChanged(sittingId);
    return d.candidates.length;
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
    await this.group(sittingId, (s, _examinees, ctx) => ({ sitting: s, candidates: this.dealMissing(s, ctx), writes: [] }));
  }

  /** Candidates were added to a sitting (admin import): they appear on consoles and boards and, if it is open, get papers. */
  async rosterChanged(sittingId: string): Promise<void> {
    const added = this.registry.rosterChanged(sittingId);
    await this.load(sittingId);
    for (const id of added) this.getNotifier().candidateChanged(sittingId, id, 'all');
    this.getNotifier().sittingChanged(sittingId);
  }
}
