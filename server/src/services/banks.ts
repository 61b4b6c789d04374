import type { BankUploadQuery, Retire } from '../contract/admin.js';
import type { ExamTemplate } from '../contract/exam.js';
import { ErrorCode } from '../contract/errors.js';
import { parseBank, type BankReport, type ParsedBank } from '../domain/bank.js';
import { KacaError } from '../domain/errors.js';
import type { BankReportOut, SameKeys } from '../contract/http.js';
import { checkRetire } from '../domain/setup.js';
import type { ExamEngine } from '../engine/engine.js';
import { exportQti } from '../../../question-bank/formats.js';
import { adminAudit, type Actor } from './admin-audit.js';
import type { BankSummaryOut, BankThread } from './bank-import.js';
import type { KacaStore } from './store.js';

/** A bank already in memory (the demo, tests, the CLI): validated here and stored in one unit. */
export async function importBank(store: KacaStore, doc: unknown | ParsedBank, now: number, template?: ExamTemplate): Promise<BankSummaryOut> {
  const bank = isParsed(doc) ? doc : parseBank(doc, template);
  if (store.repos.banks.exists(bank.id)) throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists; import it under a new id`);
  await store.writer.submit([{ kind: 'bank', bank, createdAt: now }]);
  return summarize(bank);
}

function summarize(bank: ParsedBank): BankSummaryOut {
  const sections: Record<string, number> = {};
  for (const q of bank.questions) sections[q.section] = (sections[q.section] ?? 0) + 1;
  return { id: bank.id, title: bank.title, language: bank.language, questions: bank.questions.length, sections };
}

function isParsed(doc: unknown): doc is ParsedBank {
  return typeof doc === 'object' && doc !== null && !('format' in doc) && Array.isArray((doc as ParsedBank).questions);
}

// the report goes out through its reply schema: it must name every field
true satisfies SameKeys<BankReport, BankReportOut>;
true satisfies SameKeys<BankReport['summary'], BankReportOut['summary']>;
true satisfies SameKeys<BankReport['errors'][number], BankReportOut['errors'][number]>;

export interface UploadResult {
  stored: boolean;
  bank: BankSummaryOut | null;
  report: BankReport;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * An uploaded bank file (kaca JSON, CSV or a QTI zip): read and validated on the bank thread,
 * stored by the writer thread; the event loop only passes the bytes along (services/bank-import.ts).
 * All or nothing: a report with an error is refused with BANK_INVALID and the whole report as
 * details; `dryRun` only reports.
 */
export async function uploadBank(store: KacaStore, thread: BankThread, bytes: Uint8Array, q: BankUploadQuery, now: number, actor: Actor): Promise<UploadResult> {
  const template = q.template ? store.repos.templates.get(q.template) : undefined;
  if (q.template && !template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${q.template}`);
  const { report, bank, json } = await thread.readUpload(bytes, q.name, { format: q.format, id: q.id, title: q.title, language: q.language, section: q.section, template }, !q.dryRun);
  if (!bank) throw new KacaError(ErrorCode.BANK_INVALID, `the bank has ${plural(report.errors.length, 'error')}; nothing was stored (details: the whole report)`, report);
  if (store.repos.banks.exists(bank.id)) throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists: give the upload another id`, report);
  if (q.dryRun) return { stored: false, bank, report };
  await store.writer.submit([
    { kind: 'bank-encoded', lines: json!, createdAt: now },
    { kind: 'audit', record: adminAudit(actor, now, 'bank-import', 'bank imported', { ...bank, template: template?.id ?? null, format: report.summary.format, source: report.summary.source, warnings: report.warnings.length }) },
  ]);
  return { stored: true, bank, report };
}

/** Retires (or restores) questions: refused while a sitting deals from the bank, or if a scheduled one could then not fill its paper. */
export async function retireQuestions(engine: ExamEngine, bankId: string, r: Retire, now: number, actor: Actor): Promise<{ bankId: string; changed: number; retired: number }> {
  const { store } = engine;
  if (!store.repos.banks.exists(bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${bankId}`);
  const ids = [...new Set(r.questionIds)];
  const known = store.repos.banks.knownIds(bankId, ids);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new KacaError(ErrorCode.NOT_FOUND, `bank ${bankId} has no question ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ` (and ${unknown.length - 10} more)` : ''}`, { unknown });
  let changed = 0;
  await engine.setup.changeBank(bankId, (users) => {
    const retiredNow = store.repos.banks.retiredIds(bankId);
    const after = new Set(retiredNow);
    for (const id of ids) {
      if (r.retired) after.add(id);
      else after.delete(id);
    }
    changed = ids.filter((id) => retiredNow.has(id) !== r.retired).length;
    const active = store.repos.banks.questions(bankId).filter((q) => !after.has(q.id));
    checkRetire(
      bankId,
      users.map((s) => ({ id: s.id, status: s.status, template: store.repos.templates.get(s.templateId)! })),
      active,
    );
    return [
      { kind: 'questions-retire', bankId, ids, retired: r.retired },
      { kind: 'audit', record: adminAudit(actor, now, r.retired ? 'questions-retire' : 'questions-restore', r.reason, { bankId, questions: ids.length <= 100 ? ids : `${ids.length} questions`, changed }) },
    ];
  });
  return { bankId, changed, retired: store.repos.banks.retiredIds(bankId).size };
}

/** A bank as a QTI 3.0 package: built on the bank thread from its own read-only connection when the database is a file. */
export async function exportBank(store: KacaStore, thread: BankThread, bankId: string): Promise<Uint8Array> {
  const meta = store.repos.banks.get(bankId);
  if (!meta) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${bankId}`);
  if (store.inMemory) return exportQti({ id: meta.id, title: meta.title, language: meta.language, questions: store.repos.banks.questions(bankId) });
  // what is committed is what the bank thread's connection sees: wait for writes still on their way
  await store.writer.drained();
  return thread.exportQti(store.target, bankId);
}
