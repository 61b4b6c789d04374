import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { ExamTemplate } from '../server/src/contract/exam.js';
import { validateBank, type BankReport, type ParsedBank } from '../server/src/domain/bank.js';
import { idFromPath, sourceProblem, type BankDraft } from './common.js';
import { csvToBankDraft } from './csv-bank.js';
import { mmluToBankDraft } from './mmlu.js';
import { qtiToBankDraft } from './qti/import.js';
import { folderPackage, PackageError, zipPackage, type PackageFiles } from './qti/package.js';

export { exportQti } from './qti/export.js';
export { formatReport, type BankReport, type ParsedBank } from '../server/src/domain/bank.js';

/**
 * One way in for every bank format (docs/bank-format.md): read, convert to kaca-bank@1,
 * validate against the template, and hand back the bank (null when anything is an error) with
 * the complete report.
 */
export type BankFormat = 'kaca' | 'csv' | 'qti' | 'mmlu';

export interface ReadBankOptions {
  /** default 'auto': .json kaca, .csv csv, .zip or a folder with imsmanifest.xml qti, a folder of *_test.csv mmlu */
  format?: BankFormat | 'auto';
  /** bank id, title and language; a file's own (kaca-bank@1, manifest LOM) are used when not given */
  id?: string;
  title?: string;
  language?: string;
  template?: ExamTemplate;
  /** qti: section of items that name none; mmlu: section of every question (default MMLU) */
  section?: string;
  /** mmlu: read at most this many questions */
  limit?: number;
}

export interface BankReadResult {
  bank: ParsedBank | null;
  report: BankReport;
}

const BY_EXTENSION: Record<string, 'kaca' | 'csv' | 'qti'> = { '.json': 'kaca', '.csv': 'csv', '.zip': 'qti' };

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The format a path holds, judged by its name and, for folders, what is inside; null when unclear. */
export function detectFormat(path: string): BankFormat | null {
  if (isDirectory(path)) {
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      return null;
    }
    if (names.includes('imsmanifest.xml')) return 'qti';
    if (names.some((n) => n.endsWith('_test.csv'))) return 'mmlu';
    return null;
  }
  if (basename(path).toLowerCase() === 'imsmanifest.xml') return 'qti';
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

function failed(format: string | null, source: string, message: string, opts: ReadBankOptions, location?: string): BankReadResult {
  const errors = [sourceProblem(message, '', location)];
  const summary = { bankId: opts.id ?? null, title: opts.title ?? null, template: opts.template?.id ?? null, format, source, questions: 0, valid: 0, sections: {}, errors: 1, warnings: 0 };
  return { bank: null, report: { errors, warnings: [], summary } };
}

/** Where JSON.parse stopped, as the line and column an editor shows ("line 3, column 2"): from the position its message gives, or found again where it gives none. */
function jsonErrorAt(text: string, message: string): string | undefined {
  const m = /at position (\d+)/.exec(message);
  const at = m ? Math.min(Number(m[1]), text.length) : jsonStopsAt(text);
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * The offset of the first character at which `text` stops being JSON, or -1 if it is JSON. For
 * V8's messages that name no position ("Unexpected token '}', ... is not valid JSON", "Unexpected
 * end of JSON input"); run only on a text JSON.parse refused. Iterative, so any depth is read.
 */
export function jsonStopsAt(text: string): number {
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && WHITESPACE.has(text[i])) i++;
  };
  /** a string from its opening quote; the offset of its fault, or -1 */
  const string = (): number => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return -1;
      }
      if (c < 0x20) return i;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) return Math.min(i + k, n);
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) i += 2;
        else return Math.min(i + 1, n);
      } else i++;
    }
    return n;
  };
  /** a scalar (number or literal) at i; the offset of its fault, or -1 */
  const scalar = (): number => {
    for (const word of ['true', 'false', 'null']) {
      if (text[i] !== word[0]) continue;
      for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) return Math.min(i + k, n);
      i += word.length;
      return -1;
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const found = m.exec(text);
    // nothing a value can start with, or a minus with no digits after it
    if (!found) return text[i] === '-' ? Math.min(i + 1, n) : i;
    i += found[0].length;
    // "1." or "1e": the number stops short of what follows
    if (text[i] === '.' || text[i] === 'e' || text[i] === 'E') return Math.min(i + 1, n);
    return -1;
  };
  /** an object's key and its colon, from the opening quote; the offset of its fault, or -1 */
  const key = (): number => {
    if (text[i] !== '"') return Math.min(i, n);
    const bad = string();
    if (bad >= 0) return bad;
    skip();
    if (text[i] !== ':') return Math.min(i, n);
    i++;
    return -1;
  };
  const open: ('{' | '[')[] = [];
  // what the reader expects next: a value, or (inside a container) a separator or the close
  let expectValue = true;
  for (;;) {
    skip();
    if (i >= n) return open.length > 0 || expectValue ? n : -1;
    const c = text[i];
    if (expectValue) {
      if (c === '{' || c === '[') {
        open.push(c);
        i++;
        skip();
        const close = c === '{' ? '}' : ']';
        if (text[i] === close) {
          open.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === '{') {
          const bad = key();
          if (bad >= 0) return bad;
        }
        continue;
      }
      const bad = c === '"' ? string() : scalar();
      if (bad >= 0) return bad;
      expectValue = false;
      continue;
    }
    const top = open[open.length - 1];
    if (!top) return i; // something after the whole value
    if (c === ',') {
      i++;
      if (top === '{') {
        skip();
        const bad = key();
        if (bad >= 0) return bad;
      }
      expectValue = true;
      continue;
    }
    if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      open.pop();
      i++;
      continue;
    }
    return i;
  }
}

function naming(path: string, opts: ReadBankOptions) {
  const id = opts.id ?? idFromPath(path);
  return { id, title: opts.title ?? id, language: opts.language ?? 'id' };
}

function finish(draft: BankDraft, format: BankFormat, source: string, opts: ReadBankOptions): BankReadResult {
  return validateBank(draft.doc, opts.template, { ...draft.info, format, source });
}

function fromText(text: string, format: 'kaca' | 'csv', source: string, opts: ReadBankOptions): BankReadResult {
  if (format === 'csv') return finish(csvToBankDraft(text, naming(source, opts)), 'csv', source, opts);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message;
    // V8 quotes the text around an unexpected token, new lines and all: the location says where instead
    return failed('kaca', source, `not valid JSON: ${why.replace(/^(Unexpected token '.+?'), [\s\S]* is not valid JSON$/, '$1')}`, opts, jsonErrorAt(text, why));
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const overrides = Object.fromEntries(Object.entries({ id: opts.id, title: opts.title, language: opts.language }).filter(([, v]) => v !== undefined));
    doc = { ...doc, ...overrides };
  }
  return validateBank(doc, opts.template, { format: 'kaca', source });
}

function fromPackage(files: PackageFiles, source: string, opts: ReadBankOptions): BankReadResult {
  const draft = qtiToBankDraft(files, { ...opts, fallbackId: idFromPath(source) });
  return finish(draft, 'qti', source, opts);
}

/** Reads a bank from a file or folder. Never throws for a bad bank or a missing file: the report says. */
export function readBankSource(path: string, opts: ReadBankOptions = {}): BankReadResult {
  const format = !opts.format || opts.format === 'auto' ? detectFormat(path) : opts.format;
  if (!format) return failed(null, path, `cannot tell the format of ${path}: name it .json, .csv or .zip, or give the format (kaca, csv, qti, mmlu)`, opts);
  try {
    if (format === 'mmlu') {
      const n = naming(path, opts);
      const draft = mmluToBankDraft(path, { ...n, title: opts.title ?? `MMLU test (${opts.section ?? 'MMLU'})`, language: opts.language ?? 'en', section: opts.section ?? 'MMLU', limit: opts.limit });
      return finish(draft, 'mmlu', path, opts);
    }
    if (format === 'qti') {
      if (isDirectory(path)) return fromPackage(folderPackage(path), path, opts);
      if (basename(path).toLowerCase() === 'imsmanifest.xml') return fromPackage(folderPackage(dirname(path)), dirname(path), opts);
      return fromPackage(zipPackage(readFileSync(path)), path, opts);
    }
    return fromText(readFileSync(path, 'utf8'), format, path, opts);
  } catch (e) {
    if (e instanceof PackageError) return failed(format, path, e.message, opts);
    const code = (e as NodeJS.ErrnoException).code;
    if (code) return failed(format, path, `cannot read ${path}: ${code}`, opts);
    throw e;
  }
}

/**
 * Reads a bank from bytes (an upload); `name` is the file's name, used for the format when
 * none is given and for the bank id when the file has none.
 */
export function readBankBytes(bytes: Uint8Array, name: string, opts: ReadBankOptions & { format?: 'kaca' | 'csv' | 'qti' | 'auto' } = {}): BankReadResult {
  const format = !opts.format || opts.format === 'auto' ? BY_EXTENSION[extname(name).toLowerCase()] : opts.format;
  if (!format) return failed(null, name, `cannot tell the format of ${name}: name it .json, .csv or .zip, or give the format (kaca, csv, qti)`, opts);
  try {
    if (format === 'qti') return fromPackage(zipPackage(bytes), name, opts);
    return fromText(Buffer.from(bytes).toString('utf8'), format, name, opts);
  } catch (e) {
    if (e instanceof PackageError) return failed(format, name, e.message, opts);
    throw e;
  }
}
