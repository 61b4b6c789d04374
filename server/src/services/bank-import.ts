import type { WriterTarget } from '../db/writer.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExamTemplate } from '../contract/exam.js';
import type { ErrorCode } from '../contract/errors.js';
import type { BankReport } from '../domain/bank.js';
import { KacaError } from '../domain/errors.js';
import type { bankRepository, QuestionSearch } from '../db/repositories/banks.js';

type BankRepo = ReturnType<typeof bankRepository>;
/**
 * A thread that only read stops after this long without a job; one that read, converted or
 * exported a bank stops at once, as a 50 MB bank leaves hundreds of MB of garbage in its heap,
 * which a stopped thread gives back.
 */
const IDLE_MS = 15_000;

/**
 * Bank uploads and exports off the event loop. Reading, converting (CSV, QTI) and validating a
 * 50 MB bank takes seconds of CPU, and storing it means handing it to the writer thread: done
 * here, the server would stop answering for that long. So a thread of its own does the work
 * (services/bank-thread.ts) and the event loop only passes buffers along:
 *
 *   request body -> SharedArrayBuffer (copied a socket chunk at a time as it arrives)
 *   -> bank thread: read, validate, report; a valid bank is encoded as JSON into a new
 *      SharedArrayBuffer -> event loop: WriteOp 'bank-encoded' -> writer thread: decode, insert.
 *
 * Shared buffers cross threads without a copy, so the event loop never copies, parses or
 * serializes the bank itself; it gets the report and a small summary. Jobs run one at a time.
 */

export interface BankSummaryOut {
  id: string;
  title: string;
  language: string;
  questions: number;
  sections: Record<string, number>;
}

export interface ImportOptions {
  format?: 'auto' | 'kaca' | 'csv' | 'qti';
  /** mmlu: read at most this many questions (files and folders only) */
  limit?: number;
  id?: string;
  title?: string;
  language?: string;
  section?: string;
  template?: ExamTemplate;
}

/** Reads of a bank too large for the event loop: a page of questions, the list with counts. */
export type BankRead = { what: 'search'; bankId: string; search: QuestionSearch } | { what: 'list' };
type ReadValue<R extends BankRead> = R extends { what: 'search' } ? ReturnType<BankRepo['search']> : ReturnType<BankRepo['list']>;

export type BankJob =
  | { id: number; type: 'import'; bytes: Uint8Array; name: string; options: ImportOptions; encode: boolean }
  | { id: number; type: 'read'; source: WriterTarget; read: BankRead }
  /** a file or folder on this machine (the CLI) */
  | { id: number; type: 'source'; path: string; options: Omit<ImportOptions, 'format'> & { format?: 'auto' | 'kaca' | 'csv' | 'qti' | 'mmlu' }; encode: boolean }
  | { id: number; type: 'export'; source: WriterTarget; bankId: string };

export type BankJobReply =
  | { id: number; ok: true; type: 'import'; report: BankReport; bank: BankSummaryOut | null; json: Uint8Array | null }
  | { id: number; ok: true; type: 'export'; zip: Uint8Array }
  | { id: number; ok: true; type: 'read'; value: unknown }
  | { id: number; ok: false; code: string | null; message: string };

type JobInput = BankJob extends infer J ? (J extends BankJob ? Omit<J, 'id'> : never) : never;

/** The compiled bundle runs dist/bank-thread.js; the sources run the .ts through tsx. */
const COMPILED = import.meta.url.endsWith('.js');
const THREAD = COMPILED ? new URL('./bank-thread.js', import.meta.url) : new URL('./bank-thread.ts', import.meta.url);

function spawn(): Worker {
  if (COMPILED) return new Worker(THREAD);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(THREAD.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

export class BankThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: BankJobReply) => void; reject: (e: Error) => void }>();
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawn();
    w.unref();
    w.on('message', (r: BankJobReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
    });
    const lost = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the bank thread stopped (exit code ${code})`)));
    return (this.worker = w);
  }

  private idle: NodeJS.Timeout | null = null;

  /**
   * Runs one job after the ones before it; a thread that dies fails its job and is replaced next
   * time. When the queue is empty the thread stops (see IDLE_MS).
   */
  private run(job: JobInput): Promise<BankJobReply> {
    this.queued++;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const next = this.chain.then(
      () =>
        new Promise<BankJobReply>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          this.start().postMessage({ ...job, id });
        }),
    );
    this.chain = next
      .catch(() => undefined)
      .then(() => {
        if (--this.queued > 0) return;
        // after a bank went through, at once: its garbage is hundreds of MB
        if (job.type !== 'read') return this.close();
        this.idle = setTimeout(() => void this.close(), IDLE_MS);
        this.idle.unref();
      });
    return next.then((r) => {
      if (!r.ok) throw r.code ? new KacaError(r.code as ErrorCode, r.message) : new Error(r.message);
      return r;
    });
  }

  async readUpload(bytes: Uint8Array, name: string, options: ImportOptions, encode: boolean): Promise<{ report: BankReport; bank: BankSummaryOut | null; json: Uint8Array | null }> {
    const r = await this.run({ type: 'import', bytes, name, options, encode });
    if (r.ok && r.type === 'import') return r;
    throw new Error('unexpected reply from the bank thread');
  }

  /** A bank file or folder read on the thread (the CLI: a big bank does not freeze its progress). */
  async readSource(path: string, options: Extract<BankJob, { type: 'source' }>['options'], encode: boolean): Promise<{ report: BankReport; bank: BankSummaryOut | null; json: Uint8Array | null }> {
    const r = await this.run({ type: 'source', path, options, encode });
    if (r.ok && r.type === 'import') return r;
    throw new Error('unexpected reply from the bank thread');
  }

  /** A read through the thread's own read-only connection to the database. */
  async query<R extends BankRead>(source: WriterTarget, read: R): Promise<ReadValue<R>> {
    const r = await this.run({ type: 'read', source, read });
    if (r.ok && r.type === 'read') return r.value as ReadValue<R>;
    throw new Error('unexpected reply from the bank thread');
  }

  async exportQti(source: WriterTarget, bankId: string): Promise<Uint8Array> {
    const r = await this.run({ type: 'export', source, bankId });
    if (r.ok && r.type === 'export') return r.zip;
    throw new Error('unexpected reply from the bank thread');
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/**
 * Collects a request body into a SharedArrayBuffer as it arrives, so it can go to the bank thread
 * without a copy and the event loop never holds two copies of it or concatenates them at the end.
 * Sized by Content-Length when given (a chunked upload grows by doubling); refuses more than `limit`.
 */
export function readIntoShared(stream: NodeJS.ReadableStream, declared: number | null, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let buf = new Uint8Array(new SharedArrayBuffer(Math.max(1, Math.min(declared ?? 1 << 20, limit))));
    let size = 0;
    const tooLarge = () => Object.assign(new Error(`the upload is larger than ${Math.round(limit / (1 << 20))} MB`), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    stream.on('data', (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        stream.removeAllListeners('data');
        stream.resume();
        return reject(tooLarge());
      }
      if (size + chunk.length > buf.length) {
        const grown = new Uint8Array(new SharedArrayBuffer(Math.min(limit, Math.max(buf.length * 2, size + chunk.length))));
        grown.set(buf.subarray(0, size));
        buf = grown;
      }
      buf.set(chunk, size);
      size += chunk.length;
    });
    stream.on('end', () => resolve(buf.subarray(0, size)));
    stream.on('error', reject);
  });
}
