import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { textToRichContent } from '../server/src/domain/rich-content.js';
import type { BankProblem } from '../server/src/domain/bank.js';
import { sourceProblem, type BankDraft } from './common.js';

/**
 * A folder of MMLU test CSVs (subject_test.csv: question,A,B,C,D,answer; no header; plain text)
 * as one keyed practice bank, each subject a topic of one section. The texts are English
 * trivia, not SKD material: for practice rounds, import tests and large-bank benchmarks.
 */
export function mmluToBankDraft(dir: string, opts: { id: string; title: string; language: string; section: string; limit?: number }): BankDraft {
  const doc: BankDraft['doc'] = { format: 'kaca-bank@1', id: opts.id, title: opts.title, language: opts.language, questions: [] };
  const errors: BankProblem[] = [];
  const locations: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('_test.csv')).sort();
  } catch (e) {
    return { doc, info: { errors: [sourceProblem(`cannot read folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)] } };
  }
  if (files.length === 0) errors.push(sourceProblem(`no *_test.csv files in ${dir}: an MMLU folder holds one CSV per subject`));
  for (const file of files) {
    if (opts.limit !== undefined && doc.questions.length >= opts.limit) break;
    const topic = basename(file, '_test.csv').replace(/_/g, '-');
    let rows: string[][];
    try {
      rows = parse(readFileSync(join(dir, file), 'utf8'), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (e) {
      errors.push(sourceProblem(`${file} is not a readable CSV file: ${(e as Error).message}`));
      continue;
    }
    rows.forEach((r, i) => {
      if (opts.limit !== undefined && doc.questions.length >= opts.limit) return;
      const location = `${file} row ${i + 1}`;
      if (r.length !== 6) {
        errors.push({ ...sourceProblem(`expected 6 cells (question,A,B,C,D,answer), found ${r.length}`, '', location), index: doc.questions.length });
        doc.questions.push(null);
        locations.push(location);
        return;
      }
      doc.questions.push({
        id: `${topic}-${String(i + 1).padStart(4, '0')}`.slice(0, 64),
        section: opts.section,
        topic: topic.slice(0, 64),
        stem: textToRichContent(r[0]),
        // A handful of MMLU options are blank: a dash keeps the letters in place.
        options: r.slice(1, 5).map((o) => textToRichContent(o.trim() || '-')),
        key: r[5].trim().toUpperCase(),
      });
      locations.push(location);
    });
  }
  return { doc, info: { errors, locations } };
}
