import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { ErrorCode } from '../../server/src/contract/errors.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { ensureBuiltIns, importBank } from '../../server/src/services/admin.js';
import { openStore } from '../../server/src/services/store.js';
import { formatReport, readBankSource, type BankFormat } from '../../question-bank/formats.js';
import { out, UsageError } from './errors.js';

const FORMATS = ['kaca', 'csv', 'qti', 'mmlu', 'auto'] as const;

/**
 * `kaca import-bank <file or folder> [--template <id>] [--format ...] [--id] [--title]
 * [--section] [--report <file.json>]`: all or nothing. The whole validation report is printed
 * (every error and warning), and written as JSON with --report.
 */
export async function importBankCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { template: { type: 'string' }, format: { type: 'string', default: 'auto' }, id: { type: 'string' }, title: { type: 'string' }, section: { type: 'string' }, report: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('import-bank needs exactly one file or folder');
  if (!(FORMATS as readonly string[]).includes(values.format!)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const store = openStore(config);
  try {
    await ensureBuiltIns(store, Date.now());
    const template = values.template ? store.repos.templates.get(values.template) : undefined;
    if (values.template && !template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${values.template} (there are: ${store.repos.templates.list().map((t) => t.id).join(', ')})`);
    const { bank, report } = readBankSource(positionals[0], { format: values.format as BankFormat | 'auto', id: values.id, title: values.title, section: values.section, template });
    if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2) + '\n');
    const text = formatReport(report);
    if (!bank) {
      process.stderr.write(text.endsWith('\n') ? text : text + '\n');
      return 1;
    }
    if (report.warnings.length > 0) out(text);
    const summary = await importBank(store, bank, Date.now());
    out(`imported bank ${summary.id}: ${summary.questions} questions (${Object.entries(summary.sections).map(([s, n]) => `${s} ${n}`).join(', ')})`);
  } finally {
    await store.close();
  }
  return 0;
}
