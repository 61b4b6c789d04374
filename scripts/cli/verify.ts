import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { assertClosed, auditorBank, writeExport } from '../../server/src/services/log-export.js';
import { formatVerifyReport, verifyExportFile, VerifyInputError } from '../../server/src/services/export-verifier.js';
import { openStore } from '../../server/src/services/store.js';
import { out, UsageError } from './errors.js';

/**
 * `kaca export <sitting> [--out <file>] [--bank-out <file>]`: the public export of a closed
 * sitting (what GET /api/sittings/:id/export serves), and optionally the bank the sitting dealt
 * from, for an auditor (secret: keys and weights).
 */
export async function exportCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, 'bank-out': { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('export needs exactly one sitting id');
  const sittingId = positionals[0];
  const file = values.out ?? `kaca-export-${sittingId}.json`;
  const store = openStore(config);
  try {
    const f = writeExport(store.repos, store.catalog, sittingId, store.logKey, file);
    out(`wrote ${file}: ${f.leaves} leaves, ${f.checkpoints} checkpoints, ${f.receipts} receipts (${(f.bytes / 1e6).toFixed(1)} MB)`);
    if (values['bank-out']) {
      const sitting = assertClosed(store.repos.sittings.get(sittingId), sittingId);
      const meta = store.repos.banks.list().find((b) => b.id === sitting.bankId)!;
      writeFileSync(values['bank-out'], JSON.stringify(auditorBank(store.catalog.forSitting(sitting), meta), null, 2) + '\n', { mode: 0o600 });
      out(`wrote ${values['bank-out']}: the sitting's bank for an auditor (keys and weights: keep it secret)`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * `kaca verify <export.json> [--bank <bank file>] [--json]`: checks a public export offline,
 * and with the bank every paper and every delta. Exit code 0 when it verifies, 1 when not.
 */
export async function verifyCommand(_config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { bank: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('verify needs exactly one export file');
  let report;
  try {
    report = await verifyExportFile(positionals[0], values.bank);
  } catch (e) {
    if (e instanceof VerifyInputError) {
      process.stderr.write(`kaca: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  out(values.json ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
  return report.ok ? 0 : 1;
}
