import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../server/src/paths.js';
import { parseBank, type ParsedBank } from '../server/src/domain/bank.js';
import type { ExamTemplate } from '../server/src/contract/exam.js';
import { KacaError } from '../server/src/domain/errors.js';
import { ErrorCode } from '../server/src/contract/errors.js';

// found from the project folder: this module also runs from the compiled bundle in dist/
export const DEMO_FILES = ['twk.json', 'tiu.json', 'tkp.json'].map((f) => join(ROOT, 'question-bank', 'demo', f));

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KacaError(ErrorCode.NOT_FOUND, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new KacaError(ErrorCode.BANK_INVALID, `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads and validates one kaca-bank@1 file. */
export function readBankFile(path: string, template?: ExamTemplate): ParsedBank {
  return parseBank(readJsonFile(path), template);
}

/** The demo SKD bank: the three section files of question-bank/demo as one bank. */
export function demoBank(template?: ExamTemplate): ParsedBank {
  const parts = DEMO_FILES.map((f) => readBankFile(f, template));
  return { id: 'demo-skd', title: 'Bank soal demo SKD (Kaca)', language: 'id', questions: parts.flatMap((p) => p.questions) };
}

export const PRACTICE_FILE = join(ROOT, 'question-bank', 'practice.json');

/** The practice round's sample questions (unscored). */
export function practiceBank(): ParsedBank {
  return readBankFile(PRACTICE_FILE);
}
