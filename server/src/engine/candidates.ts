import { ClientReportSchema, FlagSetSchema, type AnswerAck, type CandidateResult, type CandidateState } from '../contract/candidate.js';
import { decideAnswer, decideFinish, decideFlag, decideRateLimited, decideStart, type ItemAck } from '../domain/attempt.js';
import { candidateSitting, candidateView, type CandidateExtras, type CandidateView } from '../domain/candidate-view.js';
import { alertRecord, EMPTY_ALERT_LOG, flushAlert, noteAlert, type AlertEntry, type AlertLog, type ClientAlertKind } from '../domain/alert-log.js';
import { accept } from '../domain/examinee.js';
import { parse, parseAnswer } from '../domain/payload.js';
import { AckTimes } from './ack-times.js';
import type { Notifier } from './notifier.js';
import type { Registry } from './registry.js';
import type { CandidateRunner } from './runner.js';


/** A candidate's own events, run through the core one candidate at a time (runner.ts). */
export class Candidates {
  /** per candidate and kind: what of their alerts the audit log has (memory only: a restart starts counting again) */
  private readonly alertLogs = new Map<string, AlertLog>();
  private readonly alertTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly registry: Registry,
    private readonly runner: CandidateRunner,
    private readonly getNotifier: () => Notifier,
    private readonly now: () => number,
    private readonly extras: CandidateExtras,
  ) {}

  /** how long answers and flags took from their handling to their ack (GET /api/admin/metrics) */
  readonly ackTimes = new AckTimes();

  /** The reply to an answer or flag of this candidate (one function per candidate, not one per click). */
  private readonly acks = new Map<number, (v: ItemAck, savedAt: number, logIndex: number | null) => AnswerAck>();
  private ack(candidateId: number): (v: ItemAck, savedAt: number, logIndex: number | null) => AnswerAck {
    let reply = this.acks.get(candidateId);
    if (!reply) this.acks.set(candidateId, (reply = this.makeAck(candidateId)));
    return reply;
  }

  private makeAck(candidateId: number): (v: ItemAck, savedAt: number, logIndex: number | null) => AnswerAck {
    return (v, savedAt, logIndex) => ({
      seq: v.seq,
      item: v.item,
      choice: v.choice,
      flagged: v.flagged,
      applied: v.applied,
      savedAt,
      // a retry names the leaf its seq got the first time
      logIndex: v.applied ? logIndex : this.registry.leafOf(candidateId, v.seq),
    });
  }

  /** What the candidate's screen shows, as committed. */
  state(candidateId: number): CandidateView {
    const e = this.registry.examinee(candidateId);
    const sittingId = e.profile.sittingId;
    return candidateView(e, this.registry.sitting(sittingId), this.registry.catalog(sittingId), this.now(), this.extras);
  }

  /** The sitting as its candidates see it (pushed when it opens, starts or closes). */
  sitting(sittingId: string): CandidateState['sitting'] {
    return candidateSitting(this.registry.sitting(sittingId));
  }

  /** Starts the clock (once) and returns the full state with the paper. */
  async start(candidateId: number): Promise<CandidateView> {
    await this.runner.run(candidateId, decideStart);
    return this.state(candidateId);
  }

  /**
   * `waitMs` > 0: the connection sent more than a person clicks; the change is refused in its
   * place in the candidate's queue, so no later seq overtakes it.
   */
  answer(candidateId: number, payload: unknown, waitMs = 0): Promise<AnswerAck> {
    return new Promise((resolve, reject) => this.answerThen(candidateId, payload, waitMs, (err, ack) => (err ? reject(err) : resolve(ack!))));
  }

  /** answer(), calling back instead of returning a promise: every answer of a hall takes this path. */
  answerThen(candidateId: number, payload: unknown, waitMs: number, respond: (err: unknown, ack?: AnswerAck) => void): void {
    const cmd = parseAnswer(payload);
    this.runner.submit(candidateId, (e, ctx) => (waitMs > 0 ? decideRateLimited(e, cmd.seq, waitMs) : decideAnswer(e, cmd, ctx)), cmd.seq, this.ack(candidateId), this.ackTimes.timed(respond));
  }

  flag(candidateId: number, payload: unknown, waitMs = 0): Promise<AnswerAck> {
    return new Promise((resolve, reject) => this.flagThen(candidateId, payload, waitMs, (err, ack) => (err ? reject(err) : resolve(ack!))));
  }

  flagThen(candidateId: number, payload: unknown, waitMs: number, respond: (err: unknown, ack?: AnswerAck) => void): void {
    const cmd = parse(FlagSetSchema, payload, 'flag');
    this.runner.submit(candidateId, (e, ctx) => (waitMs > 0 ? decideRateLimited(e, cmd.seq, waitMs) : decideFlag(e, cmd, ctx)), cmd.seq, this.ack(candidateId), this.ackTimes.timed(respond));
  }

  async finish(candidateId: number): Promise<CandidateResult> {
    return (await this.runner.run(candidateId, decideFinish)).value;
  }

  /**
   * The exam client's word about the PC (left the window, left full screen): the proctor's row
   * shows it at once, and the audit log keeps it for the berita acara, coalesced per candidate
   * and kind (domain/alert-log.ts) so a flapping PC cannot flood the log.
   */
  async report(candidateId: number, payload: unknown): Promise<void> {
    const { kind } = parse(ClientReportSchema, payload, 'report');
    const e = this.registry.examinee(candidateId);
    const p = this.registry.presence(candidateId);
    const now = this.now();
    p.lastSeenAt = now;
    if (kind !== 'focus-lost' && kind !== 'fullscreen-exited') {
      this.getNotifier().candidateChanged(e.profile.sittingId, candidateId, 'proctor');
      return;
    }
    const prev = p.reports.get(kind);
    p.reports.set(kind, { kind, at: now, count: (prev?.count ?? 0) + 1 });
    this.getNotifier().candidateChanged(e.profile.sittingId, candidateId, 'proctor');
    const key = `${candidateId}:${kind}`;
    const noted = noteAlert(this.alertLogs.get(key) ?? EMPTY_ALERT_LOG, now);
    this.alertLogs.set(key, noted.log);
    if (noted.dueAt !== null && !this.alertTimers.has(key)) {
      const timer = setTimeout(() => void this.flushAlert(candidateId, kind).catch(() => undefined), Math.max(0, noted.dueAt - now));
      timer.unref();
      this.alertTimers.set(key, timer);
    }
    if (noted.entry) await this.writeAlert(candidateId, kind, noted.entry);
  }

  /** What was counted since the last entry, written once the window has passed. */
  private async flushAlert(candidateId: number, kind: ClientAlertKind): Promise<void> {
    const key = `${candidateId}:${kind}`;
    this.alertTimers.delete(key);
    const log = this.alertLogs.get(key);
    if (!log) return;
    const flushed = flushAlert(log, this.now());
    this.alertLogs.set(key, flushed.log);
    if (flushed.entry) await this.writeAlert(candidateId, kind, flushed.entry);
  }

  /** Writes every alert still counted for the sitting's candidates: a closing sitting's berita acara is complete. */
  async flushAlerts(sittingId: string): Promise<void> {
    const due = [...this.alertLogs.keys()].map((key) => key.split(':') as [string, ClientAlertKind]).filter(([id]) => this.registry.examinee(Number(id)).profile.sittingId === sittingId);
    for (const [id, kind] of due) {
      clearTimeout(this.alertTimers.get(`${id}:${kind}`));
      await this.flushAlert(Number(id), kind);
    }
  }

  /** Through the candidate's queue like any change: proctors hear of the entry once it is stored. */
  private writeAlert(candidateId: number, kind: ClientAlertKind, entry: AlertEntry): Promise<unknown> {
    return this.runner.run(candidateId, (e, ctx) => accept(e, undefined, [{ kind: 'audit', record: alertRecord(ctx.sitting.id, candidateId, kind, entry, ctx.now) }]));
  }

  connected(candidateId: number): void {
    const e = this.registry.examinee(candidateId);
    const p = this.registry.presence(candidateId);
    p.connections++;
    p.lastSeenAt = this.now();
    this.getNotifier().candidateChanged(e.profile.sittingId, candidateId, 'proctor');
  }

  disconnected(candidateId: number): void {
    const p = this.registry.presenceIfAny(candidateId);
    if (!p) return;
    p.connections = Math.max(0, p.connections - 1);
    this.getNotifier().candidateChanged(this.registry.examinee(candidateId).profile.sittingId, candidateId, 'proctor');
  }
}
