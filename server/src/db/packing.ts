import type { PaperItem } from '../domain/deal.js';
import type { LogEvent } from '../domain/log-events.js';
import type { AnswerRecord, AttemptRecord, LoginRecord } from '../domain/writes.js';
import { SECTION_ID_PATTERN } from '../domain/verify/leaf.js';
import type { WriteOp } from './write-ops.js';

/**
 * How a batch crosses to the writer thread. The writes of every click (answers, flags, their log
 * events, attempts, logins) are written as numbers into one Float64Array whose buffer is
 * transferred, not copied; their strings (sitting ids, registration numbers, sections, states)
 * are numbered once and sent once. Structured clone of the same ops as objects or small arrays
 * cost the event loop several microseconds an op. So do the papers a sitting deals when it opens:
 * a hall's 2,000 papers, cloned as objects, held the event loop for 0.3-0.4 s; as numbers (an
 * option order is one number) they cross in half that. Anything else crosses as it
 * is ("cold" ops).
 *
 *   nums: unitCount, then per unit: opCount, then per op: tag, fields...
 *   a null number is NaN (no field the hot ops carry can be NaN otherwise)
 */
const COLD = 0;
const ANSWER = 1;
const ATTEMPT = 2;
const LOGIN = 3;
const LOG_ANSWER = 4;
const LOG_FLAG = 5;
const PAPER = 6;
const LOG_LOGIN = 7;
const LOG_START = 8;

export interface PackedBatch {
  /** strings numbered since the last batch, in order; `reset` first clears the table */
  strings: string[];
  reset: boolean;
  nums: Float64Array;
  cold: WriteOp[];
}

const num = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * An option order as one number: its length, then each position's option, in base 16 (an item
 * has at most 6 options, so 7 digits: well within a double's exact integers).
 */
function orderCode(order: readonly number[]): number {
  let code = order.length;
  for (let k = 0; k < order.length; k++) code += order[k] * 16 ** (k + 1);
  return code;
}

function fromOrderCode(code: number): number[] {
  const order = new Array<number>(code % 16);
  for (let k = 0; k < order.length; k++) order[k] = Math.floor(code / 16 ** (k + 1)) % 16;
  return order;
}

/** The event loop's side: numbers the strings it sends and writes each batch. */
export class BatchPacker {
  private ids = new Map<string, number>();
  private fresh: string[] = [];
  private reset = false;
  private buf = new Float64Array(4096);
  private n = 0;

  /** A new thread knows no strings yet (or the table grew large): start it over. */
  forget(): void {
    this.ids = new Map();
    this.fresh = [];
    this.reset = true;
  }

  private str(s: string | null): number {
    if (s === null) return NaN;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.fresh.push(s);
    }
    return id;
  }

  /** Room for n more numbers. */
  private reserve(n: number): void {
    if (this.n + n <= this.buf.length) return;
    const bigger = new Float64Array(Math.max(this.buf.length * 2, this.n + n));
    bigger.set(this.buf.subarray(0, this.n));
    this.buf = bigger;
  }

  private put(v: number): void {
    if (this.n === this.buf.length) this.reserve(1);
    this.buf[this.n++] = v;
  }

  pack(units: readonly (readonly WriteOp[])[]): PackedBatch {
    if (this.ids.size > 100_000) this.forget();
    this.n = 0;
    const cold: WriteOp[] = [];
    this.put(units.length);
    for (const unit of units) {
      this.put(unit.length);
      for (const op of unit) this.op(op, cold);
    }
    const nums = this.buf.slice(0, this.n);
    // a hall's papers grow the buffer to megabytes: not kept for the small batches after them
    if (this.buf.length > 1 << 16) this.buf = new Float64Array(4096);
    const batch: PackedBatch = { strings: this.fresh, reset: this.reset, nums, cold };
    this.fresh = [];
    this.reset = false;
    return batch;
  }

  private op(op: WriteOp, cold: WriteOp[]): void {
    switch (op.kind) {
      case 'answer': {
        const r = op.record;
        this.put(ANSWER);
        this.put(r.candidateId);
        this.put(this.str(r.sittingId));
        this.put(r.item);
        this.put(this.str(r.kind));
        this.put(num(r.choice));
        this.put(num(r.optionIndex));
        this.put(r.clientSeq);
        this.put(r.serverTs);
        this.put(r.scoreDelta);
        return;
      }
      case 'attempt': {
        const r = op.record;
        this.put(ATTEMPT);
        this.put(r.candidateId);
        this.put(this.str(r.state));
        this.put(num(r.admittedAt));
        this.put(num(r.startedAt));
        this.put(r.durationMs);
        this.put(r.extensionMs);
        this.put(r.pausedMs);
        this.put(num(r.pausedSince));
        this.put(num(r.endedAt));
        this.put(this.str(r.endReason));
        return;
      }
      case 'login': {
        const r = op.record;
        this.put(LOGIN);
        this.put(r.candidateId);
        this.put(r.failedLogins);
        this.put(num(r.lockedAt));
        this.put(r.loginGeneration);
        this.put(num(r.sessionGeneration));
        return;
      }
      case 'log': {
        const e = op.event;
        if (e.type === 'answer') {
          this.put(LOG_ANSWER);
          this.put(this.str(op.sittingId));
          this.put(e.t);
          this.put(this.str(e.reg));
          this.put(e.item);
          this.put(this.str(e.section));
          this.put(num(e.choice));
          this.put(e.delta);
          this.put(e.seq);
          return;
        }
        if (e.type === 'flag') {
          this.put(LOG_FLAG);
          this.put(this.str(op.sittingId));
          this.put(e.t);
          this.put(this.str(e.reg));
          this.put(e.item);
          this.put(e.flagged ? 1 : 0);
          this.put(e.seq);
          return;
        }
        // a hall logging in: each login and start has a leaf
        if (e.type === 'login' && Object.keys(e).length === 3) {
          this.put(LOG_LOGIN);
          this.put(this.str(op.sittingId));
          this.put(e.t);
          this.put(this.str(e.reg));
          return;
        }
        const sections = e.type === 'start' && Object.keys(e).length === 6 ? Object.keys(e.base) : null;
        // a section id that is not one (the schema refuses it in the thread) crosses as it is
        if (e.type === 'start' && sections && sections.every((id) => SECTION_ID_PATTERN.test(id))) {
          this.put(LOG_START);
          this.put(this.str(op.sittingId));
          this.put(e.t);
          this.put(this.str(e.reg));
          this.put(this.str(e.paper));
          this.put(e.items);
          this.put(sections.length);
          for (const id of sections) {
            this.put(this.str(id));
            this.put(e.base[id]);
          }
          return;
        }
        break;
      }
      case 'paper': {
        // an order the code cannot hold (more than 15 options) crosses as it is
        if (!op.items.every((it) => it.optionOrder.length < 16 && it.optionOrder.every((o) => o >= 0 && o < 16 && Number.isInteger(o)))) break;
        this.put(PAPER);
        this.put(op.candidateId);
        this.put(op.dealtAt);
        this.put(op.items.length);
        this.reserve(op.items.length * 3);
        for (const it of op.items) {
          this.buf[this.n++] = this.str(it.questionId);
          this.buf[this.n++] = this.str(it.section);
          this.buf[this.n++] = orderCode(it.optionOrder);
        }
        return;
      }
      default:
        break;
    }
    this.put(COLD);
    this.put(cold.length);
    cold.push(op);
  }
}

/** The writer thread's side: the same string table, and the ops back as objects. */
export class BatchUnpacker {
  private table: string[] = [];

  unpack(batch: PackedBatch): WriteOp[][] {
    if (batch.reset) this.table = [];
    for (const s of batch.strings) this.table.push(s);
    const t = this.table;
    const a = batch.nums;
    let k = 0;
    const next = () => a[k++];
    const str = () => t[next()];
    const units: WriteOp[][] = [];
    const unitCount = next();
    for (let u = 0; u < unitCount; u++) {
      const opCount = next();
      const unit: WriteOp[] = [];
      for (let o = 0; o < opCount; o++) {
        const tag = next();
        switch (tag) {
          case ANSWER: {
            const record: AnswerRecord = { candidateId: next(), sittingId: str(), item: next(), kind: str() as AnswerRecord['kind'], choice: orNull(next()), optionIndex: orNull(next()), clientSeq: next(), serverTs: next(), scoreDelta: next() };
            unit.push({ kind: 'answer', record });
            break;
          }
          case ATTEMPT: {
            const candidateId = next();
            const state = str() as AttemptRecord['state'];
            const record: AttemptRecord = {
              candidateId,
              state,
              admittedAt: orNull(next()),
              startedAt: orNull(next()),
              durationMs: next(),
              extensionMs: next(),
              pausedMs: next(),
              pausedSince: orNull(next()),
              endedAt: orNull(next()),
              endReason: null,
            };
            const reason = next();
            record.endReason = Number.isNaN(reason) ? null : t[reason];
            unit.push({ kind: 'attempt', record });
            break;
          }
          case LOGIN: {
            const record: LoginRecord = { candidateId: next(), failedLogins: next(), lockedAt: orNull(next()), loginGeneration: next(), sessionGeneration: orNull(next()) };
            unit.push({ kind: 'login', record });
            break;
          }
          case LOG_ANSWER: {
            const sittingId = str();
            const event: LogEvent = { type: 'answer', t: next(), reg: str(), item: next(), section: str(), choice: orNull(next()), delta: next(), seq: next() };
            unit.push({ kind: 'log', sittingId, event });
            break;
          }
          case LOG_FLAG: {
            const sittingId = str();
            const event: LogEvent = { type: 'flag', t: next(), reg: str(), item: next(), flagged: next() === 1, seq: next() };
            unit.push({ kind: 'log', sittingId, event });
            break;
          }
          case LOG_LOGIN: {
            const sittingId = str();
            const event: LogEvent = { type: 'login', t: next(), reg: str() };
            unit.push({ kind: 'log', sittingId, event });
            break;
          }
          case LOG_START: {
            const sittingId = str();
            const t = next();
            const reg = str();
            const paper = str();
            const items = next();
            const base: Record<string, number> = {};
            for (let n = next(); n > 0; n--) base[str()] = next();
            unit.push({ kind: 'log', sittingId, event: { type: 'start', t, reg, paper, items, base } });
            break;
          }
          case PAPER: {
            const candidateId = next();
            const dealtAt = next();
            const items: PaperItem[] = new Array<PaperItem>(next());
            for (let i = 0; i < items.length; i++) {
              const questionId = str();
              const section = str();
              items[i] = { questionId, section, optionOrder: fromOrderCode(next()) };
            }
            unit.push({ kind: 'paper', candidateId, dealtAt, items });
            break;
          }
          default:
            unit.push(batch.cold[next()]);
        }
      }
      units.push(unit);
    }
    return units;
  }
}
