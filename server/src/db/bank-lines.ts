import type { Question } from '../contract/question.js';
import type { ParsedBank } from '../domain/bank.js';

/**
 * A bank as it crosses from the bank thread to the writer thread (WriteOp 'bank-encoded'): UTF-8
 * lines in a SharedArrayBuffer, the bank's id, title and language first, then one question per
 * line (JSON never holds a raw line break, so a line feed always ends a line). The writer reads
 * it a line at a time: a 50 MB bank never stands in its heap as one string or one object tree,
 * so it leaves garbage that dies young instead of hundreds of MB to collect.
 */
export function encodeBankLines(bank: ParsedBank): Uint8Array {
  const lines = [JSON.stringify({ id: bank.id, title: bank.title, language: bank.language }), ...bank.questions.map((q) => JSON.stringify(q))];
  const size = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const out = new Uint8Array(new SharedArrayBuffer(size));
  let at = 0;
  for (const l of lines) {
    at += Buffer.from(out.buffer, out.byteOffset + at, size - at).write(l);
    out[at++] = 0x0a;
  }
  return out;
}

export function* decodeBankLines(bytes: Uint8Array): Generator<{ head: Omit<ParsedBank, 'questions'> } | { question: Question }> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let first = true;
  while (start < buf.length) {
    const end = buf.indexOf(0x0a, start);
    const line = buf.toString('utf8', start, end < 0 ? buf.length : end);
    start = end < 0 ? buf.length : end + 1;
    if (first) yield { head: JSON.parse(line) as Omit<ParsedBank, 'questions'> };
    else yield { question: JSON.parse(line) as Question };
    first = false;
  }
}
