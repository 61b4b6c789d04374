import { SavedTemplateSchema, SKD_TEMPLATE, type ExamTemplate } from '../contract/exam.js';
import { AccountPatchSchema, CreateSittingSchema, UpdateSittingSchema, type AccountInput } from '../contract/admin.js';
import { ErrorCode } from '../contract/errors.js';
import type { SittingDetail } from '../contract/http.js';
import { candidateGroups } from '../domain/groups.js';
import type { Sitting, SittingStatus } from '../domain/catalog.js';
import { prepareDeal } from '../domain/deal.js';
import { bankMisfits } from '../domain/bank.js';
import { KacaError } from '../domain/errors.js';
import { assertSittingEditable, assertTemplateEditable, rosterGroupProblems } from '../domain/setup.js';
import { logged, sittingOpenEvent } from '../domain/log-events.js';
import { roundAt, roundTime } from '../domain/verify/beacon.js';
import type { Write } from '../domain/writes.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import type { SittingUpdate, WriteOp } from '../db/write-ops.js';
import type { ExamEngine } from '../engine/engine.js';
import { audit, type Actor } from './admin-audit.js';
import { hashPassword, randomId } from './secrets.js';
import type { KacaStore } from './store.js';

export { importBank } from './banks.js';
export { addCandidates, type IssuedPin } from './roster.js';

const BUILT_IN_TEMPLATES = [SKD_TEMPLATE];
export const isBuiltIn = (id: string) => BUILT_IN_TEMPLATES.some((t) => t.id === id);

/**
 * What admins create and change: templates, sittings and accounts (banks: services/banks.ts,
 * rosters: services/roster.ts). Checked here against the rules in domain/, read from the store's
 * repositories, and written through its writer like every other write.
 */


export function invalid(what: string, issues: { path: PropertyKey[]; message: string }[]): KacaError {
  return new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ')}`, issues.map((i) => ({ path: i.path.map(String), message: i.message })));
}

export async function createTemplate(store: KacaStore, input: unknown, now: number, actor?: Actor): Promise<ExamTemplate> {
  const parsed = SavedTemplateSchema.safeParse(input);
  if (!parsed.success) throw invalid('exam template', parsed.error.issues);
  if (store.repos.templates.get(parsed.data.id)) throw new KacaError(ErrorCode.CONFLICT, `template ${parsed.data.id} already exists`);
  await store.writer.submit([{ kind: 'template', template: parsed.data, createdAt: now }, ...(actor ? [audit(actor, now, 'template-create', 'template created', { id: parsed.data.id })] : [])]);
  return parsed.data;
}

/** A template's new definition, while no sitting uses it (built-in ones never change). */
export async function updateTemplate(engine: ExamEngine, id: string, input: unknown, now: number, actor: Actor): Promise<ExamTemplate> {
  const { store } = engine;
  const parsed = SavedTemplateSchema.safeParse(input);
  if (!parsed.success) throw invalid('exam template', parsed.error.issues);
  if (parsed.data.id !== id) throw new KacaError(ErrorCode.BAD_REQUEST, `the template's id is ${id}; to save it under ${parsed.data.id}, create a new template`);
  if (!store.repos.templates.get(id)) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${id}`);
  assertTemplateEditable(id, isBuiltIn(id), store.repos.sittings.using({ templateId: id }).map((s) => s.id));
  await store.writer.submit([{ kind: 'template-update', template: parsed.data }, audit(actor, now, 'template-update', 'template changed', { id })]);
  engine.setup.templateChanged(id);
  return parsed.data;
}

export function templateList(store: KacaStore): { template: ExamTemplate; builtIn: boolean; usedBy: string[] }[] {
  return store.repos.templates.list().map((template) => ({ template, builtIn: isBuiltIn(template.id), usedBy: store.repos.sittings.using({ templateId: template.id }).map((s) => s.id) }));
}

export async function ensureTemplate(store: KacaStore, template: ExamTemplate, now: number): Promise<void> {
  if (!store.repos.templates.get(template.id)) await store.writer.submit([{ kind: 'template', template, createdAt: now }]);
}

/** The built-in templates (SKD): in every database, demo or not. */
export async function ensureBuiltIns(store: KacaStore, now: number): Promise<void> {
  for (const t of BUILT_IN_TEMPLATES) await ensureTemplate(store, t, now);
}

const epoch = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

/** Fails now, not at the sitting's opening, when the bank's active questions cannot fill the template. */
function assertDealable(store: KacaStore, templateId: string, bankId: string): ExamTemplate {
  const template = store.repos.templates.get(templateId);
  if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${templateId}`);
  if (!store.repos.banks.exists(bankId)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${bankId}`);
  const retired = store.repos.banks.retiredIds(bankId);
  const active = store.repos.banks.questions(bankId).filter((q) => !retired.has(q.id));
  // every question fits its section's options and scoring: a keyed question in a weighted section would always score 0
  const misfits = bankMisfits(active, template);
  if (misfits.length) throw new KacaError(ErrorCode.BANK_INVALID, `bank ${bankId} does not fit template ${templateId}: ${misfits.join('; ')}`, { misfits });
  prepareDeal(active, template);
  return template;
}

export async function createSitting(store: KacaStore, input: unknown, now: number, defaults: { tokenIntervalMinutes: number }, seeded?: { status: SittingStatus }, actor?: Actor): Promise<SittingRow> {
  const { repos } = store;
  const parsed = CreateSittingSchema.safeParse(input);
  if (!parsed.success) throw invalid('sitting', parsed.error.issues);
  const s = parsed.data;
  if (repos.sittings.get(s.id)) throw new KacaError(ErrorCode.CONFLICT, `sitting ${s.id} already exists`);
  assertDealable(store, s.templateId, s.bankId);
  // a seeded sitting (demo, tests, benchmarks) may start out open or running
  const status = seeded?.status ?? 'scheduled';
  if (status === 'running' && s.beaconRound != null) throw new KacaError(ErrorCode.BAD_REQUEST, 'a sitting with a beacon round starts only once its value is entered');
  if (s.beaconRound != null) assertFutureRound(s.beaconRound, now);
  const row = {
    id: s.id,
    name: s.name,
    templateId: s.templateId,
    bankId: s.bankId,
    site: s.site,
    room: s.room,
    scheduledStart: epoch(s.scheduledStart),
    seed: s.seed ?? randomId(16),
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
    // a sitting that starts out open deals from the bank as it is now
    dealtWithout: status === 'scheduled' ? null : [...store.repos.banks.retiredIds(s.bankId)].sort(),
    startedAt: status === 'running' ? now : null,
  };
  await store.writer.submit([
    { kind: 'sitting', row },
    ...(actor ? [audit(actor, now, 'sitting-create', 'sitting created', { id: s.id }, s.id)] : []),
    // a sitting that starts out open has its log opened with it (docs/verifiability.md)
    ...(status === 'scheduled' ? [] : seededLog(store, row, status, now)),
  ]);
  return repos.sittings.get(s.id)!;
}

/** A round already out would let whoever creates the sitting try seeds against its known value. */
function assertFutureRound(round: number, now: number): void {
  if (roundTime(round) > now) return;
  throw new KacaError(ErrorCode.BAD_REQUEST, `beacon round ${round} was published at ${new Date(roundTime(round)).toISOString()}: name a round still to come (round ${roundAt(now + 60_000)} or later), published before the start`);
}

function seededLog(store: KacaStore, s: { id: string; seed: string; beaconRound: number | null; templateId: string; bankId: string }, status: SittingStatus, now: number): Write[] {
  const open = logged(s.id, sittingOpenEvent(s, store.catalog.forSitting(s), now));
  return status === 'running' ? [open, logged(s.id, { type: 'sitting-start', t: now })] : [open];
}

/** Changes a scheduled sitting; a new template or bank must still deal, and fit the roster's groups. */
export async function updateSitting(engine: ExamEngine, sittingId: string, input: unknown, now: number, actor: Actor): Promise<Sitting> {
  const { store } = engine;
  const parsed = UpdateSittingSchema.safeParse(input);
  if (!parsed.success) throw invalid('sitting change', parsed.error.issues);
  const p = parsed.data;
  if (!store.repos.sittings.get(sittingId)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  return engine.setup.changeSitting(sittingId, (s): WriteOp[] => {
    assertSittingEditable(s);
    if (p.beaconRound != null) assertFutureRound(p.beaconRound, now);
    const rows = p.roomRows !== undefined ? p.roomRows : s.roomRows;
    const cols = p.roomCols !== undefined ? p.roomCols : s.roomCols;
    if ((rows === null) !== (cols === null)) throw new KacaError(ErrorCode.BAD_REQUEST, 'invalid sitting change: give both room rows and columns, or neither');
    if (p.templateId !== undefined || p.bankId !== undefined) {
      const template = assertDealable(store, p.templateId ?? s.templateId, p.bankId ?? s.bankId);
      const problems = rosterGroupProblems(template, store.repos.candidates.listBySitting(sittingId).map((c) => ({ registrationNumber: c.registrationNumber, group: c.groupName })));
      if (problems.length) throw new KacaError(ErrorCode.BAD_REQUEST, `the roster does not fit template ${template.id}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`, problems);
    }
    if (p.vacancies !== undefined && Object.keys(p.vacancies).length > 0) {
      const declared = Object.keys(p.vacancies);
      const outside = [...new Set(store.repos.candidates.listBySitting(sittingId).map((c) => c.formation))].filter((f) => !declared.includes(f));
      if (outside.length) throw new KacaError(ErrorCode.BAD_REQUEST, `candidates on the sitting apply for formation${outside.length > 1 ? 's' : ''} ${outside.join('; ')}, which the change leaves out: keep ${outside.length > 1 ? 'them' : 'it'} among the formations`, { formations: outside });
    }
    const { scheduledStart, tokenIntervalMinutes, ...rest } = p;
    const set: SittingUpdate = { ...rest, ...(scheduledStart !== undefined ? { scheduledStart: epoch(scheduledStart) } : {}), ...(tokenIntervalMinutes !== undefined ? { tokenIntervalSec: Math.round(tokenIntervalMinutes * 60) } : {}) };
    // the audit names what changed, not every field the form sent again
    const before = s as unknown as Record<string, unknown>;
    const changed = (Object.keys(set) as (keyof SittingUpdate)[]).filter((k) => JSON.stringify(set[k]) !== JSON.stringify(before[k])).map((k) => (k === 'tokenIntervalSec' ? 'tokenIntervalMinutes' : k));
    return [{ kind: 'sitting-update', sittingId, set }, ...(changed.length ? [audit(actor, now, 'sitting-update', 'sitting changed', { changed }, sittingId)] : [])];
  });
}

export async function createAccount(store: KacaStore, input: AccountInput, now: number, actor?: Actor): Promise<{ id: number; username: string; displayName: string; role: 'admin' | 'proctor' }> {
  const { repos } = store;
  if (repos.accounts.byUsername(input.username)) throw new KacaError(ErrorCode.CONFLICT, `account ${input.username} already exists`);
  for (const s of input.sittings) if (!repos.sittings.get(s)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${s}`);
  const row = { username: input.username, displayName: input.displayName, passwordHash: await hashPassword(input.password), role: input.role, createdAt: now };
  const [id] = (await store.writer.submit([
    { kind: 'account', row, sittings: input.sittings },
    ...(actor ? [audit(actor, now, 'account-create', 'account created', { username: row.username, role: row.role, sittings: input.sittings })] : []),
  ])) as number[];
  return { id, username: row.username, displayName: row.displayName, role: row.role };
}

/**
 * Password, display name, disabling, and which sittings a proctor may run (assign and take away).
 * A disabled account or a new password ends every session of the account, connections and all.
 */
export async function updateAccount(engine: ExamEngine, id: number, input: unknown, now: number, actor: Actor): Promise<void> {
  const { store } = engine;
  const parsed = AccountPatchSchema.safeParse(input);
  if (!parsed.success) throw invalid('account change', parsed.error.issues);
  const p = parsed.data;
  const a = store.repos.accounts.get(id);
  if (!a) throw new KacaError(ErrorCode.NOT_FOUND, `no account ${id}`);
  const assign = [...new Set(p.assignSittings ?? [])];
  const unassign = [...new Set(p.unassignSittings ?? [])];
  for (const s of [...assign, ...unassign]) if (!store.repos.sittings.get(s)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${s}`);
  if (assign.some((s) => unassign.includes(s))) throw new KacaError(ErrorCode.BAD_REQUEST, 'a sitting cannot be assigned and taken away at once');
  if (a.id === actor.id && p.disabled) throw new KacaError(ErrorCode.BAD_REQUEST, 'you cannot disable your own account');
  const patch = {
    ...(p.password ? { passwordHash: await hashPassword(p.password) } : {}),
    ...(p.disabled !== undefined ? { disabled: p.disabled } : {}),
    ...(p.displayName ? { displayName: p.displayName } : {}),
  };
  await store.writer.submit([
    ...(Object.keys(patch).length > 0 ? [{ kind: 'account-update' as const, id: a.id, patch }] : []),
    ...assign.map((sittingId) => ({ kind: 'proctor-assignment' as const, sittingId, accountId: a.id, assigned: true })),
    ...unassign.map((sittingId) => ({ kind: 'proctor-assignment' as const, sittingId, accountId: a.id, assigned: false })),
    audit(actor, now, 'account-update', 'account updated', { username: a.username, password: !!p.password, disabled: p.disabled, displayName: p.displayName, assignSittings: assign, unassignSittings: unassign }),
  ]);
  if (p.disabled) await engine.staff.accountChanged(a.id, 'disabled');
  else if (p.password) await engine.staff.accountChanged(a.id, 'password');
}

/** Assigns a proctor to a sitting or takes the sitting away; admins run every sitting already. */
export async function assignProctor(store: KacaStore, sittingId: string, accountId: number, assigned: boolean, now: number, actor: Actor): Promise<void> {
  if (!store.repos.sittings.get(sittingId)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  const a = store.repos.accounts.get(accountId);
  if (!a) throw new KacaError(ErrorCode.NOT_FOUND, `no account ${accountId}`);
  if (assigned && a.role !== 'proctor') throw new KacaError(ErrorCode.BAD_REQUEST, `${a.username} is an admin: admins may run every sitting already`);
  await store.writer.submit([
    { kind: 'proctor-assignment', sittingId, accountId, assigned },
    audit(actor, now, assigned ? 'proctor-assign' : 'proctor-unassign', assigned ? 'proctor assigned' : 'proctor taken off the sitting', { username: a.username }, sittingId),
  ]);
}

/** A sitting as an admin sees it: what the consoles see, and what only an admin sets. */
export function sittingDetail(engine: ExamEngine, sittingId: string): SittingDetail {
  const s = engine.registry.sitting(sittingId);
  const template = engine.store.repos.templates.get(s.templateId)!;
  const names = new Map(template.thresholdSets.map((t) => [t.id, t.name]));
  return {
    ...(engine.views.sittingInfo(s) as SittingDetail),
    practice: s.practice,
    tokenIntervalMinutes: s.tokenIntervalSec / 60,
    vacancies: s.vacancies,
    beaconRound: s.beaconRound,
    createdAt: s.createdAt,
    proctors: engine.store.repos.sittings.proctorsOf(sittingId),
    groups: candidateGroups(template).map((g) => ({ ...g, thresholdSetName: names.get(g.thresholdSet) ?? g.thresholdSet })),
  };
}
