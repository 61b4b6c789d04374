import { statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { ErrorCode } from '../../server/src/contract/errors.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { ensureBuiltIns } from '../../server/src/services/admin.js';
import { BankThread } from '../../server/src/services/bank-import.js';
import { openStore } from '../../server/src/services/store.js';
import { formatReport, type BankFormat } from '../../question-bank/formats.js';
import { out, UsageError } from './errors.js';

const FORMATS = ['kaca', 'csv', 'qti', 'mmlu', 'auto'] as const;
/** from this size on, the import says what it is doing while it does it */
const BIG = 2 * 1024 * 1024;

function sizeOf(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(path, { withFileTypes: true }).reduce((n, e) => n + (e.isFile() ? statSync(join(path, e.name)).size : e.isDirectory() ? sizeOf(join(path, e.name)) : 0), 0);
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Progress on stderr for a big bank: each step with its time, and while a step runs, the time it
 * has taken so far (the same line again on a terminal, a line every 5 s otherwise). The reading
 * runs on the bank thread, so this thread is free to say so.
 */
function progress(enabled: boolean) {
  const tty = process.stderr.isTTY;
  let timer: NodeJS.Timeout | null = null;
  return async <T>(what: string, work: Promise<T>, done: (r: T) => string): Promise<T> => {
    const start = performance.now();
    if (enabled) {
      process.stderr.write(`${what}...${tty ? '' : '\n'}`);
      timer = setInterval(() => {
        const t = secs(performance.now() - start);
        if (tty) process.stderr.write(`\r${what}... ${t}`);
        else if (Math.round((performance.now() - start) / 1000) % 5 === 0) process.stderr.write(`  ${what}: ${t}\n`);
      }, 1000);
    }
    try {
      const r = await work;
      if (enabled) process.stderr.write(`${tty ? '\r' : ''}${what}: ${done(r)} in ${secs(performance.now() - start)}${tty ? '   ' : ''}\n`);
      return r;
    } finally {
      if (timer) clearInterval(timer);
    }
  };
}

/**
 * `kaca import-bank <file or folder> [--template <id>] [--format ...] [--id] [--title]
 * [--section] [--report <file.json>] [--progress]`: all or nothing. The whole validation report is
 * printed (every error and warning), and written as JSON with --report. Banks of 2 MB and more
 * show their progress on stderr (or any bank with --progress).
 */
export async function importBankCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      template: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      id: { type: 'string' },
      title: { type: 'string' },
      section: { type: 'string' },
      report: { type: 'string' },
      progress: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('import-bank needs exactly one file or folder');
  if (!(FORMATS as readonly string[]).includes(values.format!)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const path = positionals[0];
  const size = sizeOf(path);
  const step = progress(values.progress || size >= BIG);
  const store = openStore(config);
  const thread = new BankThread();
  try {
    await ensureBuiltIns(store, Date.now());
    const template = values.template ? store.repos.templates.get(values.template) : undefined;
    if (values.template && !template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${values.template} (there are: ${store.repos.templates.list().map((t) => t.id).join(', ')})`);
    const options = { format: values.format as BankFormat | 'auto', id: values.id, title: values.title, section: values.section, template };
    const { bank, report, json } = await step(`reading and checking ${path} (${mb(size)})`, thread.readSource(path, options, true), (r) => `${r.report.summary.questions} questions, ${r.report.errors.length} errors, ${r.report.warnings.length} warnings`);
    if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2) + '\n');
    const text = formatReport(report);
    if (!bank) {
      process.stderr.write(text.endsWith('\n') ? text : text + '\n');
      return 1;
    }
    if (report.warnings.length > 0) out(text);
    if (store.repos.banks.exists(bank.id)) throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists; import it under a new id`);
    await step(`storing bank ${bank.id}`, store.writer.submit([{ kind: 'bank-encoded', lines: json!, createdAt: Date.now() }]), () => `${bank.questions} questions`);
    out(`imported bank ${bank.id}: ${bank.questions} questions (${Object.entries(bank.sections).map(([s, n]) => `${s} ${n}`).join(', ')})`);
  } finally {
    await thread.close();
    await store.close();
  }
  return 0;
}
