import { parse } from 'csv-parse/sync';
import { OPTION_LETTERS } from '../server/src/contract/question.js';
import type { BankProblem } from '../server/src/domain/bank.js';
import { normalizeDifficulty, sourceProblem, type BankDraft } from './common.js';

/**
 * The bank CSV layout (docs/bank-format.md): one question per row under a header row naming
 * the columns, in any order. Cells hold rich content as in kaca-bank@1.
 */
const letters = OPTION_LETTERS.map((l) => l.toLowerCase());
export const CSV_COLUMNS = ['id', 'section', 'topic', 'difficulty', 'stem', ...letters.map((l) => `option_${l}`), 'key', ...letters.map((l) => `weight_${l}`)];
const REQUIRED = ['id', 'section', 'topic', 'stem', 'option_a', 'option_b'];

const headerName = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Excel in an Indonesian locale writes ";" between cells: take whichever the header uses. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** First line of a record: csv-parse reports the line it ends on, and skipped blank lines lead its raw text. */
function startLine(r: CsvRecord): number {
  const body = r.raw.replace(/\r?\n$/, '').replace(/^(\r?\n)+/, '');
  return r.info.lines - (body.match(/\n/g)?.length ?? 0);
}

/** Reads a bank CSV into a kaca-bank@1 document; problems of the file itself go into info. */
export function csvToBankDraft(text: string, naming: { id: string; title: string; language: string }): BankDraft {
  const errors: BankProblem[] = [];
  const warnings: BankProblem[] = [];
  const doc: BankDraft['doc'] = { format: 'kaca-bank@1', id: naming.id, title: naming.title, language: naming.language, questions: [] };
  let records: CsvRecord[];
  try {
    records = parse(text, { bom: true, delimiter: delimiterOf(text.replace(/^\uFEFF/, '')), info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    errors.push(sourceProblem(`not a readable CSV file: ${(e as Error).message}`, '', line ? `line ${line}` : undefined));
    return { doc, info: { errors, warnings } };
  }
  if (records.length === 0) {
    errors.push(sourceProblem('the CSV file is empty: it needs a header row and one row per question'));
    return { doc, info: { errors, warnings } };
  }
  const header = records[0].record.map(headerName);
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    if (!h) return;
    if (col.has(h)) errors.push(sourceProblem(`column ${h} appears twice in the header`, h, 'line 1'));
    else col.set(h, i);
    if (!CSV_COLUMNS.includes(h)) warnings.push(sourceProblem(`column ${h} is not part of the bank layout and is ignored`, h, 'line 1'));
  });
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length) errors.push(sourceProblem(`the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`, 'header', 'line 1'));
  if (missing.length || errors.length) return { doc, info: { errors, warnings } };

  const locations: string[] = [];
  for (const r of records.slice(1)) {
    const index = doc.questions.length;
    const location = `line ${startLine(r)}`;
    const cell = (name: string) => {
      const i = col.get(name);
      // Windows line ends inside a quoted cell are the same line break as anywhere else.
      return i === undefined ? '' : (r.record[i] ?? '').replace(/\r\n?/g, '\n');
    };
    const options = letters.map((l) => cell(`option_${l}`));
    const weights = letters.map((l) => cell(`weight_${l}`).trim());
    // An empty cell before a filled one stays in, so its letter keeps its place and the bank
    // rules report it; empty cells at the end are options the question does not have.
    const filled = (cells: string[]) => cells.findLastIndex((c) => c.trim() !== '') + 1;
    const optionCount = filled(options);
    const weightCount = filled(weights);
    const key = cell('key').trim().toUpperCase();
    const difficulty = normalizeDifficulty(cell('difficulty'));
    // Cells go in as written (numbers made numbers): the bank rules name what is wrong with them.
    doc.questions.push({
      id: cell('id').trim(),
      section: cell('section').trim(),
      topic: cell('topic').trim(),
      ...(difficulty ? { difficulty } : {}),
      stem: cell('stem'),
      options: options.slice(0, optionCount),
      ...(key ? { key } : {}),
      ...(weightCount ? { weights: weights.slice(0, Math.max(optionCount, weightCount)).map((w) => (/^-?\d+(\.\d+)?$/.test(w) ? Number(w) : w)) } : {}),
    });
    locations.push(location);
  }
  if (doc.questions.length === 0) errors.push(sourceProblem('the CSV file has a header but no question rows'));
  return { doc, info: { errors, warnings, locations } };
}
