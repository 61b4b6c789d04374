import { basename, extname } from 'node:path';
import type { BankProblem, BankSourceInfo } from '../server/src/domain/bank.js';

/** A kaca-bank@1 document made by a format reader, with what the reader knows about it. */
export interface BankDraft {
  doc: { format: 'kaca-bank@1'; id: string; title: string; language: string; questions: unknown[] };
  info: BankSourceInfo;
}

const DIFFICULTY_ALIASES: Record<string, string> = { mudah: 'easy', sedang: 'medium', sulit: 'hard', sukar: 'hard', difficult: 'hard' };

/** easy/medium/hard as written in spreadsheets and metadata, Indonesian words included. */
export function normalizeDifficulty(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (!v) return undefined;
  return DIFFICULTY_ALIASES[v] ?? v;
}

/** A bank id from a file name: "Bank SKD 2024.csv" -> "Bank-SKD-2024". */
export function idFromPath(path: string): string {
  const stem = basename(path, extname(path)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (stem || 'bank').slice(0, 64);
}

export function sourceProblem(message: string, field = '', location?: string): BankProblem {
  return { code: 'source', questionId: null, index: null, field, message, ...(location ? { location } : {}) };
}
