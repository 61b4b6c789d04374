import { errorText } from './labels';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { ProctorRow, SittingInfo } from '../../../server/src/contract/proctor';
import { ackData } from '../../../server/src/contract/errors';
import { Icon } from '../shared/icons';
import type { ProctorSocket } from './api';
import { useDialogKeys } from './dialogs';

const bySeat = (a: ProctorRow, b: ProctorRow) => {
  const pa = a.place;
  const pb = b.place;
  if (pa && pb && (pa.row !== pb.row || pa.col !== pb.col)) return pa.row - pb.row || pa.col - pb.col;
  if (pa && !pb) return -1;
  if (pb && !pa) return 1;
  return a.registrationNumber < b.registrationNumber ? -1 : 1;
};

/**
 * Admission at the door as a checklist: every candidate waiting, with photo (when the roster
 * has one), name, registration number, formation and seat, in seat order. The proctor ticks
 * those whose card and KTP match and admits them all at once: one decision, one reason, one
 * entry in the berita acara.
 */
export function AdmitDialog({ socket, sitting, rows, onClose }: { socket: ProctorSocket; sitting: SittingInfo; rows: ProctorRow[]; onClose: () => void }) {
  const waiting = useMemo(() => rows.filter((r) => r.attemptState === 'waiting' && r.status !== 'absent').sort(bySeat), [rows]);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState('');
  const [reason, setReason] = useState('Identitas (KTP dan kartu peserta) sesuai');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useDialogKeys(ref, onClose, 'input[type=search]');
  const q = query.trim().toLowerCase();
  const shown = q ? waiting.filter((r) => `${r.name} ${r.registrationNumber} ${r.seat ?? ''} ${r.formation}`.toLowerCase().includes(q)) : waiting;
  // only candidates still waiting count: one admitted meanwhile drops out of the list and the tally
  const picked = waiting.filter((r) => checked.has(r.id)).map((r) => r.id);
  const toggle = (id: number) => {
    const next = new Set(checked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChecked(next);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await ackData(socket.emitWithAck('candidates:admit', { sittingId: sitting.id, candidateIds: picked, reason: reason.trim() }));
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="admit-title" ref={ref}>
      <form class="card dialog admit-dialog" onSubmit={submit}>
        <h2 id="admit-title">Izinkan peserta mulai · {sitting.name}</h2>
        <p class="muted">Cocokkan foto, KTP dan kartu peserta, lalu centang peserta yang sesuai. {waiting.length} peserta menunggu izin.</p>
        <div class="admit-tools">
          <input type="search" placeholder="Cari nama, nomor, kursi" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Cari peserta yang menunggu" />
          <button type="button" class="small" onClick={() => setChecked(new Set([...checked, ...shown.map((r) => r.id)]))} disabled={shown.length === 0}>
            Centang semua yang tampil ({shown.length})
          </button>
          <button type="button" class="small" onClick={() => setChecked(new Set())} disabled={picked.length === 0}>
            Kosongkan
          </button>
        </div>
        <div class="admit-list" data-testid="admit-list">
          {shown.length === 0 && <p class="muted pad">{waiting.length === 0 ? 'Tidak ada peserta yang menunggu izin.' : 'Tidak ada yang cocok dengan pencarian.'}</p>}
          {shown.map((r) => (
            <label key={r.id} class={`admit-row ${checked.has(r.id) ? 'on' : ''}`} data-candidate={r.id}>
              <input type="checkbox" checked={checked.has(r.id)} onChange={() => toggle(r.id)} />
              {r.photoUrl ? (
                <img class="admit-photo" src={r.photoUrl} alt={`Foto ${r.name}`} />
              ) : (
                <span class="admit-photo none" title="Tidak ada foto di daftar peserta">
                  <Icon name="person" />
                  <span class="sr-only">tanpa foto</span>
                </span>
              )}
              <span class="admit-who">
                <strong>{r.name}</strong>
                <span class="mono">{r.registrationNumber}</span>
                <span class="muted">{r.formation}</span>
                {r.status === 'disconnected' && (
                  <span class="badge st-disconnected" data-field="disconnected">
                    <Icon name="disconnected" /> PC terputus
                  </span>
                )}
              </span>
              <span class="admit-seat">
                <span class="muted small">Kursi</span> <strong class="mono">{r.seat ?? '–'}</strong>
              </span>
            </label>
          ))}
        </div>
        <label>
          Alasan (wajib, tercatat di berita acara)
          <textarea name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} rows={2} required minLength={3} maxLength={1000} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Batal
          </button>
          <button type="submit" class="primary" disabled={busy || picked.length === 0 || reason.trim().length < 3} data-testid="admit-submit">
            Izinkan {picked.length} peserta
          </button>
        </div>
      </form>
    </div>
  );
}
