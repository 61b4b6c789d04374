import { io, type Socket } from 'socket.io-client';
import type { CandidateClientEvents, CandidateLoginResult, CandidateResult, CandidateServerEvents, CandidateState, TimePush } from '../../server/src/contract/candidate';
import { AckError, ackData, type ErrorBody, type RetryAfter } from '../../server/src/contract/errors';

/** One answer or flag not yet acknowledged by the server, kept across reloads. */
export interface Pending {
  seq: number;
  kind: 'answer' | 'flag';
  item: number;
  choice?: number | null;
  flagged?: boolean;
}

export type Connection = 'connecting' | 'online' | 'offline';

export interface View {
  state: CandidateState | null;
  connection: Connection;
  /** answers and flags as the candidate sees them: server state with pending changes on top */
  answers: (number | null)[];
  flags: boolean[];
  /** items with a change not yet saved */
  unsaved: Set<number>;
  /**
   * What the server last told us changed, for a toast. The screen says something fixed per kind
   * (with the minutes an extension added): a proctor's reason never reaches the candidate.
   */
  notice: Notice | null;
  result: CandidateResult | null;
  /** the session ended on the server (a proctor reset the login, or it is no longer valid) */
  revoked: boolean;
  /** the candidate asked to start before the proctor started the sitting: it starts on the push */
  armed: boolean;
}

export interface Notice {
  kind: 'paused' | 'resumed' | 'extended' | 'started' | 'terminated' | 'error';
  /** extended: minutes added */
  minutes?: number;
  /** error: the server's error code (the screen words it) */
  code?: string;
  /** tells two notices of the same kind apart */
  id: number;
}

const SESSION_KEY = 'kaca.session';
const candidateKey = (session: string) => session.split('.').slice(0, 2).join('.');
const outboxKey = (session: string) => `kaca.outbox.${candidateKey(session)}`;
/** the question on screen, per candidate and tab: a reload reopens it */
export const currentKey = (session: string) => `kaca.current.${candidateKey(session)}`;
/** The practice round under way on this tab (its question and choices), so that a reload goes back to it. */
export const practiceKey = (session: string) => `kaca.practice.${candidateKey(session)}`;


export async function login(body: { registrationNumber: string; pin: string; token?: string }): Promise<CandidateLoginResult> {
  const res = await fetch('/api/candidate/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as CandidateLoginResult & { error?: ErrorBody };
  if (!res.ok || json.error) throw new AckError(json.error?.code ?? 'INTERNAL', json.error?.message ?? `HTTP ${res.status}`, json.error?.details);
  localStorage.setItem(SESSION_KEY, json.session);
  return json;
}

export function storedSession(): string | null {
  return localStorage.getItem(SESSION_KEY);
}

function forgetSession(): void {
  localStorage.removeItem(SESSION_KEY);
}

/**
 * Clears the PC for the next candidate: the session, what was queued for it, the question on
 * screen, and the font size and language chosen (back to the defaults).
 */
export function clearPc(session: string | null): void {
  forgetSession();
  if (session) {
    localStorage.removeItem(outboxKey(session));
    sessionStorage.removeItem(currentKey(session));
    sessionStorage.removeItem(practiceKey(session));
  }
  localStorage.removeItem('kaca.font');
  localStorage.removeItem('kaca.lang');
}

/**
 * The candidate's live exam. Every click goes to an outbox kept in localStorage and is sent in
 * order; an option counts as saved only once the server acknowledged it. Time is counted from
 * the server's remainingMs with the local monotonic clock, never the PC's wall clock.
 */
export class ExamSession {
  private socket: Socket<CandidateServerEvents, CandidateClientEvents>;
  private outbox: Pending[];
  private inFlight = new Set<number>();
  private listeners = new Set<(v: View) => void>();
  private view: View;
  /** performance.now() when remainingMs was last set by the server */
  private timeBase = { remainingMs: 0, at: 0, paused: true };
  private nextSeq = 1;
  private notices = 0;

  constructor(readonly session: string) {
    this.outbox = JSON.parse(localStorage.getItem(outboxKey(session)) ?? '[]') as Pending[];
    this.nextSeq = Math.max(1, ...this.outbox.map((p) => p.seq + 1));
    this.view = { state: null, connection: 'connecting', answers: [], flags: [], unsaved: new Set(), notice: null, result: null, revoked: false, armed: false };
    this.socket = io('/candidate', { auth: { session }, transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 3000 });
    this.wire();
  }

  subscribe(fn: (v: View) => void): () => void {
    this.listeners.add(fn);
    fn(this.view);
    return () => this.listeners.delete(fn);
  }

  private emitView(patch: Partial<View> = {}): void {
    this.view = { ...this.view, ...patch };
    const s = this.view.state;
    if (s) {
      const answers = [...s.answers];
      const flags = [...s.flags];
      const unsaved = new Set<number>();
      for (const p of this.outbox) {
        if (p.kind === 'answer') answers[p.item] = p.choice ?? null;
        else flags[p.item] = !!p.flagged;
        unsaved.add(p.item);
      }
      this.view = { ...this.view, answers, flags, unsaved };
    }
    for (const fn of this.listeners) fn(this.view);
  }

  private persistOutbox(): void {
    localStorage.setItem(outboxKey(this.session), JSON.stringify(this.outbox));
  }

  private setTime(t: { remainingMs: number; paused: boolean }): void {
    this.timeBase = { remainingMs: t.remainingMs, at: performance.now(), paused: t.paused };
  }

  /** Milliseconds left as of now, from the server's last word. */
  remainingMs(): number {
    const { remainingMs, at, paused } = this.timeBase;
    return Math.max(0, paused ? remainingMs : remainingMs - (performance.now() - at));
  }

  private applyState(state: CandidateState): void {
    // Anything the server already applied is done, whether or not we saw its ack.
    this.outbox = this.outbox.filter((p) => p.seq > state.lastSeq);
    this.persistOutbox();
    this.nextSeq = Math.max(this.nextSeq, state.lastSeq + 1);
    const running = state.attempt.state === 'in_progress';
    this.setTime({ remainingMs: state.attempt.remainingMs, paused: !running || state.attempt.paused });
    this.emitView({ state, result: state.result ?? this.view.result });
    if (running) this.flush();
  }

  private wire(): void {
    const s = this.socket;
    s.on('connect', () => this.emitView({ connection: navigator.onLine ? 'online' : 'offline' }));
    // The PC's own network going down (a cable pulled, Wi-Fi lost) shows at once: the socket itself
    // notices only when the server's ping is overdue, up to 20 s later.
    window.addEventListener('offline', this.networkDown);
    window.addEventListener('online', this.networkUp);
    s.on('disconnect', () => {
      this.inFlight.clear();
      this.emitView({ connection: 'offline' });
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'UNAUTHORIZED') {
        s.disconnect();
        this.emitView({ connection: 'offline', revoked: true });
        return;
      }
      this.emitView({ connection: 'offline' });
      // refused by the server rather than unreachable (several nodes: the node that runs the
      // sitting is changing; or this candidate connected too often, as a flapping network can
      // make it): socket.io does not try again after a refusal by itself
      if (err.data?.code === 'UNAVAILABLE') setTimeout(() => s.connected || s.connect(), 1000);
      if (err.data?.code === 'RATE_LIMITED') setTimeout(() => s.connected || s.connect(), 2500);
    });
    s.on('state:snapshot', (state: CandidateState) => this.applyState(state));
    s.on('attempt:admitted', (state: CandidateState) => this.applyState(state));
    s.on('sitting:updated', (sitting) => {
      const st = this.view.state;
      if (!st) return;
      const started = sitting.status === 'running' && st.sitting.status !== 'running';
      this.view = { ...this.view, state: { ...st, sitting } };
      this.emitView(started && st.attempt.state === 'admitted' ? { notice: this.notice('started') } : {});
      // the candidate already agreed and pressed start: the exam opens now
      if (started && this.view.armed) void this.start().catch(() => this.emitView({ armed: false }));
    });
    const timePush = (kind: 'paused' | 'resumed' | 'extended') => (t: TimePush) => {
      this.setTime(t);
      const st = this.view.state;
      if (st) this.view = { ...this.view, state: { ...st, attempt: { ...st.attempt, paused: t.paused, remainingMs: t.remainingMs } } };
      this.emitView({ notice: this.notice(kind, t.addedMs !== undefined ? { minutes: Math.round(t.addedMs / 60_000) } : {}) });
      if (kind === 'resumed') this.flush();
    };
    s.on('exam:paused', timePush('paused'));
    s.on('exam:resumed', timePush('resumed'));
    s.on('time:adjusted', timePush('extended'));
    s.on('exam:finished', ({ result }: { result: CandidateResult }) => this.ended(result, 'finished'));
    s.on('exam:terminated', ({ result }: { result: CandidateResult }) => this.ended(result, 'terminated'));
    s.on('session:revoked', () => {
      s.disconnect();
      this.emitView({ revoked: true, connection: 'offline' });
    });
  }

  private notice(kind: Notice['kind'], extra: Partial<Notice> = {}): Notice {
    return { kind, id: ++this.notices, ...extra };
  }

  private ended(result: CandidateResult, kind: 'finished' | 'terminated'): void {
    this.outbox = [];
    this.persistOutbox();
    this.setTime({ remainingMs: 0, paused: true });
    const st = this.view.state;
    const state = st ? { ...st, result, attempt: { ...st.attempt, state: kind === 'terminated' ? ('terminated' as const) : ('finished' as const), remainingMs: 0 } } : st;
    this.emitView({ state, result, notice: kind === 'terminated' ? this.notice('terminated') : null });
  }

  async start(): Promise<void> {
    this.applyState(await ackData(this.socket.emitWithAck('exam:start')));
    this.emitView({ armed: false });
  }

  /** The candidate pressed start before the proctor started the sitting: start on the push. */
  arm(): void {
    this.emitView({ armed: true });
  }

  /** Chooses an option. Choosing the one already chosen changes nothing: a double click or a second key press never clears. */
  answer(item: number, choice: number): void {
    if (this.currentAnswer(item) === choice) return;
    this.enqueue({ seq: this.nextSeq++, kind: 'answer', item, choice });
  }

  /** Clears the answer: its own control ("Hapus jawaban"), never a repeat of a choice. */
  clear(item: number): void {
    if (this.currentAnswer(item) === null) return;
    this.enqueue({ seq: this.nextSeq++, kind: 'answer', item, choice: null });
  }

  flag(item: number, flagged: boolean): void {
    this.enqueue({ seq: this.nextSeq++, kind: 'flag', item, flagged });
  }

  private enqueue(p: Pending): void {
    const st = this.view.state;
    if (!st || st.attempt.state !== 'in_progress') return;
    this.outbox.push(p);
    this.persistOutbox();
    this.emitView();
    this.flush();
  }

  /** Sends every queued change in order; acks remove them from the outbox. */
  private flush(): void {
    if (!this.socket.connected || this.view.state?.attempt.paused) return;
    for (const p of this.outbox) {
      if (this.inFlight.has(p.seq)) continue;
      this.inFlight.add(p.seq);
      const sent = p.kind === 'answer' ? this.socket.emitWithAck('answer:submit', { seq: p.seq, item: p.item, choice: p.choice ?? null }) : this.socket.emitWithAck('flag:set', { seq: p.seq, item: p.item, flagged: !!p.flagged });
      ackData(sent).then(
        (ack) => this.settled(p.seq, ack),
        (err: unknown) => this.failed(p.seq, err),
      );
    }
  }

  private settled(seq: number, ack: { item: number; choice: number | null; flagged: boolean }): void {
    this.inFlight.delete(seq);
    this.outbox = this.outbox.filter((p) => p.seq !== seq);
    this.persistOutbox();
    const st = this.view.state;
    if (st) {
      const answers = [...st.answers];
      const flags = [...st.flags];
      answers[ack.item] = ack.choice;
      flags[ack.item] = ack.flagged;
      this.view = { ...this.view, state: { ...st, answers, flags, lastSeq: Math.max(st.lastSeq, seq) } };
    }
    this.emitView();
  }

  private failed(seq: number, err: unknown): void {
    this.inFlight.delete(seq);
    const code = err instanceof AckError ? err.code : 'NETWORK';
    // UNAVAILABLE: several nodes, the one that runs the sitting is changing (nothing was done)
    if (code === 'NETWORK' || code === 'INTERNAL' || code === 'RATE_LIMITED' || code === 'UNAVAILABLE') {
      // Not applied (or not known to be): sent again, in order, after a pause or on reconnect.
      const wait = code === 'RATE_LIMITED' ? ((err as AckError).details as RetryAfter | undefined)?.retryAfterMs ?? 1000 : 1000;
      if (this.socket.connected) setTimeout(() => this.flush(), Math.min(5000, Math.max(100, wait)));
      return;
    }
    if (code === 'PAUSED') return; // kept; sent again on resume
    // TIME_UP, FINISHED, TERMINATED, UNKNOWN_*: the change can never be applied; drop it and resync.
    this.outbox = this.outbox.filter((p) => p.seq !== seq);
    this.persistOutbox();
    this.emitView({ notice: this.notice('error', { code }) });
    this.resync();
  }

  async finish(): Promise<CandidateResult> {
    const result = await ackData(this.socket.emitWithAck('exam:finish'));
    this.ended(result, 'finished');
    return result;
  }

  report(kind: 'focus-lost' | 'focus-returned' | 'fullscreen-exited' | 'fullscreen-entered'): void {
    if (this.socket.connected) this.socket.emit('client:report', { kind }, () => undefined);
  }

  /** Asks the server for the truth (used when the local countdown reaches 0). */
  resync(): void {
    void ackData(this.socket.emitWithAck('state:get')).then((s) => this.applyState(s), () => undefined);
  }

  /** The answer as the candidate last gave it (queued or saved), read synchronously. */
  currentAnswer(item: number): number | null {
    for (let i = this.outbox.length - 1; i >= 0; i--) {
      const p = this.outbox[i];
      if (p.kind === 'answer' && p.item === item) return p.choice ?? null;
    }
    return this.view.state?.answers[item] ?? null;
  }

  currentFlag(item: number): boolean {
    for (let i = this.outbox.length - 1; i >= 0; i--) {
      const p = this.outbox[i];
      if (p.kind === 'flag' && p.item === item) return !!p.flagged;
    }
    return this.view.state?.flags[item] ?? false;
  }

  pendingCount(): number {
    return this.outbox.length;
  }

  private readonly networkDown = () => this.emitView({ connection: 'offline' });
  private readonly networkUp = () => this.emitView({ connection: this.socket.connected ? 'online' : 'connecting' });

  close(): void {
    window.removeEventListener('offline', this.networkDown);
    window.removeEventListener('online', this.networkUp);
    this.socket.disconnect();
  }
}
