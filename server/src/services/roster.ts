import { CandidateInputSchema, type CandidateInput } from '../contract/admin.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { checkRoster, checkRosterRows, type RosterCheck, type RosterContext, type RosterRow } from '../domain/roster.js';
import type { ExamEngine } from '../engine/engine.js';
import { audit, type Actor } from './admin-audit.js';
import { parseCsvLines } from './csv.js';
import { generatePin, hashPin } from './secrets.js';
import type { KacaStore } from './store.js';

/**
 * Rosters: candidates added to a sitting from a CSV (or, for the demo and tests, from a list),
 * each with a fresh PIN that is returned once and stored only as an HMAC. Every row is checked by
 * domain/roster.ts first; nothing is stored unless every row is right.
 */

export interface IssuedPin {
  id: number;
  registrationNumber: string;
  name: string;
  formation: string;
  group: string;
  seat: string | null;
  photoUrl: string | null;
  pin: string;
}

function context(store: KacaStore, sittingId: string): RosterContext {
  const s = store.repos.sittings.get(sittingId);
  if (!s) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  if (s.status === 'closed') throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${sittingId} is closed: candidates can no longer be added`);
  const template = store.repos.templates.get(s.templateId);
  if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${s.templateId}`);
  const existing = store.repos.candidates.listBySitting(sittingId).map((c) => ({ registrationNumber: c.registrationNumber, seat: c.seat }));
  return { template, sittingId, room: { rows: s.roomRows, cols: s.roomCols }, existing, formations: Object.keys(s.vacancies) };
}

/** What a CSV would add: every row with every problem it has. Stores nothing. */
export function previewRoster(store: KacaStore, sittingId: string, csv: string): RosterCheck {
  const { rows, lines } = parseCsvLines(csv);
  return checkRoster(rows, lines, context(store, sittingId));
}

function refuse(check: Pick<RosterCheck, 'problems' | 'rows' | 'invalid'>, details: unknown): never {
  const first = check.problems[0] ?? check.rows.filter((r) => r.errors.length).slice(0, 3).map((r) => `line ${r.line}: ${r.errors.join('; ')}`).join(' | ');
  const what = check.problems.length ? 'the roster cannot be read' : `${check.invalid} row${check.invalid === 1 ? ' has' : 's have'} errors`;
  throw new KacaError(ErrorCode.BAD_REQUEST, `${what}; nothing was stored: ${first}`, details);
}

async function insert(kaca: KacaStore, sittingId: string, rows: RosterRow[], pepper: string, now: number, pins: (r: RosterRow) => string, actor?: Actor): Promise<IssuedPin[]> {
  const issued = rows.map((row) => ({ row, pin: pins(row) }));
  await kaca.writer.submit([
    {
      kind: 'candidates',
      rows: issued.map(({ row: r, pin }) => ({ sittingId, registrationNumber: r.registrationNumber, name: r.name, formation: r.formation, groupName: r.group, extraMinutes: r.extraMinutes, photoUrl: r.photoUrl, seat: r.seat, pinHash: hashPin(pin, pepper), createdAt: now })),
    },
    ...(actor ? [audit(actor, now, 'candidates-import', 'candidate roster imported', { count: rows.length }, sittingId)] : []),
  ]);
  const ids = new Map(kaca.repos.candidates.listBySitting(sittingId).map((c) => [c.registrationNumber, c.id]));
  return issued.map(({ row: r, pin }) => ({ id: ids.get(r.registrationNumber)!, registrationNumber: r.registrationNumber, name: r.name, formation: r.formation, group: r.group, seat: r.seat, photoUrl: r.photoUrl, pin }));
}

/**
 * Imports a CSV roster: all or nothing; BAD_REQUEST with the whole check as details when any row
 * is wrong. The new candidates then appear on consoles and boards (and get papers if it is open).
 */
export async function importRoster(engine: ExamEngine, sittingId: string, csv: string, now: number, actor: Actor): Promise<IssuedPin[]> {
  const check = previewRoster(engine.store, sittingId, csv);
  if (check.problems.length || check.invalid > 0) refuse(check, check);
  const issued = await insert(engine.store, sittingId, check.rows, engine.store.secret, now, () => generatePin(), actor);
  // the candidates are stored: their PINs are shown whatever happens next (with several nodes the
  // node that runs the sitting may be unreachable for a moment; it reads them at its next load)
  await engine.sittings.rosterChanged(sittingId).catch((err: unknown) => {
    if (!(err instanceof KacaError && err.code === ErrorCode.UNAVAILABLE)) throw err;
  });
  return issued;
}

/**
 * Adds candidates given as data (the demo, tests, benchmarks), under the same rules as a CSV
 * roster. Before the server runs: a running server learns of a roster through importRoster.
 */
export async function addCandidates(kaca: KacaStore, sittingId: string, inputs: CandidateInput[], pepper: string, now: number, pins: (c: CandidateInput) => string = () => generatePin()): Promise<IssuedPin[]> {
  const parsed = inputs.map((c) => CandidateInputSchema.parse(c));
  const checked = checkRosterRows(
    parsed.map((c, i) => ({ line: i + 1, registrationNumber: c.registrationNumber, name: c.name, formation: c.formation, group: c.group ?? '', extraMinutes: String(c.extraMinutes), seat: c.seat ?? '', photo: c.photoUrl ?? '' })),
    context(kaca, sittingId),
  );
  if (checked.problems.length || checked.invalid > 0) refuse(checked, checked.rows.filter((r) => r.errors.length));
  return insert(kaca, sittingId, checked.rows, pepper, now, (r) => pins(inputs[r.line - 1]));
}
