// The bank thread (services/bank-import.ts starts it): reads, converts and validates uploaded
// banks, and writes QTI exports, so that a 50 MB bank never holds up the event loop. It stores
// nothing: a valid bank goes back as UTF-8 JSON in a SharedArrayBuffer that the event loop hands
// to the writer thread untouched (WriteOp 'bank-encoded', db/bank-lines.ts). Exports read through a read-only
// connection of their own.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { exportQti, readBankBytes, readBankSource } from '../../../question-bank/formats.js';
import * as schema from '../db/schema.js';
import { bankRepository } from '../db/repositories/banks.js';
import { encodeBankLines } from '../db/bank-lines.js';
import type { Db } from '../db/client.js';
import type { BankJob, BankJobReply, BankSummaryOut } from './bank-import.js';

const port = parentPort!;
const connections = new Map<string, Db>();

// On Linux a thread is a task with its own nice value: this one yields the CPU to the event loop
// and the writer thread (two cores, three busy threads during a 50 MB import). Elsewhere it stays
// as it is.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // not Linux, or not allowed: the same work at the same priority
}

function readOnly(file: string): Db {
  let db = connections.get(file);
  if (!db) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    connections.set(file, (db = drizzle(sqlite, { schema }) as Db));
  }
  return db;
}

function run(job: BankJob): { reply: BankJobReply; transfer: ArrayBuffer[] } {
  if (job.type === 'import' || job.type === 'source') {
    const { bank, report } = job.type === 'import' ? readBankBytes(job.bytes, job.name, job.options) : readBankSource(job.path, job.options);
    let summary: BankSummaryOut | null = null;
    let json: Uint8Array | null = null;
    if (bank) {
      const sections: Record<string, number> = {};
      for (const q of bank.questions) sections[q.section] = (sections[q.section] ?? 0) + 1;
      summary = { id: bank.id, title: bank.title, language: bank.language, questions: bank.questions.length, sections };
      if (job.encode) json = encodeBankLines(bank);
    }
    return { reply: { id: job.id, ok: true, type: 'import', report, bank: summary, json }, transfer: [] };
  }
  const repo = bankRepository(readOnly(job.file));
  if (job.type === 'read') {
    const value = job.read.what === 'list' ? repo.list() : repo.search(job.read.bankId, job.read.search);
    return { reply: { id: job.id, ok: true, type: 'read', value }, transfer: [] };
  }
  const meta = repo.get(job.bankId);
  if (!meta) return { reply: { id: job.id, ok: false, code: 'NOT_FOUND', message: `no bank ${job.bankId}` }, transfer: [] };
  const zip = exportQti({ id: meta.id, title: meta.title, language: meta.language, questions: repo.questions(job.bankId) });
  return { reply: { id: job.id, ok: true, type: 'export', zip }, transfer: [zip.buffer as ArrayBuffer] };
}

port.on('message', (job: BankJob | { type: 'close' }) => {
  if (job.type === 'close') {
    for (const db of connections.values()) db.$client.close();
    port.close();
    return;
  }
  try {
    const { reply, transfer } = run(job);
    port.postMessage(reply, transfer);
  } catch (err) {
    port.postMessage({ id: job.id, ok: false, code: null, message: err instanceof Error ? err.message : String(err) } satisfies BankJobReply);
  }
});
