import { ExamTemplateSchema, type ExamTemplate, type ExamTemplateInput } from '../contract/exam.js';
import { CandidateInputSchema, CreateSittingSchema, type AccountInput, type CandidateInput } from '../contract/admin.js';
import { ErrorCode } from '../contract/errors.js';
import { parseBank, type ParsedBank } from '../domain/bank.js';
import { prepareDeal } from '../domain/deal.js';
import { KacaError } from '../domain/errors.js';
import type { Repositories } from '../db/repositories/index.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import { parseCsv } from './csv.js';
import { generatePin, hashPasswordSync, hashPin, randomId } from './secrets.js';

export function importBank(repos: Repositories, doc: unknown | ParsedBank, now: number, template?: ExamTemplate): { id: string; questions: number; sections: Record<string, number> } {
  const bank = isParsed(doc) ? doc : parseBank(doc, template);
  repos.banks.insert(bank, now);
  const sections: Record<string, number> = {};
  for (const q of bank.questions) sections[q.section] = (sections[q.section] ?? 0) + 1;
  return { id: bank.id, questions: bank.questions.length, sections };
}
function isParsed(doc: unknown): doc is ParsedBank {
  return typeof doc === 'object' && doc !== null && !('format' in doc) && Array.isArray((doc as ParsedBank).questions);
}

export function createTemplate(repos: Repositories, input: ExamTemplateInput | unknown, now: number): ExamTemplate {
  const parsed = ExamTemplateSchema.safeParse(input);
  if (!parsed.success) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid exam template: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, parsed.error.issues);
  if (repos.templates.get(parsed.data.id)) throw new KacaError(ErrorCode.CONFLICT, `template ${parsed.data.id} already exists`);
  repos.templates.insert(parsed.data, now);
  return parsed.data;
}

export function createSitting(repos: Repositories, input: unknown, now: number, defaults: { tokenIntervalMinutes: number }): SittingRow {
  const parsed = CreateSittingSchema.safeParse(input);
  if (!parsed.success) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid sitting: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, parsed.error.issues);
  const s = parsed.data;
  if (repos.sittings.get(s.id)) throw new KacaError(ErrorCode.CONFLICT, `sitting ${s.id} already exists`);
  const template = repos.templates.get(s.templateId);
  if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${s.templateId}`);
  if (!repos.banks.exists(s.bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${s.bankId}`);
  // Fail now, not at the first login, when the bank cannot fill the template.
  prepareDeal(repos.banks.questions(s.bankId), template);
  const row = {
    id: s.id,
    name: s.name,
    templateId: s.templateId,
    bankId: s.bankId,
    site: s.site,
    room: s.room,
    scheduledStart: typeof s.scheduledStart === 'number' ? s.scheduledStart : Date.parse(s.scheduledStart),
    seed: s.seed ?? randomId(16),
    status: 'scheduled',
    requireToken: s.requireToken,
    requireAdmission: s.requireAdmission,
    practice: s.practice,
    tokenSecret: randomId(24),
    tokenIntervalSec: Math.round((s.tokenIntervalMinutes ?? defaults.tokenIntervalMinutes) * 60),
    vacancies: JSON.stringify(s.vacancies),
    createdAt: now,
  };
  repos.sittings.insert(row);
  return repos.sittings.get(s.id)!;
}

export interface IssuedPin {
  registrationNumber: string;
  name: string;
  pin: string;
}

/** Adds candidates to a sitting with fresh PINs; the PINs are returned once and stored only hashed. */
export function addCandidates(repos: Repositories, sittingId: string, inputs: CandidateInput[], pepper: string, now: number, pins?: (c: CandidateInput) => string): IssuedPin[] {
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
    return {
      sittingId,
      registrationNumber: c.registrationNumber,
      name: c.name,
      formation: c.formation,
      groupName: c.group,
      extraMinutes: c.extraMinutes,
      photoUrl: c.photoUrl ?? null,
      pinHash: hashPin(pin, pepper),
      createdAt: now,
    };
  });
  repos.candidates.insertMany(rows);
  return issued;
}

const CSV_COLUMNS = ['registration_number', 'name', 'formation', 'group'] as const;

/**
 * Candidate CSV: a header row naming at least registration_number, name, formation; optional
 * group (default umum), extra_minutes. Every bad row is reported; nothing is stored then.
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
    const parsed = CandidateInputSchema.safeParse({
      registrationNumber: get('registration_number'),
      name: get('name'),
      formation: get('formation'),
      group: get('group') || undefined,
      extraMinutes: extra ? Number(extra) : undefined,
    });
    if (parsed.success) out.push(parsed.data);
    else problems.push(`line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join(', ')}`);
  });
  if (problems.length) throw new KacaError(ErrorCode.BAD_REQUEST, `candidate CSV has ${problems.length} bad row(s): ${problems.slice(0, 20).join('; ')}`, problems);
  return out;
}

export function createAccount(repos: Repositories, input: AccountInput, now: number) {
  if (repos.accounts.byUsername(input.username)) throw new KacaError(ErrorCode.CONFLICT, `account ${input.username} already exists`);
  for (const s of input.sittings) if (!repos.sittings.get(s)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${s}`);
  const account = repos.accounts.insert({
    username: input.username,
    displayName: input.displayName,
    passwordHash: hashPasswordSync(input.password),
    role: input.role,
    createdAt: now,
  });
  for (const s of input.sittings) repos.sittings.assignProctor(s, account.id);
  return account;
}
