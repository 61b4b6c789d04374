import type { AuditEntry } from '../../../server/src/contract/proctor';

/** A candidate's status as the console words it (the status itself is the server's: domain/status.ts). */
export const STATUS: Record<string, string> = {
  absent: 'Belum hadir',
  waiting: 'Menunggu izin',
  admitted: 'Siap mulai',
  in_progress: 'Mengerjakan',
  disconnected: 'Terputus',
  paused: 'Dijeda',
  finished: 'Selesai',
  terminated: 'Dihentikan',
  locked: 'Login terkunci',
};

export const ALERT_LABEL: Record<string, string> = {
  'focus-lost': 'meninggalkan jendela',
  'fullscreen-exited': 'keluar layar penuh',
  'failed-logins': 'PIN salah',
  'login-locked': 'login terkunci',
  'change-limit': 'batas perubahan',
};

const ACTION_LABEL: Record<string, string> = {
  admit: 'Izin mulai',
  'admit-many': 'Izin mulai',
  'reset-login': 'Reset login',
  pause: 'Jeda',
  resume: 'Lanjutkan',
  extend: 'Tambah waktu',
  terminate: 'Hentikan (diskualifikasi)',
  incident: 'Catatan kejadian',
  'sitting-open': 'Sesi dibuka',
  'sitting-start': 'Ujian dimulai',
  'sitting-close': 'Sesi ditutup',
  'sitting-pause': 'Semua peserta dijeda',
  'sitting-resume': 'Semua peserta dilanjutkan',
  'sitting-extend': 'Tambah waktu semua peserta',
  'unlock-logins': 'Semua login dibuka',
  'sitting-create': 'Sesi dibuat',
  'candidates-import': 'Daftar peserta dimuat',
  alert: 'Peringatan',
  'login-locked': 'Login terkunci',
  'change-limit': 'Batas perubahan jawaban tercapai',
  'sitting-update': 'Pengaturan sesi diubah',
  'proctor-assign': 'Pengawas ditugaskan',
  'proctor-unassign': 'Pengawas dilepas dari sesi',
  'template-create': 'Templat dibuat',
  'template-update': 'Templat diubah',
  'account-create': 'Akun dibuat',
  'account-update': 'Akun diubah',
  'bank-import': 'Bank soal dimuat',
  'questions-retire': 'Soal ditarik dari bank',
  'questions-restore': 'Soal dikembalikan ke bank',
};

/** An audit action's name in words (the stored code where there is none). */
export function actionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action;
}

/** Alerts the system writes, in words (details.kind of an "alert" entry). */
const SYSTEM_ALERT: Record<string, string> = {
  'focus-lost': 'Meninggalkan jendela ujian',
  'fullscreen-exited': 'Keluar dari layar penuh',
};

/** Steps an admin's tools log with a fixed text of their own: described here from their details instead. */
const ROUTINE = new Set(['sitting-create', 'sitting-update', 'candidates-import', 'bank-import', 'template-create', 'template-update', 'account-create', 'account-update', 'proctor-assign', 'proctor-unassign']);

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * An audit entry in the console's words: what happened, and the reason to show. The system's own
 * entries and an admin tool's routine steps carry no proctor's reason (their stored text is the
 * tool's, not someone's explanation), so the details say what there is to say.
 */
export function auditText(e: AuditEntry): { what: string; reason: string | null } {
  const d = (e.details && typeof e.details === 'object' ? e.details : {}) as Record<string, unknown>;
  if (e.action === 'alert') {
    const count = num(d.count) ?? 1;
    return { what: `${SYSTEM_ALERT[String(d.kind)] ?? 'Peringatan'}${count > 1 ? ` (${count}×)` : ''}`, reason: null };
  }
  if (e.actorRole === 'system') return { what: actionLabel(e.action), reason: null };
  if (ROUTINE.has(e.action)) {
    const n = num(d.count);
    const who = typeof d.username === 'string' ? `: ${d.username}` : '';
    return { what: `${actionLabel(e.action)}${who}${n !== null ? ` (${n} peserta)` : ''}`, reason: null };
  }
  let what = actionLabel(e.action);
  if ((e.action === 'extend' || e.action === 'sitting-extend') && num(d.minutes) !== null) what += ` ${num(d.minutes)} menit`;
  if (e.action === 'sitting-extend' && num(d.candidates) !== null) what += ` (${num(d.candidates)} peserta)`;
  if (e.action === 'admit-many') what += ` (${num(d.candidates) ?? 0} peserta sekaligus)`;
  if ((e.action === 'sitting-pause' || e.action === 'sitting-resume' || e.action === 'unlock-logins') && num(d.candidates) !== null) what += ` (${num(d.candidates)} peserta)`;
  return { what, reason: e.reason };
}

/** "Belum hadir" while candidates may still arrive, "Tidak hadir" once the sitting has closed: the same status. */
export function statusLabel(status: string, sittingStatus: string): string {
  if (status === 'absent' && sittingStatus === 'closed') return 'Tidak hadir';
  return STATUS[status] ?? status;
}
