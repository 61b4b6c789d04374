import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { itemAnalysis, itemAnalysisCsv, similarity, similarityCsv } from '../../server/src/services/analysis.js';
import { openStore } from '../../server/src/services/store.js';
import { ErrorCode } from '../../server/src/contract/errors.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { UsageError } from './errors.js';

function format(value: string | undefined): 'csv' | 'json' {
  if (value !== 'csv' && value !== 'json') throw new UsageError('--format must be csv or json');
  return value;
}

function write(text: string, file: string | undefined): void {
  if (!file) return void process.stdout.write(text);
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new KacaError(ErrorCode.BAD_REQUEST, `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `kaca item-analysis --bank <id> [--sitting <id>] [--format csv|json] [--out <file>]`: read-only. */
export async function itemAnalysisCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { bank: { type: 'string' }, sitting: { type: 'string' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } } });
  if (!values.bank && !values.sitting) throw new UsageError('item-analysis needs --bank <id> (every closed sitting of the bank) or --sitting <id>');
  const as = format(values.format);
  const store = openStore(config);
  try {
    const report = itemAnalysis(store.repos, store.catalog, { bankId: values.bank, sittingId: values.sitting });
    write(as === 'json' ? JSON.stringify(report, null, 2) + '\n' : itemAnalysisCsv(report), values.out);
    const items = report.sections.reduce((n, s) => n + s.items.length, 0);
    const flagged = report.sections.reduce((n, s) => n + s.items.filter((i) => i.flags.length > 0).length, 0);
    const people = report.sittings.reduce((n, s) => n + s.candidates, 0);
    process.stderr.write(`${items} items over ${people} candidates in ${report.sittings.length} sitting(s), ${flagged} flagged, in ${report.computeMs} ms\n`);
  } finally {
    await store.close();
  }
  return 0;
}

/** `kaca similarity --sitting <id> | --bank <id> [--alpha 0.001] [--correction none|bonferroni] [--format csv|json] [--out <file>]` */
export async function similarityCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { sitting: { type: 'string' }, bank: { type: 'string' }, alpha: { type: 'string', default: '0.001' }, correction: { type: 'string', default: 'none' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
  });
  if (!values.sitting === !values.bank) throw new UsageError('similarity takes one of --sitting <id> or --bank <id> (every closed sitting of the bank, room by room)');
  const alpha = Number(values.alpha);
  if (!(alpha > 0 && alpha <= 0.1)) throw new UsageError('--alpha must be a number in (0, 0.1]');
  if (values.correction !== 'none' && values.correction !== 'bonferroni') throw new UsageError('--correction must be none or bonferroni');
  const as = format(values.format);
  const store = openStore(config);
  try {
    const out = similarity(store.repos, store.catalog, { sittingId: values.sitting, bankId: values.bank }, { alpha, correction: values.correction });
    write(as === 'json' ? JSON.stringify(out, null, 2) + '\n' : similarityCsv(out), values.out);
    process.stderr.write(`${out.pairsTested} pairs of ${out.candidates} candidates in ${out.sittings.length} room(s) (chances from ${out.cohort}), ${out.flagged.length} flagged at p <= ${out.threshold.toExponential(2)}, in ${out.computeMs} ms\n`);
  } finally {
    await store.close();
  }
  return 0;
}
