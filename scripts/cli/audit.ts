import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { auditPaper, formatPaper } from '../../server/src/services/papers.js';
import { resultsCsv, sittingResults } from '../../server/src/services/results.js';
import { openStore } from '../../server/src/services/store.js';
import { out, UsageError } from './errors.js';

/** `kaca paper --sitting <id> --candidate <reg> [--format text|json]`: read-only. */
export async function paperCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { sitting: { type: 'string' }, candidate: { type: 'string' }, format: { type: 'string', default: 'text' } } });
  if (!values.sitting || !values.candidate) throw new UsageError('paper needs --sitting and --candidate');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  const store = openStore(config);
  try {
    const paper = auditPaper(store, values.sitting, values.candidate);
    out(values.format === 'json' ? JSON.stringify(paper, null, 2) : formatPaper(paper));
  } finally {
    await store.close();
  }
  return 0;
}

/** `kaca results --sitting <id> [--format csv|json] [--out <file>]` */
export async function resultsCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { sitting: { type: 'string' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } } });
  if (!values.sitting) throw new UsageError('results needs --sitting');
  if (values.format !== 'csv' && values.format !== 'json') throw new UsageError('--format must be csv or json');
  const store = openStore(config);
  try {
    const results = sittingResults(store.repos, values.sitting);
    const text = values.format === 'json' ? JSON.stringify(results, null, 2) + '\n' : resultsCsv(results);
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text);
  } finally {
    await store.close();
  }
  return 0;
}
