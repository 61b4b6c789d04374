import { parse } from 'csv-parse/sync';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a BOM) into rows of strings. */
export function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new KacaError(ErrorCode.BAD_REQUEST, `the CSV cannot be read: ${(err as Error).message}`);
  }
}

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet: neutralise it.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
