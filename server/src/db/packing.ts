import type { AnswerRecord, AttemptRecord, LoginRecord } from '../domain/writes.js';
import type { WriteOp } from './write-ops.js';

/**
 * The writes of every click (answers, flags, attempts, logins) cross to the writer thread as
 * tuples: structured clone copies an array of numbers and strings in well under half the time of
 * the same record as an object, and the event loop pays for that copy. Everything else crosses as
 * it is.
 */
const ANSWER = ['candidateId', 'item', 'kind', 'choice', 'optionIndex', 'clientSeq', 'serverTs', 'scoreDelta'] as const satisfies readonly (keyof AnswerRecord)[];
const ATTEMPT = ['candidateId', 'state', 'admittedAt', 'startedAt', 'durationMs', 'extensionMs', 'pausedMs', 'pausedSince', 'endedAt', 'endReason'] as const satisfies readonly (keyof AttemptRecord)[];
const LOGIN = ['candidateId', 'failedLogins', 'lockedAt', 'loginGeneration', 'sessionGeneration'] as const satisfies readonly (keyof LoginRecord)[];

type Field = string | number | null;
export type PackedOp = WriteOp | ['answer' | 'attempt' | 'login', ...Field[]];

function tuple<R>(kind: 'answer' | 'attempt' | 'login', fields: readonly (keyof R)[], record: R): PackedOp {
  const t: ['answer' | 'attempt' | 'login', ...Field[]] = [kind];
  for (const f of fields) t.push(record[f] as Field);
  return t;
}

function record<R>(fields: readonly (keyof R)[], t: readonly Field[]): R {
  const r = {} as Record<keyof R, Field>;
  fields.forEach((f, i) => (r[f] = t[i + 1]));
  return r as R;
}

export function pack(op: WriteOp): PackedOp {
  switch (op.kind) {
    case 'answer':
      return tuple<AnswerRecord>('answer', ANSWER, op.record);
    case 'attempt':
      return tuple<AttemptRecord>('attempt', ATTEMPT, op.record);
    case 'login':
      return tuple<LoginRecord>('login', LOGIN, op.record);
    default:
      return op;
  }
}

export function unpack(p: PackedOp): WriteOp {
  if (!Array.isArray(p)) return p;
  switch (p[0]) {
    case 'answer':
      return { kind: 'answer', record: record<AnswerRecord>(ANSWER, p) };
    case 'attempt':
      return { kind: 'attempt', record: record<AttemptRecord>(ATTEMPT, p) };
    case 'login':
      return { kind: 'login', record: record<LoginRecord>(LOGIN, p) };
  }
}
