import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBank, type ParsedBank } from '../server/src/domain/bank.js';
import type { ExamTemplate } from '../server/src/contract/exam.js';
import { KacaError } from '../server/src/domain/errors.js';
import { ErrorCode } from '../server/src/contract/errors.js';

export const DEMO_FILES = ['twk.json', 'tiu.json', 'tkp.json'].map((f) => fileURLToPath(new URL(`./demo/${f}`, import.meta.url)));

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

export const PRACTICE_FILE = fileURLToPath(new URL('./practice.json', import.meta.url));

/** The practice round's sample questions (unscored). */
export function practiceBank(): ParsedBank {
  return readBankFile(PRACTICE_FILE);
}
