import { auditRecord, type Actor } from './examinee.js';
import type { AuditRecord } from './writes.js';

/** The system's own entries in the audit log (alerts it saw, logins it locked). */
export const SYSTEM_ACTOR: Actor = { id: null, name: 'Sistem', role: 'system' };

/** What the exam client reports that a proctor must see and the berita acara must keep. */
export type ClientAlertKind = 'focus-lost' | 'fullscreen-exited';

/** How an alert of one candidate and kind has been written to the audit log so far. */
export interface AlertLog {
  /** occurrences in all */
  total: number;
  /** occurrences already written */
  logged: number;
  /** when the last entry was written */
  loggedAt: number | null;
  /** the first occurrence not yet written */
  pendingSince: number | null;
  /** the latest occurrence */
  lastAt: number | null;
}

/** One entry per candidate and kind in this window at most: a flapping PC cannot flood the log. */
export const ALERT_WINDOW_MS = 60_000;

export const EMPTY_ALERT_LOG: AlertLog = { total: 0, logged: 0, loggedAt: null, pendingSince: null, lastAt: null };

/** An audit entry the log owes: the occurrences since the last one. */
export interface AlertEntry {
  count: number;
  total: number;
  first: number;
  last: number;
}

/**
 * An occurrence reported at `now`. The first one is written at once; later ones are counted and
 * written together once the window since the last entry has passed (on the next occurrence, or
 * when the shell calls flushAlert at `dueAt`), so nothing counted is lost.
 */
export function noteAlert(log: AlertLog, now: number, windowMs = ALERT_WINDOW_MS): { log: AlertLog; entry: AlertEntry | null; dueAt: number | null } {
  const counted: AlertLog = { ...log, total: log.total + 1, pendingSince: log.pendingSince ?? now, lastAt: now };
  if (log.loggedAt === null || now - log.loggedAt >= windowMs) return write(counted, now);
  return { log: counted, entry: null, dueAt: log.loggedAt + windowMs };
}

/** The shell's timer at `dueAt`: writes what was counted since the last entry, if anything. */
export function flushAlert(log: AlertLog, now: number): { log: AlertLog; entry: AlertEntry | null } {
  if (log.total === log.logged) return { log, entry: null };
  const { log: next, entry } = write(log, now);
  return { log: next, entry };
}

function write(log: AlertLog, now: number): { log: AlertLog; entry: AlertEntry; dueAt: null } {
  const entry: AlertEntry = { count: log.total - log.logged, total: log.total, first: log.pendingSince ?? now, last: log.lastAt ?? now };
  return { log: { ...log, logged: log.total, loggedAt: now, pendingSince: null }, entry, dueAt: null };
}

/** What the berita acara says of each alert, in the site's language. */
export const ALERT_REASON: Record<ClientAlertKind | 'login-locked' | 'change-limit', string> = {
  'focus-lost': 'peserta meninggalkan jendela ujian',
  'fullscreen-exited': 'peserta keluar dari layar penuh',
  'login-locked': 'login terkunci karena PIN salah berulang kali',
  'change-limit': 'batas jumlah perubahan jawaban tercapai',
};

/** The audit record of an alert the log owes (noteAlert, flushAlert): by the system, never a proctor. */
export function alertRecord(sittingId: string, candidateId: number, kind: ClientAlertKind, entry: AlertEntry, at: number): AuditRecord {
  return auditRecord(SYSTEM_ACTOR, at, sittingId, candidateId, 'alert', ALERT_REASON[kind], { kind, ...entry });
}
