import { labelProblem } from '../contract/label.js';
import type { ExamTemplate } from '../contract/exam.js';
import { resolveGroup } from './groups.js';
import { NUL_MESSAGE } from './payload.js';

/**
 * A roster (one row per candidate) checked before anything is stored: every row gets every
 * problem it has, so an operator fixes the file once. Pure: the CSV is already split into cells
 * and the sitting's existing candidates come in as data.
 */

/** Column names as the layout has them, with the Indonesian headers operators also use. */
const COLUMNS = {
  registration_number: ['registration_number', 'no_peserta', 'nomor_peserta', 'nopeserta'],
  name: ['name', 'nama'],
  formation: ['formation', 'formasi'],
  group: ['group', 'kelompok'],
  extra_minutes: ['extra_minutes', 'tambahan_menit'],
  seat: ['seat', 'kursi', 'no_kursi', 'nomor_kursi'],
  photo: ['photo', 'photo_url', 'foto'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['registration_number', 'name', 'formation'];

const REGISTRATION_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;
const PHOTO_PATH = /^\/media\/[A-Za-z0-9._\-/]+$/;
const PHOTO_DATA = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;
/** a photo carried inline in the CSV: a small ID photo, not a scan */
const PHOTO_MAX_CHARS = 300_000;

export interface RosterRow {
  /** where the row starts in the file (the header is line 1) */
  line: number;
  registrationNumber: string;
  name: string;
  formation: string;
  /** as stored: the template's spelling, or the default group when the cell is empty */
  group: string;
  /** the threshold set the group means; null when the group is unknown */
  thresholdSet: string | null;
  extraMinutes: number;
  seat: string | null;
  photoUrl: string | null;
  errors: string[];
}

export interface RosterCheck {
  /** the layout's names of the columns found */
  columns: Column[];
  /** header cells outside the layout: ignored, and said so */
  ignored: string[];
  /** problems with the file as a whole (a missing column); rows are not checked then */
  problems: string[];
  rows: RosterRow[];
  valid: number;
  invalid: number;
}

export interface RosterContext {
  template: ExamTemplate;
  sittingId: string;
  room: { rows: number | null; cols: number | null };
  /** candidates already on the sitting */
  existing: { registrationNumber: string; seat: string | null }[];
  /**
   * The formations the sitting declares (its vacancies). When it declares any, every candidate's
   * formation must be one of them: a typo would otherwise rank a candidate alone, under a made-up
   * vacancy count. A sitting that declares none takes any formation.
   */
  formations: readonly string[];
}

/** The problem with a formation the sitting does not declare, naming a close spelling when there is one. */
export function undeclaredFormation(formation: string, declared: readonly string[]): string | null {
  if (declared.length === 0 || declared.includes(formation)) return null;
  const fold = (x: string) => x.toLowerCase().replace(/\s+/g, ' ');
  const near = declared.find((d) => fold(d) === fold(formation));
  const list = declared.length <= 5 ? declared.join('; ') : `${declared.slice(0, 5).join('; ')}; and ${declared.length - 5} more`;
  return `formation ${formation} is not one of the sitting's formations (${list})${near ? `: did you mean ${near}?` : ': correct the row, or add the formation to the sitting first'}`;
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Where a seat is in the room's grid (0-based row and column), or an error. A seat is a number
 * in reading order (1 is the first seat of the first row) or "row-column", the row as a number
 * or a letter (A = 1): "12", "3-4", "C-4".
 */
export function seatPosition(seat: string, rows: number, cols: number): { row: number; col: number } | string {
  const n = /^\d+$/.test(seat) ? Number(seat) : null;
  if (n !== null) {
    if (n < 1 || n > rows * cols) return `seat ${seat} is outside the room (seats 1-${rows * cols}, ${rows} rows of ${cols})`;
    return { row: Math.floor((n - 1) / cols), col: (n - 1) % cols };
  }
  const m = /^([A-Za-z]|\d+)\s*[-.]\s*(\d+)$/.exec(seat);
  if (!m) return `seat ${seat}: write a number (1-${rows * cols}) or row-column ("3-4", "C-4")`;
  const row = /\d/.test(m[1]) ? Number(m[1]) : m[1].toUpperCase().charCodeAt(0) - 64;
  const col = Number(m[2]);
  if (row < 1 || row > rows || col < 1 || col > cols) return `seat ${seat} is outside the room (${rows} rows of ${cols})`;
  return { row: row - 1, col: col - 1 };
}

function seatKey(seat: string, room: RosterContext['room']): string {
  if (room.rows && room.cols) {
    const p = seatPosition(seat, room.rows, room.cols);
    if (typeof p !== 'string') return `${p.row}:${p.col}`;
  }
  return seat.toUpperCase();
}

/** One row as written: every cell a trimmed string ('' when empty or absent). */
export interface RawRosterRow {
  line: number;
  registrationNumber: string;
  name: string;
  formation: string;
  group: string;
  extraMinutes: string;
  seat: string;
  photo: string;
}

/** Checks a CSV roster: `cells[0]` is the header, `lines[i]` the line where row i starts. */
export function checkRoster(cells: string[][], lines: number[], ctx: RosterContext): RosterCheck {
  const header = (cells[0] ?? []).map(norm);
  const at = new Map<Column, number>();
  const problems: string[] = [];
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const col = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(h));
    if (!col) {
      if (h !== '') ignored.push(cells[0][i].trim());
    } else if (at.has(col)) problems.push(`column ${col} appears twice (${cells[0][at.get(col)!].trim()}, ${cells[0][i].trim()})`);
    else at.set(col, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (cells.length === 0) problems.push('the file is empty: give a header row and one row per candidate');
  else if (missing.length) problems.push(`missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (the header has: ${header.filter(Boolean).join(', ') || 'nothing'})`);
  const columns = [...at.keys()];
  if (problems.length) return { columns, ignored, problems, rows: [], valid: 0, invalid: 0 };
  const raw: RawRosterRow[] = [];
  cells.slice(1).forEach((r, i) => {
    if (r.every((c) => c.trim() === '')) return;
    const get = (c: Column) => (at.has(c) ? (r[at.get(c)!] ?? '').trim() : '');
    raw.push({ line: lines[i + 1] ?? i + 2, registrationNumber: get('registration_number'), name: get('name'), formation: get('formation'), group: get('group'), extraMinutes: get('extra_minutes'), seat: get('seat'), photo: get('photo') });
  });
  return { columns, ignored, ...checkRosterRows(raw, ctx) };
}

/** The rules every roster row must meet, whatever it came from (a CSV, the demo, a test). */
export function checkRosterRows(raw: RawRosterRow[], ctx: RosterContext): Pick<RosterCheck, 'problems' | 'rows' | 'valid' | 'invalid'> {
  const problems: string[] = [];
  const existingRegs = new Set(ctx.existing.map((c) => c.registrationNumber));
  // numbers that differ only in letter case are one number to the people who read cards and call names
  const folded = new Map<string, string>();
  for (const c of ctx.existing) folded.set(c.registrationNumber.toUpperCase(), `${c.registrationNumber} (already on the sitting)`);
  const seatsTaken = new Map<string, string>();
  for (const c of ctx.existing) if (c.seat) seatsTaken.set(seatKey(c.seat, ctx.room), `${c.registrationNumber} (already on the sitting)`);
  const regLines = new Map<string, number>();
  /** lines whose seat is a place in the room */
  const placed = new Set<number>();
  const rows: RosterRow[] = raw.map((r) => {
    const { line } = r;
    const errors: string[] = [];
    for (const [field, v] of Object.entries(r)) if (typeof v === 'string' && v.includes('\u0000')) errors.push(`${field}: ${NUL_MESSAGE}`);
    // what people read in lists, on the board and in printed reports stays on one line and reads as written
    for (const field of ['name', 'formation', 'seat'] as const) {
      const problem = r[field].includes('\u0000') ? null : labelProblem(r[field]);
      if (problem) errors.push(`${field}: ${problem}`);
    }
    const reg = r.registrationNumber;
    if (reg === '') errors.push('registration number is empty');
    else if (!REGISTRATION_PATTERN.test(reg)) errors.push(`registration number ${reg}: use 1-40 characters A-Z a-z 0-9 . _ -`);
    else if (regLines.has(reg)) errors.push(`registration number ${reg} is also on line ${regLines.get(reg)}`);
    else if (existingRegs.has(reg)) errors.push(`${reg} is already on sitting ${ctx.sittingId}`);
    // (the same number again was caught above: what is left differs in case alone)
    else if (folded.has(reg.toUpperCase())) errors.push(`registration number ${reg} differs from ${folded.get(reg.toUpperCase())} only in letter case`);
    if (reg !== '' && !regLines.has(reg)) regLines.set(reg, line);
    if (reg !== '' && !folded.has(reg.toUpperCase())) folded.set(reg.toUpperCase(), `${reg} (line ${line})`);
    const { name, formation } = r;
    if (name === '') errors.push('name is empty');
    else if (name.length > 200) errors.push('name is longer than 200 characters');
    if (formation === '') errors.push('formation is empty');
    else if (formation.length > 200) errors.push('formation is longer than 200 characters');
    else {
      const undeclared = undeclaredFormation(formation, ctx.formations);
      if (undeclared) errors.push(undeclared);
    }
    const group = resolveGroup(ctx.template, r.group);
    if (!group.ok) errors.push(group.message);
    const extra = r.extraMinutes === '' ? 0 : Number(r.extraMinutes);
    if (!Number.isInteger(extra) || extra < 0 || extra > 600) errors.push(`extra minutes ${r.extraMinutes}: give a whole number from 0 to 600`);
    const seat = r.seat || null;
    if (seat !== null) {
      const place = ctx.room.rows && ctx.room.cols ? seatPosition(seat, ctx.room.rows, ctx.room.cols) : null;
      if (seat.length > 20) errors.push('seat is longer than 20 characters');
      else if (typeof place === 'string') errors.push(place);
      else {
        placed.add(line);
        const key = seatKey(seat, ctx.room);
        const holder = seatsTaken.get(key);
        if (holder) errors.push(`seat ${seat} is also given to ${holder}`);
        else seatsTaken.set(key, `${reg || '?'} (line ${line})`);
      }
    }
    const photo = r.photo || null;
    if (photo !== null) {
      if (photo.length > PHOTO_MAX_CHARS) errors.push(`the photo is too large (${Math.round(photo.length / 1024)} KB; at most ${PHOTO_MAX_CHARS / 1000} KB as a data: URI)`);
      else if (!PHOTO_PATH.test(photo) && !PHOTO_DATA.test(photo)) errors.push('photo: give a path under /media/ (a file in DATA_DIR/media) or a data:image/png|jpeg|webp;base64 URI');
    }
    return {
      line,
      registrationNumber: reg,
      name,
      formation,
      group: group.ok ? group.choice.group : r.group,
      thresholdSet: group.ok ? group.choice.thresholdSet : null,
      extraMinutes: Number.isInteger(extra) ? extra : 0,
      seat,
      photoUrl: photo,
      errors,
    };
  });
  if (rows.length === 0) problems.push('no candidates: give one row per candidate under the header');
  // the first of two rows with one number (or one seat) is as wrong as the second: an operator
  // who fixes only the row flagged would otherwise keep the wrong one
  const later = (key: (r: RosterRow) => string | null) => {
    const groups = new Map<string, RosterRow[]>();
    for (const row of rows) {
      const k = key(row);
      if (k === null) continue;
      const group = groups.get(k);
      if (group) group.push(row);
      else groups.set(k, [row]);
    }
    return [...groups.values()].filter((g) => g.length > 1);
  };
  const lines = (g: RosterRow[]) => `line${g.length > 2 ? 's' : ''} ${g.slice(1).map((r) => r.line).join(', ')}`;
  for (const g of later((r) => (REGISTRATION_PATTERN.test(r.registrationNumber) ? r.registrationNumber : null))) g[0].errors.push(`registration number ${g[0].registrationNumber} is also on ${lines(g)}`);
  // seats that are places in the room, by the room's key
  for (const g of later((r) => (r.seat !== null && placed.has(r.line) ? seatKey(r.seat, ctx.room) : null))) {
    g[0].errors.push(`seat ${g[0].seat} is also given to ${g.slice(1).map((r) => `${r.registrationNumber || '?'} (line ${r.line})`).join(', ')}`);
  }
  const invalid = rows.filter((r) => r.errors.length > 0).length;
  return { problems, rows, valid: rows.length - invalid, invalid };
}
