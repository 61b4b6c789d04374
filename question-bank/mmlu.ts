import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { textToRichContent } from '../server/src/domain/rich-content.js';
import { parseCsv } from '../server/src/services/csv.js';

/**
 * Turns the MMLU test CSVs (question,A,B,C,D,answer; no header) into a kaca-bank@1 document,
 * each subject a topic of the given section. Used for import tests and large-bank benchmarks.
 */
export function mmluToBankDoc(dir: string, opts: { id: string; section: string; limit?: number }): { format: 'kaca-bank@1'; id: string; title: string; language: string; questions: unknown[] } {
  const questions: unknown[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('_test.csv')).sort()) {
    const topic = basename(file, '_test.csv').replace(/_/g, '-');
    const rows = parseCsv(readFileSync(join(dir, file), 'utf8'));
    rows.forEach((r, i) => {
      if (r.length !== 6) return;
      questions.push({
        id: `${topic}-${String(i + 1).padStart(4, '0')}`.slice(0, 64),
        section: opts.section,
        topic,
        stem: textToRichContent(r[0]),
        options: r.slice(1, 5).map((o) => textToRichContent(o || '-')),
        key: r[5].trim(),
      });
    });
    if (opts.limit && questions.length >= opts.limit) break;
  }
  return { format: 'kaca-bank@1', id: opts.id, title: `MMLU test (${opts.section})`, language: 'en', questions: opts.limit ? questions.slice(0, opts.limit) : questions };
}
