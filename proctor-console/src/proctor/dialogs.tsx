import { errorText } from './labels';
import { useEffect, useLayoutEffect, useRef, useState, type MutableRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { Icon } from '../shared/icons';
import type { ProctorRow, SittingInfo } from '../../../server/src/contract/proctor';
import { ackData } from '../../../server/src/contract/errors';
import type { ProctorSocket } from './api';

export type CandidateAction = 'admit' | 'reset-login' | 'pause' | 'resume' | 'extend' | 'terminate' | 'incident';
export type SittingAction = 'open' | 'start' | 'pause' | 'resume' | 'extend' | 'close' | 'unlock' | 'incident';

interface Spec {
  label: string;
  /** shown before a second confirmation; only destructive actions have one */
  destructive?: string;
  /** what the action leaves alone, said in the dialog */
  note?: string;
}

const CANDIDATE_ACTIONS: (Spec & { id: CandidateAction; when: (r: ProctorRow) => boolean })[] = [
  { id: 'admit', label: 'Izinkan mulai', when: (r) => r.attemptState === 'waiting' },
  { id: 'reset-login', label: 'Reset login (pindah PC / buka kunci)', when: () => true, destructive: 'Koneksi peserta di PC lama diputus. Jawaban dan sisa waktu tetap tersimpan.' },
  { id: 'pause', label: 'Jeda', when: (r) => r.attemptState === 'in_progress' && r.status !== 'paused' },
  { id: 'resume', label: 'Lanjutkan', when: (r) => r.status === 'paused' },
  { id: 'extend', label: 'Tambah waktu', when: (r) => r.attemptState === 'in_progress' },
  { id: 'terminate', label: 'Hentikan ujian (diskualifikasi)', when: (r) => r.attemptState === 'in_progress' || r.attemptState === 'waiting' || r.attemptState === 'admitted', destructive: 'Ujian peserta ini berakhir sekarang dan tidak dapat dilanjutkan. Peserta dinyatakan tidak lulus.' },
  { id: 'incident', label: 'Catat kejadian', when: () => true },
];

const SITTING_ACTIONS: Record<SittingAction, Spec & { event: 'sitting:open' | 'sitting:start' | 'sitting:pause' | 'sitting:resume' | 'sitting:extend' | 'sitting:close' | 'sitting:unlock-logins' | 'incident:note' }> = {
  open: { label: 'Buka sesi', event: 'sitting:open' },
  start: { label: 'Mulai ujian', event: 'sitting:start' },
  pause: { label: 'Jeda semua peserta', event: 'sitting:pause' },
  resume: { label: 'Lanjutkan semua peserta', event: 'sitting:resume', note: 'Peserta yang dijeda sendiri-sendiri (dari barisnya) tetap dijeda; lanjutkan mereka dari barisnya.' },
  extend: { label: 'Tambah waktu semua peserta', event: 'sitting:extend' },
  close: { label: 'Tutup sesi', event: 'sitting:close', destructive: 'Semua peserta yang masih mengerjakan diakhiri sekarang dengan jawaban yang sudah tersimpan.' },
  unlock: { label: 'Buka kunci semua login', event: 'sitting:unlock-logins' },
  incident: { label: 'Catat kejadian sesi', event: 'incident:note' },
};

/**
 * A modal dialog's keyboard: focus starts on `first` inside it, Tab and Shift+Tab stay inside,
 * Escape closes, and focus goes back to where it was when the dialog closes.
 */
export function useDialogKeys(ref: MutableRef<HTMLElement | null>, onClose: () => void, first: string): void {
  const close = useRef(onClose);
  close.current = onClose;
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>(first)?.focus();
    const onKey = (e: KeyboardEvent) => {
      const root = ref.current;
      if (!root) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const els = [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]')].filter((el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0 && el.offsetParent !== null);
      if (els.length === 0) return;
      const i = els.indexOf(document.activeElement as HTMLElement);
      e.preventDefault();
      els[e.shiftKey ? (i <= 0 ? els.length - 1 : i - 1) : i === els.length - 1 ? 0 : i + 1].focus();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, []);
}

/**
 * Every proctor action goes through this form: a required reason (it goes into the berita
 * acara) and, for destructive actions, a second press after the warning.
 */
function ReasonDialog({ title, spec, onSubmit, onClose, children, resetKey }: { title: ComponentChildren; spec: Spec; onSubmit: (reason: string) => Promise<unknown>; onClose: () => void; children?: ComponentChildren; resetKey?: string }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  useDialogKeys(root, onClose, 'textarea');
  useEffect(() => setConfirming(false), [resetKey]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (spec.destructive && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (err) {
      setError(errorText(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="act-title" ref={root}>
      <form class="card dialog" onSubmit={submit}>
        <h2 id="act-title">{title}</h2>
        {children}
        {spec.note && (
          <p class="muted" data-testid="action-note">
            {spec.note}
          </p>
        )}
        <label>
          Alasan (wajib, tercatat di berita acara)
          <textarea name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} rows={3} required minLength={3} maxLength={1000} />
        </label>
        {confirming && (
          <p class="warning" role="alert">
            {spec.destructive} Lanjutkan?
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Batal
          </button>
          <button type="submit" class={spec.destructive ? 'danger' : 'primary'} disabled={busy || reason.trim().length < 3}>
            {confirming ? `Ya, ${spec.label.charAt(0).toLowerCase()}${spec.label.slice(1)}` : spec.label}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * Reset login as this candidate's row needs it said: a locked login with no PC connected is an
 * unlock that ends nothing, so no second confirmation about a PC that is not there; one with a PC
 * on it (someone else's wrong PINs can lock a sitting candidate) still warns that the PC is cut off.
 */
function resetFor(row: ProctorRow, a: Spec & { id: CandidateAction; when: (r: ProctorRow) => boolean }): Spec & { id: CandidateAction; when: (r: ProctorRow) => boolean } {
  if (!row.locked) return a;
  if (!row.connected) return { ...a, label: 'Buka kunci login (reset login)', destructive: undefined, note: 'Peserta dapat login lagi dengan PIN-nya. Jawaban dan sisa waktu tetap tersimpan.' };
  return { ...a, label: 'Buka kunci login (reset login)' };
}

/** Per-candidate action: admit, reset login, pause, resume, extend, terminate, incident. */
export function ActionDialog({ socket, sittingId, row, onClose }: { socket: ProctorSocket; sittingId: string; row: ProctorRow; onClose: () => void }) {
  const available = CANDIDATE_ACTIONS.filter((a) => a.when(row)).map((a) => (a.id === 'reset-login' ? resetFor(row, a) : a));
  // never a destructive action preselected: the proctor picks reset or terminate on purpose. A
  // locked login with no PC on it is what the proctor came to unlock, and unlocking it ends nothing.
  const [action, setAction] = useState<CandidateAction>(available.find((a) => !a.destructive && (a.id === 'reset-login' || !row.locked))?.id ?? available.find((a) => !a.destructive)?.id ?? 'incident');
  const [minutes, setMinutes] = useState(5);
  const spec = available.find((a) => a.id === action) ?? CANDIDATE_ACTIONS.find((a) => a.id === action)!;
  const run = (reason: string) => {
    const base = { sittingId, candidateId: row.id, reason };
    const s = socket;
    switch (action) {
      case 'incident':
        return ackData(s.emitWithAck('incident:note', base));
      case 'extend':
        return ackData(s.emitWithAck('candidate:extend', { ...base, minutes }));
      case 'admit':
        return ackData(s.emitWithAck('candidate:admit', base));
      case 'reset-login':
        return ackData(s.emitWithAck('candidate:reset-login', base));
      case 'pause':
        return ackData(s.emitWithAck('candidate:pause', base));
      case 'resume':
        return ackData(s.emitWithAck('candidate:resume', base));
      case 'terminate':
        return ackData(s.emitWithAck('candidate:terminate', base));
    }
  };
  return (
    <ReasonDialog
      title={
        <>
          Tindakan: {row.name} <span class="muted mono">{row.registrationNumber}</span>
        </>
      }
      spec={spec}
      onSubmit={run}
      onClose={onClose}
      resetKey={action}
    >
      <div class="act-who">
        {row.photoUrl ? (
          <img class="admit-photo" src={row.photoUrl} alt={`Foto ${row.name}`} />
        ) : (
          <span class="admit-photo none" aria-hidden="true">
            <Icon name="person" />
          </span>
        )}
        <span>
          {row.formation}
          <br />
          Kursi <strong class="mono">{row.seat ?? '–'}</strong>
        </span>
      </div>
      <fieldset class="choices">
        <legend>Tindakan</legend>
        {available.map((a) => (
          <label key={a.id} class={a.destructive ? 'destructive' : ''}>
            <input type="radio" name="action" value={a.id} checked={action === a.id} onChange={() => setAction(a.id)} /> {a.label}
          </label>
        ))}
      </fieldset>
      {action === 'extend' && (
        <label>
          Tambahan waktu (menit)
          <input type="number" name="minutes" min={1} max={600} value={minutes} onInput={(e) => setMinutes(Number(e.currentTarget.value))} />
        </label>
      )}
    </ReasonDialog>
  );
}

/** Sitting-wide action: open, start, pause/resume all, close, incident. */
export function SittingActionDialog({ socket, sitting, action, counts, onClose }: { socket: ProctorSocket; sitting: SittingInfo; action: SittingAction; counts: Record<string, number>; onClose: () => void }) {
  const n = (status: string) => counts[status] ?? 0;
  // attempts the close ends: working, paused, or with their PC gone
  const working = n('in_progress') + n('paused') + n('disconnected');
  const spec = SITTING_ACTIONS[action];
  const [signature, setSignature] = useState('');
  const [minutes, setMinutes] = useState(10);
  const beacon = action === 'start' && sitting.beaconRound !== null ? sitting.beaconRound : null;
  return (
    <ReasonDialog
      title={
        <>
          {spec.label}: {sitting.name}
        </>
      }
      spec={spec}
      onSubmit={(reason) => {
        const payload = { sittingId: sitting.id, reason };
        const s = socket;
        // one call per event: each has its own ack type
        if (spec.event === 'incident:note') return ackData(s.emitWithAck('incident:note', payload));
        if (spec.event === 'sitting:pause' || spec.event === 'sitting:resume' || spec.event === 'sitting:unlock-logins') return ackData(s.emitWithAck(spec.event, payload));
        if (spec.event === 'sitting:start') return ackData(s.emitWithAck('sitting:start', beacon === null ? payload : { ...payload, beaconSignature: signature.trim() }));
        if (spec.event === 'sitting:extend') return ackData(s.emitWithAck('sitting:extend', { ...payload, minutes }));
        return ackData(s.emitWithAck(spec.event, payload));
      }}
      onClose={onClose}
    >
      {action === 'start' && (
        <p class="room-summary" data-testid="start-summary">
          Siap mulai: <strong>{n('admitted')}</strong>
          {n('waiting') > 0 && (
            <>
              {' '}
              · menunggu izin: <strong>{n('waiting')}</strong> (mulai setelah diizinkan)
            </>
          )}
          {' '}
          · belum hadir: <strong>{n('absent')}</strong>
          {n('locked') > 0 && (
            <>
              {' '}
              · login terkunci: <strong>{n('locked')}</strong> (buka kuncinya dari barisnya)
            </>
          )}
          <br />
          <span class="small muted">Waktu setiap peserta berjalan sejak ia mulai; peserta yang datang kemudian tetap mendapat waktu penuh, sampai sesi ditutup.</span>
        </p>
      )}
      {action === 'close' && working > 0 && (
        <p class="room-summary" data-testid="close-summary">
          Masih mengerjakan: <strong>{working}</strong> peserta
        </p>
      )}
      {action === 'extend' && (
        <label>
          Tambahan waktu untuk setiap peserta yang sedang mengerjakan (menit)
          <input type="number" name="minutes" min={1} max={600} value={minutes} onInput={(e) => setMinutes(Number(e.currentTarget.value))} />
          <span class="small muted">Misalnya setelah server atau jaringan ruangan mati: waktu ujian tetap berjalan selama itu. Setiap peserta melihat pesan berapa menit ditambahkan.</span>
        </label>
      )}
      {beacon !== null && (
        <label>
          Tanda tangan beacon drand putaran {beacon} (96 karakter heksadesimal)
          <textarea name="beaconSignature" class="mono" rows={2} required value={signature} onInput={(e) => setSignature(e.currentTarget.value)} />
          <span class="small muted">
            Salin kolom "signature" dari https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/{beacon} setelah putaran itu terbit. Server memeriksanya dengan kunci drand dan mencampurnya
            ke benih soal.
          </span>
        </label>
      )}
    </ReasonDialog>
  );
}
