import type { AuditEntry } from '../../../server/src/contract/proctor';
import { ACTION_CODES, actionLabel } from '../proctor/labels';
import { currentLang, t, type Key } from './i18n';

/** What each detail a server writes is called on the audit page (server/src: the audit() and auditRecord() calls). */
const LABEL: Record<string, Key> = {
  kind: 'detailKind',
  count: 'detailAmount',
  total: 'detailTotal',
  first: 'detailFirst',
  last: 'detailLast',
  failedLogins: 'detailFailedLogins',
  stored: 'detailStored',
  generation: 'detailGeneration',
  minutes: 'detailMinutes',
  candidates: 'detailCandidates',
  registrationNumbers: 'detailRegistrationNumbers',
  from: 'detailFrom',
  to: 'detailTo',
  id: 'detailId',
  changed: 'detailChanged',
  username: 'detailUsername',
  role: 'detailRole',
  sittings: 'detailSittings',
  password: 'detailPassword',
  disabled: 'detailDisabled',
  displayName: 'detailDisplayName',
  assignSittings: 'detailAssign',
  unassignSittings: 'detailUnassign',
  bankId: 'detailBank',
  questions: 'detailQuestions',
  title: 'detailTitle',
  language: 'detailLanguage',
  sections: 'detailSections',
  template: 'detailTemplate',
  format: 'detailFormat',
  source: 'detailSource',
  warnings: 'detailWarnings',
};

/** Where an action's detail means something else than the same name elsewhere: an alert's count is how many times. */
const LABEL_OF: Record<string, Record<string, Key>> = { alert: { count: 'detailCount', total: 'detailTotal' } };

/**
 * Details left out: candidate ids, which the registration numbers beside them say again; a reset
 * login's generation (a counter inside the server); an alert's kind, which the action names.
 */
const HIDDEN = new Set(['ids']);
const HIDDEN_OF: Record<string, Set<string>> = { 'reset-login': new Set(['generation']), alert: new Set(['kind']) };
/** Details that are instants (epoch milliseconds). */
const INSTANTS = new Set(['first', 'last', 'at', 'createdAt', 'dealtAt']);
/** A list longer than this shows its first items and how many more there are. */
const LIST_MAX = 12;

const SITTING_STATUS: Record<string, Key> = { scheduled: 'statusScheduled', open: 'statusOpen', running: 'statusRunning', closed: 'statusClosed' };
const ROLE: Record<string, Key> = { admin: 'roleAdmin', proctor: 'roleProctor' };

/** An actor's role in words (the stored code where there is none). */
export function roleText(role: string): string {
  return ROLE[role] ? t(ROLE[role]) : role;
}

function valueText(key: string, value: unknown, time: (ms: number) => string): string {
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  if (typeof value === 'number') return INSTANTS.has(key) ? time(value) : String(value);
  if (typeof value === 'string') {
    if ((key === 'from' || key === 'to') && SITTING_STATUS[value]) return t(SITTING_STATUS[value]);
    if (key === 'role') return roleText(value);
    // a long list of retired questions is stored as its count
    const many = key === 'questions' ? /^(\d+) questions$/.exec(value) : null;
    if (many) return t('detailQuestionCount', { n: many[1] });
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '–';
    const shown = value.slice(0, LIST_MAX).map((v) => valueText(key, v, time));
    return value.length > LIST_MAX ? `${shown.join(', ')} ${t('detailMore', { n: value.length - LIST_MAX })}` : shown.join(', ');
  }
  if (value && typeof value === 'object') {
    // a count per name (a bank's sections): "TWK 30, TIU 35"
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === 'number')) return entries.map(([k, v]) => `${k} ${v as number}`).join(', ');
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * An audit entry's details as the admin reads them: each in words, instants at the site's time,
 * statuses and alert kinds named, long lists cut short. Details not known here keep their own
 * name; nothing the server stored is left out but candidate ids, which the registration numbers
 * beside them say again. The stored JSON stays one hover away (the cell's title).
 */
export function auditDetails(entry: Pick<AuditEntry, 'action' | 'details'>, time: (ms: number) => string): { label: string; text: string }[] {
  const d = entry.details;
  if (d === null || d === undefined) return [];
  if (typeof d !== 'object' || Array.isArray(d)) return [{ label: t('details'), text: valueText('', d, time) }];
  const out: { label: string; text: string }[] = [];
  for (const [key, value] of Object.entries(d as Record<string, unknown>)) {
    if (value === undefined || value === null || HIDDEN.has(key) || HIDDEN_OF[entry.action]?.has(key)) continue;
    // what an account change did not change: no password set, no sittings added or taken off
    if ((Array.isArray(value) && value.length === 0) || (key === 'password' && value === false)) continue;
    const label = LABEL_OF[entry.action]?.[key] ?? LABEL[key];
    out.push({ label: label ? t(label) : key, text: valueText(key, value, time) });
  }
  return out;
}

/** Audit actions in English (the Indonesian words are the proctor console's: proctor/labels.ts). */
const ACTION_EN: Record<string, string> = {
  admit: 'Admitted',
  'admit-many': 'Admitted',
  'reset-login': 'Login reset',
  pause: 'Paused',
  resume: 'Resumed',
  extend: 'Time added',
  terminate: 'Terminated (disqualified)',
  incident: 'Incident noted',
  'sitting-open': 'Sitting opened',
  'sitting-start': 'Exam started',
  'sitting-close': 'Sitting closed',
  'sitting-pause': 'Every candidate paused',
  'sitting-resume': 'Every candidate resumed',
  'sitting-extend': 'Time added for every candidate',
  'unlock-logins': 'Every login unlocked',
  'sitting-create': 'Sitting created',
  'candidates-import': 'Roster loaded',
  alert: 'Alert',
  'login-locked': 'Login locked',
  'change-limit': 'Answer-change limit reached',
  'sitting-update': 'Sitting settings changed',
  'proctor-assign': 'Proctor assigned',
  'proctor-unassign': 'Proctor taken off the sitting',
  'template-create': 'Template created',
  'template-update': 'Template changed',
  'account-create': 'Account created',
  'account-update': 'Account changed',
  'bank-import': 'Question bank loaded',
  'questions-retire': 'Questions retired from the bank',
  'questions-restore': 'Questions restored to the bank',
};

/** What an alert was about, in the admin's language. */
const ALERT_KIND: Record<string, Record<'id' | 'en', string>> = {
  'focus-lost': { id: 'meninggalkan jendela ujian', en: 'left the exam window' },
  'fullscreen-exited': { id: 'keluar dari layar penuh', en: 'left full screen' },
};

/** An audit action in the admin's language (the stored code where there are no words for it). */
export function actionText(code: string): string {
  return currentLang() === 'en' ? (ACTION_EN[code] ?? code) : actionLabel(code);
}

/** An entry's action as the audit page says it: an alert with what it was about. */
export function entryAction(entry: Pick<AuditEntry, 'action' | 'details'>): string {
  const kind = entry.action === 'alert' ? (entry.details as { kind?: unknown } | null)?.kind : undefined;
  const about = typeof kind === 'string' ? (ALERT_KIND[kind]?.[currentLang()] ?? kind) : null;
  return about ? `${actionText('alert')}: ${about}` : actionText(entry.action);
}

/**
 * The actions the audit page filters by, in words and in the order the console lists them: every
 * action the server writes. Two actions with the same words (one candidate admitted, several at
 * once) are told apart.
 */
export function auditActions(): { code: string; label: string }[] {
  return ACTION_CODES.map((code) => ({ code, label: code === 'admit-many' ? `${actionText(code)} (${t('severalCandidates')})` : actionText(code) }));
}
