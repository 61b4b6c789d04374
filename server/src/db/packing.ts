import type { LogEvent } from '../domain/log-events.js';
import type { AnswerRecord, AttemptRecord, LoginRecord } from '../domain/writes.js';
import type { WriteOp } from './write-ops.js';

/**
 * The writes of every click (answers, flags, their log events, attempts, logins) cross to the
 * writer thread as tuples: structured clone copies an array of numbers and strings in well under
 * half the time of the same record as an object, and the event loop pays for that copy.
 * Everything else crosses as it is.
 */
const ANSWER = ['candidateId', 'item', 'kind', 'choice', 'optionIndex', 'clientSeq', 'serverTs', 'scoreDelta'] as const satisfies readonly (keyof AnswerRecord)[];
const ATTEMPT = ['candidateId', 'state', 'admittedAt', 'startedAt', 'durationMs', 'extensionMs', 'pausedMs', 'pausedSince', 'endedAt', 'endReason'] as const satisfies readonly (keyof AttemptRecord)[];
const LOGIN = ['candidateId', 'failedLogins', 'lockedAt', 'loginGeneration', 'sessionGeneration'] as const satisfies readonly (keyof LoginRecord)[];

type Field = string | number | boolean | null;
type Tag = 'answer' | 'attempt' | 'login' | 'log-answer' | 'log-flag';
export type PackedOp = WriteOp | [Tag, ...Field[]];

function tuple<R>(kind: 'answer' | 'attempt' | 'login', fields: readonly (keyof R)[], record: R): PackedOp {
  const t: [Tag, ...Field[]] = [kind];
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
    case 'log': {
      const e = op.event;
      if (e.type === 'answer') return ['log-answer', op.sittingId, e.t, e.reg, e.item, e.section, e.choice, e.delta, e.seq];
      if (e.type === 'flag') return ['log-flag', op.sittingId, e.t, e.reg, e.item, e.flagged, e.seq];
      return op;
    }
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
    case 'log-answer': {
      const [, sittingId, t, reg, item, section, choice, delta, seq] = p;
      const event = { type: 'answer', t, reg, item, section, choice, delta, seq } as LogEvent;
      return { kind: 'log', sittingId: sittingId as string, event };
    }
    case 'log-flag': {
      const [, sittingId, t, reg, item, flagged, seq] = p;
      const event = { type: 'flag', t, reg, item, flagged, seq } as LogEvent;
      return { kind: 'log', sittingId: sittingId as string, event };
    }
  }
}
