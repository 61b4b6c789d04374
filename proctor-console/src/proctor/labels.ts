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

/** Every audit action the server writes (a test reads the server's source to keep this whole). */
export const ACTION_CODES: readonly string[] = Object.keys(ACTION_LABEL);

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

const STATE_WORD: Record<string, string> = { waiting: 'menunggu izin', admitted: 'sudah diizinkan', 'in progress': 'sedang mengerjakan', finished: 'sudah selesai', terminated: 'sudah dihentikan' };
const SITTING_WORD: Record<string, string> = { scheduled: 'terjadwal', open: 'dibuka', running: 'berjalan', closed: 'ditutup' };

/**
 * The server's refusals in the proctor's language: the server words them in English (its API
 * is read by programs too), the console says them in Indonesian. A message not known here is
 * shown as it came, after the code's own sentence.
 */
const KNOWN: [RegExp, (...m: string[]) => string][] = [
  [/^the sitting is closed/, () => 'Sesi sudah ditutup: catatannya final.'],
  [/^the candidate has not logged in yet$/, () => 'Peserta belum login.'],
  [/^the candidate is already (.+)$/, (s) => `Peserta ${STATE_WORD[s] ?? s}.`],
  [/^the candidate is not paused$/, () => 'Peserta tidak sedang dijeda.'],
  [/^the candidate is already paused$/, () => 'Peserta sudah dijeda.'],
  [/^the candidate's exam cannot be terminated/, () => 'Ujian peserta ini tidak dapat dihentikan (belum mulai, atau sudah berakhir).'],
  [/^a (\w+) sitting cannot become (\w+)$/, (a, b) => `Sesi yang ${SITTING_WORD[a] ?? a} tidak dapat menjadi ${SITTING_WORD[b] ?? b}.`],
  [/^the sitting can be paused or resumed only while it runs/, () => 'Jeda dan lanjutkan hanya dapat dilakukan saat sesi berjalan.'],
  [/^nobody is paused by the sitting/, () => 'Tidak ada yang dijeda oleh sesi. Peserta yang dijeda sendiri dilanjutkan dari barisnya.'],
  [/^the sitting is paused already$/, () => 'Sesi sudah dijeda.'],
  [/^time can be added only while the sitting runs/, () => 'Waktu hanya dapat ditambah saat sesi berjalan.'],
  [/^candidates can be admitted only while the sitting is open/, () => 'Izin mulai hanya dapat diberikan saat sesi dibuka.'],
  [/give a reason \(at least 3 characters\)/, () => 'Tulis alasan (minimal 3 karakter).'],
  [/^(invalid or expired session|your session has ended|log in first)/, () => 'Sesi login Anda telah berakhir: login lagi.'],
  [/^the password of this account was changed/, () => 'Kata sandi akun ini telah diganti: login lagi.'],
  [/^you are not a proctor of sitting (.+)$/, (s) => `Anda bukan pengawas sesi ${s}.`],
  [/^candidate (\d+) is not in sitting (.+)$/, (c, s) => `Peserta ${c} tidak terdaftar di sesi ${s}.`],
  [/^bank (\S+) does not fit template (\S+): (.+)$/, (b, t, why) => `Bank ${b} tidak cocok dengan templat ${t}; ubah bank atau templat sesi sebelum membukanya. (${why})`],
  [/^internal error/, () => 'Terjadi gangguan di server. Coba lagi.'],
  [/^no reply from the server$/, () => 'Server tidak menjawab. Periksa jaringan, lalu coba lagi.'],
];

const BY_CODE: Record<string, string> = {
  RATE_LIMITED: 'Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.',
  FORBIDDEN: 'Anda tidak berhak melakukan ini.',
  NOT_FOUND: 'Tidak ditemukan.',
  INVALID_STATE: 'Tidak dapat dilakukan pada keadaan sekarang.',
  BAD_REQUEST: 'Permintaan tidak valid.',
  CONFLICT: 'Bentrok dengan perubahan lain.',
};

/** An error as the proctor reads it. */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  for (const [pattern, say] of KNOWN) {
    const m = pattern.exec(message);
    if (m) return say(...m.slice(1));
  }
  const code = (err as { code?: string } | null)?.code;
  if (code === 'RATE_LIMITED') return BY_CODE.RATE_LIMITED;
  return code && BY_CODE[code] ? `${BY_CODE[code]} (${message})` : message;
}
