import { createClient } from 'redis';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

type Redis = ReturnType<typeof createClient>;

/** A request or a reply between two nodes, as JSON on the receiver's channel. */
type Message =
  | { t: 'req'; id: number; from: string; method: string; args: unknown }
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; code: string | null; message: string; details?: unknown };

/** How long a node's name stays listed after its last heartbeat, and how often it beats. */
const NODE_TTL_MS = 10_000;
const BEAT_MS = 3_000;
/** How long a sitting's owner stays named after the owner last said so (it says so every beat). */
const HINT_TTL_MS = 10_000;

const channel = (node: string) => `kaca:rpc:${node}`;
const BROADCAST = 'kaca:all';
const hintKey = (sittingId: string) => `kaca:owner:${sittingId}`;
const nodeKey = (node: string) => `kaca:node:${node}`;

export type Handler = (args: unknown, from: string) => unknown;

/**
 * What the nodes of one deployment say to each other through Redis (docs/deploy.md "Several
 * nodes"): requests to the node that runs a sitting and their replies, notices to every node,
 * which node runs which sitting (a hint: the sitting's lock in PostgreSQL is the truth), and which
 * nodes are alive. Nothing of an answer's durability passes through here: an answer is stored by
 * the node that runs its sitting and acknowledged once PostgreSQL has it.
 */
export class NodeLink {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Handler>();
  private readonly notices = new Map<string, (args: unknown, from: string) => void>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private beat: NodeJS.Timeout | null = null;
  /** sittings this node says it runs, renewed with every beat */
  private readonly hints = new Set<string>();

  constructor(
    url: string,
    readonly nodeId: string,
    private readonly onError: (err: Error) => void,
  ) {
    // Redis may go away and come back: the client reconnects by itself, and meanwhile a request
    // fails when its time is up (the caller answers UNAVAILABLE; the client sends it again)
    // while Redis is away, a request fails at once instead of waiting to be sent when it is back
    // (an answer the client was told to send again must not also arrive late)
    this.pub = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2000) } });
    this.sub = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2000) } });
    this.adapterClient = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2000) } });
    // one line when Redis goes away (each client tries again every 2 s: not a line each time)
    for (const c of [this.pub, this.sub, this.adapterClient]) {
      c.on('error', (err: Error) => {
        if (this.reachable) this.onError(err);
        this.reachable = false;
      });
      c.on('ready', () => (this.reachable = true));
    }
  }

  private reachable = true;

  /** The client the socket.io adapter publishes with (and duplicates to read the stream). */
  readonly adapterClient: Redis;

  async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect(), this.adapterClient.connect()]);
    await this.sub.subscribe(channel(this.nodeId), (text) => this.received(text));
    await this.sub.subscribe(BROADCAST, (text) => this.noticed(text));
    await this.heartbeat();
    this.beat = setInterval(() => void this.heartbeat(), BEAT_MS);
    this.beat.unref();
  }

  private async heartbeat(): Promise<void> {
    try {
      const m = this.pub.multi().set(nodeKey(this.nodeId), String(Date.now()), { PX: NODE_TTL_MS });
      for (const s of this.hints) m.set(hintKey(s), this.nodeId, { PX: HINT_TTL_MS });
      await m.exec();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** Serves requests of this method from other nodes. */
  handle(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Hears notices of this kind from other nodes. */
  onNotice(kind: string, listener: (args: unknown, from: string) => void): void {
    this.notices.set(kind, listener);
  }

  /** Asks another node; rejects with UNAVAILABLE if no reply comes in time. */
  call<T>(node: string, method: string, args: unknown, timeoutMs = 4_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new KacaError(ErrorCode.UNAVAILABLE, 'the node that runs this sitting did not answer in time: try again'));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      const m: Message = { t: 'req', id, from: this.nodeId, method, args };
      this.send(node, JSON.stringify(m), () => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new KacaError(ErrorCode.UNAVAILABLE, 'the nodes cannot reach each other just now (Redis): try again'));
      });
    });
  }

  /** messages waiting for the end of this turn of the event loop, per node: a hall's answers go as one publish, not one each */
  private readonly outgoing = new Map<string, { texts: string[]; failed: (() => void)[] }>();
  private flushing = false;

  private send(node: string, text: string, failed: () => void = () => undefined): void {
    let q = this.outgoing.get(node);
    if (!q) this.outgoing.set(node, (q = { texts: [], failed: [] }));
    q.texts.push(text);
    q.failed.push(failed);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      for (const [to, { texts, failed: fails }] of this.outgoing) {
        this.pub.publish(channel(to), `[${texts.join(',')}]`).catch(() => fails.forEach((f) => f()));
      }
      this.outgoing.clear();
    });
  }

  /** Tells every other node (best effort: a node that misses it reads the database instead). */
  notify(kind: string, args: unknown): void {
    this.pub.publish(BROADCAST, JSON.stringify({ kind, from: this.nodeId, args })).catch(() => undefined);
  }

  private received(text: string): void {
    let batch: Message[];
    try {
      batch = JSON.parse(text) as Message[];
    } catch {
      return;
    }
    if (Array.isArray(batch)) for (const m of batch) if (m && typeof m === 'object') this.one(m);
  }

  private one(m: Message): void {
    if (m.t === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value);
      else p.reject(m.code ? new KacaError(m.code as ErrorCode, m.message, m.details) : new Error(m.message));
      return;
    }
    const reply = (r: Message) => this.send(m.from, JSON.stringify(r));
    const handler = this.handlers.get(m.method);
    if (!handler) return void reply({ t: 'res', id: m.id, ok: false, code: ErrorCode.INTERNAL, message: `no such request ${m.method}` });
    Promise.resolve()
      .then(() => handler(m.args, m.from))
      .then(
        (value) => reply({ t: 'res', id: m.id, ok: true, value: value ?? null }),
        (err: unknown) => {
          if (err instanceof KacaError) return reply({ t: 'res', id: m.id, ok: false, code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
          this.onError(err instanceof Error ? err : new Error(String(err)));
          return reply({ t: 'res', id: m.id, ok: false, code: ErrorCode.INTERNAL, message: 'internal error: try again' });
        },
      );
  }

  private noticed(text: string): void {
    try {
      const { kind, from, args } = JSON.parse(text) as { kind: string; from: string; args: unknown };
      if (from !== this.nodeId) this.notices.get(kind)?.(args, from);
    } catch {
      // not ours
    }
  }

  /** This node runs the sitting now (or no longer): other nodes send its requests here. */
  async claim(sittingId: string, runs: boolean): Promise<void> {
    if (runs) this.hints.add(sittingId);
    else this.hints.delete(sittingId);
    try {
      if (runs) await this.pub.set(hintKey(sittingId), this.nodeId, { PX: HINT_TTL_MS });
      else if ((await this.pub.get(hintKey(sittingId))) === this.nodeId) await this.pub.del(hintKey(sittingId));
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** The node that said last that it runs the sitting, if it said so lately and is alive. */
  async runnerOf(sittingId: string): Promise<string | null> {
    const node = await this.pub.get(hintKey(sittingId));
    if (!node || node === this.nodeId) return node;
    return (await this.pub.exists(nodeKey(node))) ? node : null;
  }

  async stop(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new KacaError(ErrorCode.UNAVAILABLE, 'this node is stopping: try again'));
    }
    this.pending.clear();
    try {
      const m = this.pub.multi().del(nodeKey(this.nodeId));
      for (const s of this.hints) m.del(hintKey(s));
      await m.exec();
    } catch {
      // Redis gone: the keys expire
    }
    await Promise.all([this.sub, this.pub, this.adapterClient].map((c) => c.quit().catch(() => undefined)));
  }
}
