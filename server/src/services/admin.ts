import { ExamTemplateSchema, SKD_TEMPLATE, type ExamTemplate } from '../contract/exam.js';
import { CandidateInputSchema, CreateSittingSchema, type AccountInput, type CandidateInput } from '../contract/admin.js';
import { ErrorCode } from '../contract/errors.js';
import { parseBank, type ParsedBank } from '../domain/bank.js';
import type { SittingStatus } from '../domain/catalog.js';
import { prepareDeal } from '../domain/deal.js';
import { KacaError } from '../domain/errors.js';
import { logged, sittingOpenEvent } from '../domain/log-events.js';
import { roundAt, roundTime } from '../domain/verify/beacon.js';
import type { AuditRecord, Write } from '../domain/writes.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import { parseCsv } from './csv.js';
import { generatePin, hashPassword, hashPin, randomId } from './secrets.js';
import type { KacaStore } from './store.js';

const BUILT_IN_TEMPLATES = [SKD_TEMPLATE];

/**
 * What admins create: banks, templates, sittings, rosters and accounts. Checked here, read from
 * the store's repositories, and written through its writer like every other write.
 */

export async function importBank(store: KacaStore, doc: unknown | ParsedBank, now: number, template?: ExamTemplate): Promise<{ id: string; questions: number; sections: Record<string, number> }> {
  const bank = isParsed(doc) ? doc : parseBank(doc, template);
  if (store.repos.banks.exists(bank.id)) throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists; import it under a new id`);
  await store.writer.submit([{ kind: 'bank', bank, createdAt: now }]);
  const sections: Record<string, number> = {};
  for (const q of bank.questions) sections[q.section] = (sections[q.section] ?? 0) + 1;
  return { id: bank.id, questions: bank.questions.length, sections };
}
function isParsed(doc: unknown): doc is ParsedBank {
  return typeof doc === 'object' && doc !== null && !('format' in doc) && Array.isArray((doc as ParsedBank).questions);
}

function invalid(what: string, issues: { path: PropertyKey[]; message: string }[]): KacaError {
  return new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`, issues);
}

export async function createTemplate(store: KacaStore, input: unknown, now: number): Promise<ExamTemplate> {
  const parsed = ExamTemplateSchema.safeParse(input);
  if (!parsed.success) throw invalid('exam template', parsed.error.issues);
  if (store.repos.templates.get(parsed.data.id)) throw new KacaError(ErrorCode.CONFLICT, `template ${parsed.data.id} already exists`);
  await store.writer.submit([{ kind: 'template', template: parsed.data, createdAt: now }]);
  return parsed.data;
}

export async function ensureTemplate(store: KacaStore, template: ExamTemplate, now: number): Promise<void> {
  if (!store.repos.templates.get(template.id)) await store.writer.submit([{ kind: 'template', template, createdAt: now }]);
}

/** The built-in templates (SKD): in every database, demo or not. */
export async function ensureBuiltIns(store: KacaStore, now: number): Promise<void> {
  for (const t of BUILT_IN_TEMPLATES) await ensureTemplate(store, t, now);
}

export async function createSitting(store: KacaStore, input: unknown, now: number, defaults: { tokenIntervalMinutes: number }, seeded?: { status: SittingStatus }): Promise<SittingRow> {
  const { repos } = store;
  const parsed = CreateSittingSchema.safeParse(input);
  if (!parsed.success) throw invalid('sitting', parsed.error.issues);
  const s = parsed.data;
  if (repos.sittings.get(s.id)) throw new KacaError(ErrorCode.CONFLICT, `sitting ${s.id} already exists`);
  const template = repos.templates.get(s.templateId);
  if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${s.templateId}`);
  if (!repos.banks.exists(s.bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${s.bankId}`);
  // Fail now, not at the first login, when the bank cannot fill the template.
  prepareDeal(repos.banks.questions(s.bankId), template);
  // a seeded sitting (demo, tests, benchmarks) may start out open or running
  const status = seeded?.status ?? 'scheduled';
  if (status === 'running' && s.beaconRound !== undefined) throw new KacaError(ErrorCode.BAD_REQUEST, 'a sitting with a beacon round starts only once its value is entered');
  // a round already out would let whoever creates the sitting try seeds against its known value
  if (s.beaconRound !== undefined && roundTime(s.beaconRound) <= now) {
    throw new KacaError(ErrorCode.BAD_REQUEST, `beacon round ${s.beaconRound} was published at ${new Date(roundTime(s.beaconRound)).toISOString()}: name a round still to come (round ${roundAt(now + 60_000)} or later), published before the start`);
  }
  const seed = s.seed ?? randomId(16);
  await store.writer.submit([
    {
      kind: 'sitting',
      row: {
        id: s.id,
        name: s.name,
        templateId: s.templateId,
        bankId: s.bankId,
        site: s.site,
        room: s.room,
        scheduledStart: typeof s.scheduledStart === 'number' ? s.scheduledStart : Date.parse(s.scheduledStart),
        seed,
        status,
        requireToken: s.requireToken,
        requireAdmission: s.requireAdmission,
        practice: s.practice,
        revealPolicy: s.revealPolicy,
        roomRows: s.roomRows ?? null,
        roomCols: s.roomCols ?? null,
        timezone: s.timezone,
        beaconRound: s.beaconRound ?? null,
        tokenSecret: randomId(24),
        tokenIntervalSec: Math.round((s.tokenIntervalMinutes ?? defaults.tokenIntervalMinutes) * 60),
        vacancies: s.vacancies,
        createdAt: now,
        openedAt: status === 'scheduled' ? null : now,
        startedAt: status === 'running' ? now : null,
      },
    },
    // a sitting that starts out open has its log opened with it (docs/verifiability.md)
    ...(status === 'scheduled' ? [] : seededLog(store, { id: s.id, seed, beaconRound: s.beaconRound ?? null, templateId: s.templateId, bankId: s.bankId }, status, now)),
  ]);
  return repos.sittings.get(s.id)!;
}

function seededLog(store: KacaStore, s: { id: string; seed: string; beaconRound: number | null; templateId: string; bankId: string }, status: SittingStatus, now: number): Write[] {
  const open = logged(s.id, sittingOpenEvent(s, store.catalog.forSitting(s), now));
  return status === 'running' ? [open, logged(s.id, { type: 'sitting-start', t: now })] : [open];
}

export interface IssuedPin {
  registrationNumber: string;
  name: string;
  pin: string;
}

/** Adds candidates to a sitting with fresh PINs; the PINs are returned once and stored only hashed. */
export async function addCandidates(store: KacaStore, sittingId: string, inputs: CandidateInput[], pepper: string, now: number, pins?: (c: CandidateInput) => string): Promise<IssuedPin[]> {
  const { repos } = store;
  if (!repos.sittings.get(sittingId)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  const seen = new Set<string>();
  const problems: string[] = [];
  inputs.forEach((c, i) => {
    if (seen.has(c.registrationNumber)) problems.push(`row ${i + 1}: registration number ${c.registrationNumber} appears twice`);
    else if (repos.candidates.byRegistration(sittingId, c.registrationNumber)) problems.push(`row ${i + 1}: ${c.registrationNumber} is already in sitting ${sittingId}`);
    seen.add(c.registrationNumber);
  });
  if (problems.length) throw new KacaError(ErrorCode.CONFLICT, problems.slice(0, 20).join('; '), problems);
  const issued: IssuedPin[] = [];
  const rows = inputs.map((c) => {
    const pin = pins ? pins(c) : generatePin();
    issued.push({ registrationNumber: c.registrationNumber, name: c.name, pin });
    return { sittingId, registrationNumber: c.registrationNumber, name: c.name, formation: c.formation, groupName: c.group, extraMinutes: c.extraMinutes, photoUrl: c.photoUrl ?? null, seat: c.seat ?? null, pinHash: hashPin(pin, pepper), createdAt: now };
  });
  await store.writer.submit([{ kind: 'candidates', rows }]);
  return issued;
}

const CSV_COLUMNS = ['registration_number', 'name', 'formation', 'group'] as const;

/**
 * Candidate CSV: a header row naming at least registration_number, name, formation; optional
 * group (default umum), extra_minutes, seat. Every bad row is reported; nothing is stored then.
 */
export function parseCandidateCsv(text: string): CandidateInput[] {
  const rows = parseCsv(text);
  if (rows.length < 2) throw new KacaError(ErrorCode.BAD_REQUEST, 'candidate CSV needs a header row and at least one candidate');
  const header = rows[0].map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const missing = CSV_COLUMNS.slice(0, 3).filter((c) => !header.includes(c));
  if (missing.length) throw new KacaError(ErrorCode.BAD_REQUEST, `candidate CSV is missing column(s): ${missing.join(', ')} (header: ${header.join(', ')})`);
  const col = (name: string) => header.indexOf(name);
  const problems: string[] = [];
  const out: CandidateInput[] = [];
  rows.slice(1).forEach((r, i) => {
    const get = (name: string) => (col(name) >= 0 ? (r[col(name)] ?? '').trim() : undefined);
    const extra = get('extra_minutes');
    const seat = get('seat');
    const parsed = CandidateInputSchema.safeParse({
      registrationNumber: get('registration_number'),
      name: get('name'),
      formation: get('formation'),
      group: get('group') || undefined,
      extraMinutes: extra ? Number(extra) : undefined,
      seat: seat || undefined,
    });
    if (parsed.success) out.push(parsed.data);
    else problems.push(`line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join(', ')}`);
  });
  if (problems.length) throw new KacaError(ErrorCode.BAD_REQUEST, `candidate CSV has ${problems.length} bad row(s): ${problems.slice(0, 20).join('; ')}`, problems);
  return out;
}

export async function createAccount(store: KacaStore, input: AccountInput, now: number): Promise<{ id: number; username: string; displayName: string; role: 'admin' | 'proctor' }> {
  const { repos } = store;
  if (repos.accounts.byUsername(input.username)) throw new KacaError(ErrorCode.CONFLICT, `account ${input.username} already exists`);
  for (const s of input.sittings) if (!repos.sittings.get(s)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${s}`);
  const row = { username: input.username, displayName: input.displayName, passwordHash: await hashPassword(input.password), role: input.role, createdAt: now };
  const [id] = (await store.writer.submit([{ kind: 'account', row, sittings: input.sittings }])) as number[];
  return { id, username: row.username, displayName: row.displayName, role: row.role };
}

/** An admin's action outside any candidate's attempt, for the audit log. */
export function adminAudit(actor: { id: number; displayName: string; role: string }, at: number, action: string, reason: string, details: unknown, sittingId: string | null = null): AuditRecord {
  return { at, actorId: actor.id, actorName: actor.displayName, actorRole: actor.role, sittingId, candidateId: null, action, reason, details };
}
