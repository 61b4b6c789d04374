import { memo } from 'preact/compat';
import type { ProctorRow, SittingInfo } from '../../../server/src/contract/proctor';
import { clock } from '../shared/format';
import { Icon } from '../shared/icons';
import { STATUS, statusLabel } from './labels';
import { needsAttention, remaining, sameTick, type LiveRow } from './live';

/** One seat of the room: a candidate's status, progress, score and time at a glance. */
const Seat = memo(function Seat({ live, now, onAct, dim, style, sittingStatus }: { live: LiveRow; now: number; onAct: (row: ProctorRow) => void; dim: boolean; style?: Record<string, string | number>; sittingStatus: string }) {
  const r = live.row;
  const left = remaining(live, now);
  const pct = r.itemCount ? Math.round((r.answered / r.itemCount) * 100) : 0;
  const label = statusLabel(r.status, sittingStatus);
  return (
    <button
      type="button"
      class={`seat st-${r.status} ${needsAttention(r) ? 'attention' : ''} ${dim ? 'dim' : ''}`}
      style={style}
      onClick={() => onAct(r)}
      title={`${r.seat ? `Kursi ${r.seat} · ` : ''}${r.registrationNumber} ${r.name} · ${label} · ${r.answered}/${r.itemCount} · ${r.total} · ${clock(left)}`}
      data-candidate={r.id}
      data-seat={r.seat ?? ''}
    >
      <span class="seat-top">
        <strong class="mono">{r.seat ?? r.registrationNumber.slice(-4)}</strong>
        <Icon name={r.status} />
        {r.alerts.length > 0 && <Icon name="alert" class="seat-alert" />}
      </span>
      <span class="seat-name">{r.name}</span>
      <span class="sr-only">
        {r.registrationNumber}, {label}
      </span>
      <span class="bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span class="seat-bottom">
        <span>{r.total}</span>
        <span class="mono">{left === null ? '' : clock(left)}</span>
      </span>
    </button>
  );
}, (a, b) => sameTick(a, b) && a.dim === b.dim && a.sittingStatus === b.sittingStatus);

/** What a seat's colours mean: the same classes as the seats, so the key cannot drift from them. */
function SeatLegend() {
  return (
    <ul class="seat-legend" aria-label="Arti warna kursi" data-testid="seat-legend">
      {Object.entries(STATUS).map(([status, label]) => (
        <li key={status}>
          <span class={`seat swatch st-${status}`} aria-hidden="true" />
          {label}
        </li>
      ))}
      <li>
        <span class="seat swatch attention" aria-hidden="true" />
        Perlu perhatian
      </li>
    </ul>
  );
}

/**
 * The room as it stands: each candidate at the roster's seat in the room's grid (rows x
 * columns of the sitting, or as far as the seats reach), the front row on top. Candidates whose
 * seat is missing or cannot be placed follow the grid, in order. A filter dims the others, so
 * the room keeps its shape.
 */
export function SeatMap({ rows, shown, now, sitting, onAct }: { rows: LiveRow[]; shown: Set<number>; now: number; sitting: SittingInfo; onAct: (row: ProctorRow) => void }) {
  const placed = new Map<string, LiveRow>();
  const unplaced: LiveRow[] = [];
  let maxRow = 0;
  let maxCol = 0;
  for (const l of rows) {
    const p = l.row.place;
    const key = p ? `${p.row}:${p.col}` : '';
    if (!p || placed.has(key)) {
      unplaced.push(l);
      continue;
    }
    placed.set(key, l);
    maxRow = Math.max(maxRow, p.row);
    maxCol = Math.max(maxCol, p.col);
  }
  const flat = (list: LiveRow[]) => list.map((l) => <Seat key={l.row.id} live={l} now={now} onAct={onAct} sittingStatus={sitting.status} dim={!shown.has(l.row.id)} />);
  if (placed.size === 0) {
    // no room layout and no seats on the roster: the candidates in order, with the same key to the colours
    return (
      <div class="seat-room">
        <SeatLegend />
        <div class="seat-map flat" data-testid="seat-map">
          {flat(rows)}
        </div>
      </div>
    );
  }
  const gridRows = sitting.roomRows ?? maxRow;
  const gridCols = sitting.roomCols ?? maxCol;
  const cells = [];
  for (let r = 1; r <= gridRows; r++) {
    for (let c = 1; c <= gridCols; c++) {
      const l = placed.get(`${r}:${c}`);
      const style = { gridRow: r, gridColumn: c };
      cells.push(l ? <Seat key={l.row.id} live={l} now={now} onAct={onAct} sittingStatus={sitting.status} dim={!shown.has(l.row.id)} style={style} /> : <span key={`e${r}:${c}`} class="seat empty" style={style} aria-hidden="true" />);
    }
  }
  return (
    <div class="seat-room">
      <SeatLegend />
      <p class="room-front">Depan ruangan · meja pengawas</p>
      <div class="seat-map room-grid" style={{ gridTemplateColumns: `repeat(${gridCols}, minmax(0, 1fr))` }} data-testid="seat-map" data-rows={gridRows} data-cols={gridCols}>
        {cells}
      </div>
      {unplaced.length > 0 && (
        <>
          <h2 class="unplaced-title">Tanpa nomor kursi di denah ({unplaced.length})</h2>
          <div class="seat-map flat" data-testid="seat-map-unplaced">
            {flat(unplaced)}
          </div>
        </>
      )}
    </div>
  );
}
