import { ErrorCode } from '../contract/errors.js';
import { isOpen } from '../domain/catalog.js';
import { fail, KacaError } from '../domain/errors.js';
import type { ExamEngine } from '../engine/engine.js';
import { ThreadWriter } from '../db/writer.js';
import type { KacaStore } from '../services/store.js';
import { NodeLink } from './link.js';

/** What the ownership logs: a node taking a sitting on is worth a line; Redis trouble, a warning. */
interface EngineLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How often a node looks for open sittings that no node runs (one whose node died). */
const ADOPT_EVERY_MS = 2_000;

/**
 * Which node runs which sitting (docs/deploy.md "Several nodes"). A sitting is run by one node at
 * a time: the node whose writer connection holds the sitting's advisory lock in PostgreSQL. It
 * keeps the sitting's candidates in memory, decides and stores their commands, runs the sitting's
 * timers and makes its board and proctor rows; a request for the sitting that reaches another node
 * (a candidate's socket may be on any node) is passed to it through Redis, and its pushes reach
 * every node's sockets through the socket.io adapter.
 *
 * A node takes a sitting that no node runs when a request for it arrives, and every two seconds
 * looks for open sittings that no node runs (its node stopped or died: PostgreSQL let go of the
 * lock with the dead node's connection). Taking one, it reads the sitting afresh from the
 * database: everything the node before it stored, and nothing it did not.
 */
export class Ownership {
  private readonly owned = new Set<string>();
  private readonly taking = new Map<string, Promise<boolean>>();
  private readonly ops = new Map<string, (args: unknown) => unknown>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** told once this node has taken on a sitting (its presence is counted again from every node's sockets) */
  adopted: (sittingId: string) => Promise<void> = async () => undefined;

  constructor(
    private readonly engine: ExamEngine,
    private readonly writer: ThreadWriter,
    readonly link: NodeLink,
    private readonly log: EngineLog,
  ) {
    engine.registry.runs = (sittingId) => this.owned.has(sittingId);
    engine.registry.shared = true;
  }

  runs(sittingId: string): boolean {
    return this.owned.has(sittingId);
  }

  /** The sittings this node runs, for metrics and tests. */
  list(): string[] {
    return [...this.owned].sort();
  }

  /**
   * Registers a request served by the node that runs the sitting it is for (exec names the
   * sitting). Another node that gets it passes it on; the node that gets it from another and does
   * not run the sitting (it changed hands meanwhile) takes it if it can, and otherwise refuses UNAVAILABLE.
   */
  serve<A>(name: string, op: (args: A) => unknown): void {
    this.ops.set(name, op as (args: unknown) => unknown);
    this.link.handle(name, async (raw) => {
      const { sittingId, args } = raw as { sittingId: string; args: unknown };
      if (!this.owned.has(sittingId) && !(await this.take(sittingId))) fail(ErrorCode.UNAVAILABLE, `sitting ${sittingId} moved to another node: try again`);
      return op(args as A);
    });
  }

  /** Runs a served request for a sitting: here if this node runs it (or can take it on), else on the node that does. */
  async exec<T>(sittingId: string, name: string, args: unknown): Promise<T> {
    const op = this.ops.get(name);
    if (!op) throw new Error(`no request ${name}`);
    const here = async () => (await op(args)) as T;
    if (this.owned.has(sittingId)) return here();
    const node = await this.runnerOf(sittingId);
    if (node === null) {
      if (await this.take(sittingId)) return here();
      const now = await this.runnerOf(sittingId);
      if (now === null) fail(ErrorCode.UNAVAILABLE, `the node that runs sitting ${sittingId} cannot be found just now: try again`);
      return this.link.call<T>(now, name, { sittingId, args });
    }
    try {
      return await this.link.call<T>(node, name, { sittingId, args });
    } catch (err) {
      // no reply: the node may have died, and PostgreSQL let go of its lock; if so this node takes
      // the sitting on, for the client's next try (the request itself may have been done before
      // the node died, so it is not run again here: an answer's retry is matched by its seq)
      if (err instanceof KacaError && err.code === ErrorCode.UNAVAILABLE) await this.take(sittingId).catch(() => false);
      throw err;
    }
  }

  private suspended: string[] = [];
  /** The writer's connection is gone, and the sittings' locks with it: nothing is run here until it is back. */
  suspend(): void {
    this.suspended.push(...this.owned);
    this.owned.clear();
  }

  /**
   * A new writer connection holds the locks again (one it could not take stops the node): each
   * sitting is read afresh, since another node may have run it while this one was away.
   */
  resume(): void {
    const list = this.suspended.splice(0);
    void (async () => {
      for (const id of list) {
        this.engine.registry.drop(id);
        await this.take(id).catch((err: unknown) => this.log.error({ err, sittingId: id }, 'a sitting could not be read again after the writer reconnected'));
      }
    })();
  }

  /** The live node that says it runs the sitting, other than this one; null if none (or Redis cannot be asked). */
  private async runnerOf(sittingId: string): Promise<string | null> {
    try {
      const node = await this.link.runnerOf(sittingId);
      return node === this.link.nodeId ? null : node;
    } catch {
      return null;
    }
  }

  /** Takes the sitting on if no other node holds it; true if this node runs it now. */
  take(sittingId: string): Promise<boolean> {
    if (this.owned.has(sittingId)) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    let p = this.taking.get(sittingId);
    if (!p) {
      p = this.takeNow(sittingId).finally(() => this.taking.delete(sittingId));
      this.taking.set(sittingId, p);
    }
    return p;
  }

  private async takeNow(sittingId: string): Promise<boolean> {
    // a made-up id (a public board asking for any sitting) takes no lock and reads nothing more
    if (!this.engine.store.repos.sittings.get(sittingId)) fail(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
    if (!(await this.writer.own(sittingId, true))) return false;
    this.owned.add(sittingId);
    // other nodes send the sitting's requests here from now on: they wait behind its loading
    const claimed = this.link.claim(sittingId, true);
    try {
      await this.engine.adopt(sittingId);
    } catch (err) {
      // not loaded: let it go, for this node or another to take on again
      this.owned.delete(sittingId);
      this.engine.registry.drop(sittingId);
      await claimed;
      await this.link.claim(sittingId, false);
      await this.writer.drained();
      await this.writer.own(sittingId, false).catch(() => undefined);
      throw err;
    }
    await claimed;
    this.log.info({ sittingId, node: this.link.nodeId }, 'this node runs the sitting now');
    // not waited for: counting sockets asks every node, a dead one included until the adapter drops it
    this.adopted(sittingId).catch((err: unknown) => this.log.warn({ err, sittingId }, 'presence of the sitting could not be counted on every node'));
    return true;
  }

  /** Looks for open sittings no node runs, now and every two seconds. */
  start(): void {
    const round = async () => {
      for (const s of this.engine.store.repos.sittings.list()) {
        if (this.stopped) return;
        if (!isOpen(s) || this.owned.has(s.id) || this.suspended.includes(s.id)) continue;
        // a sitting a live node says it runs is left to it (after a PostgreSQL restart its lock is
        // free until that node's writer is back: taking it then would stop that node)
        if ((await this.runnerOf(s.id)) !== null) continue;
        await this.take(s.id).catch((err: unknown) => this.log.error({ err, sittingId: s.id }, 'an open sitting could not be taken on'));
      }
    };
    const tick = () => {
      round()
        .catch((err: unknown) => this.log.error({ err }, 'looking for sittings no node runs failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, ADOPT_EVERY_MS).unref();
        });
    };
    tick();
  }

  /** Takes on nothing more; the locks go with the writer's connection when the store closes. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/**
 * Joins the deployment's other nodes: Redis reached, this node listed, the sittings it runs found
 * from now on by their locks (started by the server once the engine is).
 */
export async function joinCluster(redisUrl: string, nodeId: string, engine: ExamEngine, store: KacaStore, log: EngineLog): Promise<Ownership> {
  if (!(store.writer instanceof ThreadWriter)) throw new Error('several nodes need PostgreSQL (DATABASE_URL)');
  const link = new NodeLink(redisUrl, nodeId, (err) => log.warn({ err }, 'Redis'));
  await link.start();
  // staff sessions are made and ended on any node
  engine.staff.shared = { ended: (ids, endedAt) => link.notify('staff-ended', { ids, endedAt }) };
  link.onNotice('staff-ended', (args) => {
    const { ids, endedAt } = args as { ids: string[]; endedAt: number };
    engine.staff.endedElsewhere(ids, endedAt);
  });
  // a template or a bank changed on one node: every node builds its catalogs again (a question
  // retired there must not be dealt here)
  store.catalog.onForget = (changed) => link.notify('catalog-forget', changed);
  link.onNotice('catalog-forget', (args) => store.catalog.forget(args as { bankId?: string; templateId?: string }, true));
  return new Ownership(engine, store.writer, link, log);
}
