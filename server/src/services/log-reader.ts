import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { spawnThread } from '../thread.js';
import { checkBeaconSignature } from '../domain/verify/beacon.js';
import { itemAnalysis, similarity, type ItemAnalysisReport, type SimilarityOut, type SimilarityQuery } from './analysis.js';
import { writeExport, type ExportFigures } from './log-export.js';
import { ProofMaker, type LogProof } from './log-proofs.js';
import type { KacaStore } from './store.js';
import type { WriterTarget } from '../db/writer.js';

export interface LogThreadData {
  target: WriterTarget;
  key: { name: string; verifierKey: string };
}
type Ask =
  | { type: 'export'; sittingId: string; file: string }
  | { type: 'proof'; sittingId: string; leaf: number; size: number }
  | { type: 'beacon'; round: number; signature: string }
  | { type: 'items'; bankId?: string; sittingId?: string }
  | { type: 'similarity'; sittingId: string; query: SimilarityQuery };
export type ToLogThread = (Ask & { id: number }) | { type: 'close' };
export type BeaconResult = { ok: true; randomness: string } | { ok: false; problem: string };
export type FromLogThread = { id: number; ok: true; value: ExportFigures | LogProof | BeaconResult | ItemAnalysisReport | SimilarityOut } | { id: number; ok: false; code: string | null; message: string };

/**
 * Exports and receipt proofs of closed sittings, and the analyses of stored answers, made on a
 * thread of their own (services/log-thread.ts) the first time they are asked for; an export is
 * then a file in DATA_DIR/exports, streamed as it is. An in-memory database (tests) cannot be
 * opened by a thread: it is read on this one.
 */
export class LogReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exporting = new Map<string, Promise<string>>();
  private readonly inline: ProofMaker | null;

  constructor(
    private readonly store: KacaStore,
    private readonly dir: string | null,
  ) {
    this.inline = store.inMemory ? new ProofMaker(store.repos) : null;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const data: LogThreadData = { target: this.store.target, key: { name: this.store.logKey.name, verifierKey: this.store.logKey.verifierKey } };
    const w = spawnThread(new URL('./log-thread.js', import.meta.url), new URL('./log-thread.ts', import.meta.url), data);
    w.unref();
    w.on('message', (m: FromLogThread) => {
      const p = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (!p) return;
      if (m.ok) p.resolve(m.value);
      else p.reject(m.code ? new KacaError(m.code as ErrorCode, m.message) : new Error(m.message));
    });
    const stopped = (err: Error) => {
      this.worker = null;
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    w.on('error', stopped);
    w.on('exit', (code) => stopped(new Error(`the log reader thread stopped (exit code ${code})`)));
    return (this.worker = w);
  }

  private ask<T>(m: Ask): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.thread().postMessage({ ...m, id } satisfies ToLogThread);
    });
  }

  /** The path of the export file of a closed sitting, written on first request. */
  exportFile(sittingId: string): Promise<string> {
    if (this.dir === null) return Promise.reject(new KacaError(ErrorCode.INVALID_STATE, 'exports need a data directory (DATA_DIR is in memory)'));
    const file = join(this.dir, `${sittingId}.json`);
    if (existsSync(file)) return Promise.resolve(file);
    let p = this.exporting.get(sittingId);
    if (!p) {
      mkdirSync(this.dir, { recursive: true });
      p = (this.inline ? Promise.resolve().then(() => writeExport(this.store.repos, this.store.catalog, sittingId, this.store.logKey, file)) : this.ask<ExportFigures>({ type: 'export', sittingId, file })).then(() => file);
      const done = () => this.exporting.delete(sittingId);
      p.then(done, done);
      this.exporting.set(sittingId, p);
    }
    return p;
  }

  proof(sittingId: string, leaf: number, size: number): Promise<LogProof> {
    if (this.inline) return Promise.resolve().then(() => this.inline!.proof(sittingId, leaf, size));
    return this.ask<LogProof>({ type: 'proof', sittingId, leaf, size });
  }

  /** A beacon round's signature checked against drand's key, on the thread (a pairing takes tens of ms, the first one hundreds). */
  checkBeacon(round: number, signature: string): Promise<BeaconResult> {
    if (this.inline) return Promise.resolve(checkBeaconSignature(round, signature));
    return this.ask<BeaconResult>({ type: 'beacon', round, signature });
  }

  /** Item analysis of a sitting, or of the closed sittings of a bank (services/analysis.ts). */
  itemAnalysis(query: { bankId?: string; sittingId?: string }): Promise<ItemAnalysisReport> {
    if (this.inline) return Promise.resolve().then(() => itemAnalysis(this.store.repos, this.store.catalog, query));
    return this.ask<ItemAnalysisReport>({ type: 'items', ...query });
  }

  /** Answer-similarity flags of a closed sitting. */
  similarity(sittingId: string, query: SimilarityQuery): Promise<SimilarityOut> {
    if (this.inline) return Promise.resolve().then(() => similarity(this.store.repos, this.store.catalog, { sittingId }, query));
    return this.ask<SimilarityOut>({ type: 'similarity', sittingId, query });
  }

  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.postMessage({ type: 'close' } satisfies ToLogThread);
    });
  }
}
