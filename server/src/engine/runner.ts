import { ErrorCode } from '../contract/errors.js';
import { markUnsaved } from '../domain/attempt.js';
import { candidateView, timePush, type CandidateExtras } from '../domain/candidate-view.js';
import { auditEntry } from '../domain/proctor-view.js';
import { fail, KacaError } from '../domain/errors.js';
import { withReceipt, type Context, type Decision, type Examinee, type Notice, type Outcome } from '../domain/examinee.js';
import type { Write } from '../domain/writes.js';
import { WriterLost } from '../db/writer.js';
import type { WriteOp, WriteValue } from '../db/write-ops.js';
import type { KacaStore } from '../services/store.js';
import { receiptId } from '../services/secrets.js';
import type { EngineLog, Notifier } from './notifier.js';
import type { Registry } from './registry.js';
import type { Lock } from './lock.js';

export type Decide<T> = (e: Examinee, ctx: Context) => Decision<T>;

/** What a command's caller gets once its change is on disk: the value, and the candidate as it committed it. */
export interface Done<T> {
  value: T;
  examinee: Examinee;
  /** when the commit holding the change returned (the time of the last one, for a change already stored) */
  savedAt: number;
  /** the index of the change's leaf in the sitting's log, when it logged one */
  logIndex: number | null;
}

/**
 * What the writer gave back for one decision's writes (values[at, at + count)): the index of its
 * log leaf, and the candidate with the receipt it signed, if it signed one.
 */
export function committed(e: Examinee, writes: readonly { kind: string }[], values: readonly WriteValue[], at: number, count: number): { examinee: Examinee; logIndex: number | null } {
  let logIndex: number | null = null;
  let examinee = e;
  for (let k = at; k < at + count; k++) {
    const kind = writes[k].kind;
    if (kind === 'log') logIndex = values[k] as number;
    else if (kind === 'receipt') examinee = withReceipt(examinee, values[k] as string);
  }
  return { examinee, logIndex };
}

interface Entry {
  decide: Decide<unknown>;
  /** the client sequence number of an answer or flag */
  seq: number | null;
  resolve: (value: unknown, examinee: Examinee, savedAt: number, logIndex: number | null) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  queue: Entry[];
  running: boolean;
}

export function notSaved(): KacaError {
  return new KacaError(ErrorCode.INTERNAL, 'a change could not be saved: try again in a moment');
}

/**
 * Runs the core for candidates: one serial queue per candidate, so a command's check, its commit
 * and its change in memory happen in one order. Commands that arrive while a commit is under way
 * are decided together, one after the other on the state each leaves, and committed as one unit
 * (which the writer groups with other candidates' units into one transaction). Memory changes only
 * once the unit is on disk; a failed commit leaves it as it was, and every command of the unit is
 * refused with INTERNAL so that clients retry.
 *
 * Written with callbacks rather than async functions: this is every answer's path, and each
 * async frame is a promise and a turn of the microtask queue.
 */
export class CandidateRunner {
  private readonly slots = new Map<number, Slot>();
  /** when each candidate's last commit returned, for the acks of retries */
  private readonly savedAt = new Map<number, number>();
  private readonly receipt: (payload: string) => string;

  constructor(
    private readonly registry: Registry,
    private readonly store: KacaStore,
    private notifier: Notifier,
    private readonly now: () => number,
    private readonly log: EngineLog,
    private readonly extras: CandidateExtras,
    private readonly maxEventsPerItem: number,
    /** whether a sitting-wide pause holds the hall's clock (read-models.ts) */
    private readonly hallPausedOf: (sittingId: string) => boolean,
  ) {
    const secret = store.secret;
    this.receipt = (payload) => receiptId(secret, payload);
  }

  setNotifier(n: Notifier): void {
    this.notifier = n;
  }

  context(sittingId: string): Context {
    return { now: this.now(), sitting: this.registry.sitting(sittingId), catalog: this.registry.catalog(sittingId), receiptId: this.receipt, maxEventsPerItem: this.maxEventsPerItem, hallPausedOf: this.hallPausedOf };
  }

  /**
   * Runs one command for a candidate; resolves once its change is on disk (or right away if it
   * changes nothing), with what `reply` makes of the outcome (every answer's ack is made here,
   * rather than in a second promise after this one).
   */
  run<T>(candidateId: number, decide: Decide<T>, seq?: number | null): Promise<Done<T>>;
  run<T, R>(candidateId: number, decide: Decide<T>, seq: number | null, reply: (value: T, savedAt: number, logIndex: number | null) => R): Promise<R>;
  run<T, R>(candidateId: number, decide: Decide<T>, seq: number | null = null, reply?: (value: T, savedAt: number, logIndex: number | null) => R): Promise<R | Done<T>> {
    // unknown candidates fail here, before anything is queued
    this.assertRuns(candidateId);
    return new Promise<R | Done<T>>((resolve, reject) => {
      const done = reply
        ? (v: unknown, _e: Examinee, at: number, logIndex: number | null) => resolve(reply(v as T, at, logIndex))
        : (v: unknown, e: Examinee, at: number, logIndex: number | null) => resolve({ value: v as T, examinee: e, savedAt: at, logIndex });
      this.enqueue(candidateId, { decide, seq, resolve: done, reject });
    });
  }

  /**
   * run() for the hottest path, without a promise: `respond` gets the error, or what `reply`
   * made of the outcome once it is on disk. An unknown candidate is refused at once (thrown).
   */
  submit<T, R>(candidateId: number, decide: Decide<T>, seq: number | null, reply: (value: T, savedAt: number, logIndex: number | null) => R, respond: (err: unknown, value?: R) => void): void {
    this.assertRuns(candidateId);
    this.enqueue(candidateId, { decide, seq, resolve: (v, _e, at, logIndex) => respond(null, reply(v as T, at, logIndex)), reject: respond });
  }

  /** An unknown candidate, or (several nodes) one whose sitting another node runs, is refused before anything is queued. */
  private assertRuns(candidateId: number): void {
    const sittingId = this.registry.sittingOf(candidateId);
    if (!this.registry.runs(sittingId)) fail(ErrorCode.UNAVAILABLE, `sitting ${sittingId} is run by another node now: try again`);
  }

  private enqueue(candidateId: number, entry: Entry): void {
    let slot = this.slots.get(candidateId);
    if (!slot) this.slots.set(candidateId, (slot = { queue: [], running: false }));
    slot.queue.push(entry);
    if (!slot.running) this.pump(candidateId, slot);
  }

  private pump(id: number, slot: Slot): void {
    slot.running = true;
    const lock = this.registry.lock(id);
    if (lock.tryAcquire()) this.next(id, slot, lock, true);
    else void lock.acquire().then(() => this.next(id, slot, lock, true));
  }

  /** Takes the next batch, or lets go of the candidate when there is none. */
  private next(id: number, slot: Slot, lock: Lock, first: boolean): void {
    if (slot.queue.length === 0) {
      slot.running = false;
      lock.release();
      return;
    }
    // a sitting-wide action waiting for this candidate goes before the next batch
    if (!first && lock.contended) {
      lock.release();
      void lock.acquire().then(() => this.next(id, slot, lock, true));
      return;
    }
    const batch = slot.queue;
    slot.queue = [];
    this.process(id, batch, () => this.next(id, slot, lock, false));
  }

  private process(id: number, batch: Entry[], then: () => void): void {
    let e = this.registry.examinee(id);
    // one context for the batch: its commands are decided in this same instant
    const ctx = this.context(e.profile.sittingId);
    const writes: Write[] = [];
    const notices: Notice[] = [];
    const decided: { entry: Entry; outcome: Outcome<unknown>; examinee: Examinee; at: number; count: number; logIndex: number | null }[] = [];
    for (const entry of batch) {
      try {
        const d = entry.decide(e, ctx);
        e = d.examinee;
        const at = writes.length;
        for (const w of d.writes) writes.push(w);
        for (const n of d.notices) notices.push(n);
        decided.push({ entry, outcome: d.outcome, examinee: e, at, count: d.writes.length, logIndex: null });
      } catch (err) {
        // a refusal that changes nothing, or a fault: either way this command alone
        entry.reject(err);
      }
    }
    let after = e;
    const apply = (values: readonly WriteValue[]) => {
      try {
        if (writes.length > 0) this.savedAt.set(id, this.now());
        // each decision's leaf index, and the receipt signed over the log as committed, which joins the result now
        for (let k = 0; k < decided.length; k++) {
          const d = decided[k];
          for (let w = d.at; w < d.at + d.count; w++) {
            const kind = writes[w].kind;
            if (kind === 'log') {
              d.logIndex = values[w] as number;
              // an answer's or flag's own leaf, for the ack of a retry of its seq (not the leaf of an
              // ending that refused it)
              if (d.outcome.ok && d.entry.seq !== null && isClickLeaf(writes[w], d.entry.seq)) this.registry.stored(id, d.entry.seq, d.logIndex);
            } else if (kind === 'receipt') {
              const before = d.examinee.result;
              d.examinee = withReceipt(d.examinee, values[w] as string);
              after = withReceipt(after, values[w] as string);
              if (d.outcome.ok && d.outcome.value === before) d.outcome = { ok: true, value: d.examinee.result };
            }
          }
        }
        this.registry.set(after);
        this.dispatch(after, notices, writes, values);
        const savedAt = this.savedAt.get(id) ?? after.lastChangeAt ?? this.now();
        for (let k = 0; k < decided.length; k++) {
          const d = decided[k];
          if (d.outcome.ok) d.entry.resolve(d.outcome.value, d.examinee, savedAt, d.logIndex);
          else d.entry.reject(d.outcome.error);
        }
      } finally {
        then();
      }
    };
    if (writes.length === 0) return apply([]);
    this.store.writer.submit(writes).then(apply, (err: unknown) => {
      this.log.error({ err, candidateId: id }, 'a candidate change could not be stored');
      const seqs = decided.map((d) => d.entry.seq).filter((s): s is number => s !== null);
      for (const d of decided) d.entry.reject(notSaved());
      // After a lost writer the commit's fate is unknown, so the candidate is read again before
      // anything else of theirs is decided. Should the database not answer that read either (the
      // same outage), the candidate's queue waits and tries again: their retries wait behind it,
      // and nothing is decided on a state that may be missing a stored change.
      const settle = (tries: number) => {
        let base: Examinee;
        try {
          base = err instanceof WriterLost ? this.registry.load(id) : this.registry.examinee(id);
        } catch (readErr) {
          if (tries === 0) this.log.error({ err: readErr, candidateId: id }, 'the candidate could not be read again after a lost commit: trying until the database answers');
          setTimeout(() => settle(tries + 1), Math.min(5000, 100 * 2 ** Math.min(tries, 6))).unref();
          return;
        }
        try {
          this.registry.set(markUnsaved(base, seqs));
        } finally {
          then();
        }
      };
      settle(0);
    });
  }

  /** Tells the audiences about a committed change of one candidate. */
  dispatch(e: Examinee, notices: readonly Notice[], writes: readonly Write[], values: readonly WriteValue[]): void {
    const id = e.profile.id;
    const sittingId = e.profile.sittingId;
    let changed: 'all' | 'proctor' | null = null;
    for (const n of notices) {
      switch (n.kind) {
        case 'changed':
          changed = changed === 'all' || n.audience === 'all' ? 'all' : 'proctor';
          break;
        case 'admitted':
          this.notifier.toCandidate(id, 'attempt:admitted', candidateView(e, this.registry.sitting(sittingId), this.registry.catalog(sittingId), this.now(), this.extras));
          break;
        case 'time':
          this.notifier.toCandidate(id, n.event, timePush(e, this.now(), n.addedMs));
          break;
        case 'ended':
          if (e.attempt?.state === 'terminated') this.notifier.toCandidate(id, 'exam:terminated', { reason: e.attempt.endReason ?? 'terminated', result: e.result! });
          else this.notifier.toCandidate(id, 'exam:finished', { result: e.result! });
          break;
        case 'revoked':
          this.notifier.revokeSession(id, n.reason);
          break;
      }
    }
    if (changed) this.notifier.candidateChanged(sittingId, id, changed);
    this.audited(writes, values);
  }

  /** Tells proctors about every audit entry a committed unit held. */
  audited(writes: readonly WriteOp[], values: readonly WriteValue[]): void {
    writes.forEach((w, i) => {
      if (!isAudit(w) || !w.record.sittingId) return;
      this.notifier.audited(w.record.sittingId, auditEntry({ id: values[i] as number, ...w.record }));
    });
  }
}

function isClickLeaf(w: Write, seq: number): boolean {
  return w.kind === 'log' && (w.event.type === 'answer' || w.event.type === 'flag') && w.event.seq === seq;
}

function isAudit(w: WriteOp): w is Extract<Write, { kind: 'audit' }> {
  return w.kind === 'audit';
}
