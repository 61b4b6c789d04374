import { parse } from 'csv-parse/sync';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a BOM) into rows of strings, with the
 * line each row starts on (quoted cells may hold line breaks, so rows and lines differ).
 */
export function parseCsvLines(text: string): { rows: string[][]; lines: number[] } {
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof parsed;
  } catch (err) {
    throw new KacaError(ErrorCode.BAD_REQUEST, `the CSV cannot be read: ${(err as Error).message}`);
  }
  // csv-parse reports where each record ends, in bytes: count line feeds up to where the next begins
  const bytes = Buffer.from(text, 'utf8');
  const lines: number[] = [];
  let at = 0;
  let line = 1;
  for (const r of parsed) {
    while (at < bytes.length && (bytes[at] === 0x0a || bytes[at] === 0x0d || (at === 0 && bytes[0] === 0xef))) {
      if (bytes[at] === 0xef) at += 2;
      else if (bytes[at] === 0x0a) line++;
      at++;
    }
    lines.push(line);
    for (; at < r.info.bytes && at < bytes.length; at++) if (bytes[at] === 0x0a) line++;
  }
  return { rows: parsed.map((r) => r.record), lines };
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
