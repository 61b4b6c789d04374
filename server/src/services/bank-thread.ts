// The bank thread (services/bank-import.ts starts it): reads, converts and validates uploaded
// banks, and writes QTI exports, so that a 50 MB bank never holds up the event loop. It stores
// nothing: a valid bank goes back as UTF-8 JSON in a SharedArrayBuffer that the event loop hands
// to the writer thread untouched (WriteOp 'bank-encoded', db/bank-lines.ts). Exports read through a read-only
// connection of their own.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { exportQti, readBankBytes, readBankSource } from '../../../question-bank/formats.js';
import { encodeBankLines } from '../db/bank-lines.js';
import { openReadRepositories } from '../db/read-source.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import type { WriterTarget } from '../db/writer.js';
import type { BankJob, BankJobReply, BankSummaryOut } from './bank-import.js';

const port = parentPort!;
const connections = new Map<string, { repos: ReadRepositories; close(): void }>();

// On Linux a thread is a task with its own nice value: this one yields the CPU to the event loop
// and the writer thread (two cores, three busy threads during a 50 MB import). Elsewhere it stays
// as it is.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // not Linux, or not allowed: the same work at the same priority
}

function banksOf(source: WriterTarget): ReadRepositories['banks'] {
  const key = JSON.stringify(source);
  let c = connections.get(key);
  if (!c) connections.set(key, (c = openReadRepositories(source)));
  return c.repos.banks;
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
  const repo = banksOf(job.source);
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
    for (const c of connections.values()) c.close();
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
