import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AuditEntry, ProctorRow, ProctorSnapshot, SittingInfo } from '../../../server/src/contract/proctor';
import { ackData } from '../../../server/src/contract/errors';
import type { ProctorSocket } from './api';
import { AdmitDialog } from './admit';
import { ActionDialog, SittingActionDialog, type SittingAction } from './dialogs';
import { Feed } from './feed';
import { ALERT_LABEL, errorText, STATUS, statusLabel } from './labels';
import { needsAttention, remaining, sameTick, type LiveRow } from './live';
import { SeatMap } from './seat-map';
import { ago, clock, ServerClock, siteTime } from '../shared/format';
import { Icon } from '../shared/icons';
import { sittingStatusLabel } from './main';

type Sort = 'reg' | 'seat' | 'name' | 'status' | 'progress' | 'total' | 'time' | 'activity';
type Filter = 'all' | 'attention' | 'absent' | 'waiting' | 'admitted' | 'in_progress' | 'disconnected' | 'paused' | 'finished' | 'terminated' | 'locked';

interface RowProps {
  live: LiveRow;
  now: number;
  sections: string[];
  timezone: string;
  sittingStatus: string;
  onAct: (row: ProctorRow) => void;
}

const Row = memo(
  function Row({ live, now, sections, timezone, sittingStatus, onAct }: RowProps) {
    const r = live.row;
    const pct = r.itemCount ? Math.round((r.answered / r.itemCount) * 100) : 0;
    const left = remaining(live, now);
    return (
      <tr class={`st-${r.status} ${needsAttention(r) ? 'attention' : ''}`} data-candidate={r.id}>
        <td class="mono">{r.registrationNumber}</td>
        <td class="mono">{r.seat ?? '–'}</td>
        <td class="name" title={`${r.name} · ${r.formation}`}>
          {r.name}
        </td>
        <td>
          <span class={`badge st-${r.status}`}>
            <Icon name={r.status} /> {statusLabel(r.status, sittingStatus)}
          </span>
        </td>
        <td title={`${r.answered} dijawab, ${r.flagged} ragu-ragu dari ${r.itemCount}`}>
          <span class="progress-cell">
            <span class="bar" aria-hidden="true">
              <span style={{ width: `${pct}%` }} />
            </span>
            <span class="num" data-field="answered">
              {r.answered}/{r.itemCount}
            </span>
            {r.flagged > 0 && <span class="flagged">?{r.flagged}</span>}
          </span>
        </td>
        {sections.map((s) => (
          <td class="num" key={s} data-field={`score-${s}`}>
            {r.sections[s] ?? 0}
          </td>
        ))}
        <td class="num strong" data-field="total">
          {r.total}
        </td>
        <td class={`num mono ${left !== null && left < 5 * 60_000 ? 'low' : ''}`} data-field="time-left">
          {clock(left)}
        </td>
        <td class="muted" data-field="last-activity">
          {ago(r.lastActivity, now)}
        </td>
        <td class="alerts">
          {r.alerts.map((a) => (
            <span key={a.kind} class={`alert alert-${a.kind}`} title={`${ALERT_LABEL[a.kind]} (${a.count}×, ${siteTime(a.at, timezone, true)})`}>
              <Icon name="alert" /> {ALERT_LABEL[a.kind]} {a.count > 1 ? `×${a.count}` : ''}
            </span>
          ))}
        </td>
        <td>
          <button type="button" class="small" onClick={() => onAct(r)}>
            Tindakan<span class="sr-only"> untuk {r.name}</span>
          </button>
        </td>
      </tr>
    );
  },
  (a, b) => sameTick(a, b) && a.sections === b.sections && a.sittingStatus === b.sittingStatus,
);

function TokenPanel({ token, serverClock }: { token: { token: string; rotatesAt: number } | null; serverClock: ServerClock }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(id);
  }, []);
  if (!token) return null;
  return (
    <div class="token-panel" role="group" aria-label="Token sesi">
      <span class="muted">Token</span>
      <strong class="token" data-testid="token">
        {token.token}
      </strong>
      <span class="muted">berganti dalam {clock(token.rotatesAt - serverClock.now())}</span>
    </div>
  );
}

/** What can be done to the sitting now: nothing that its status does not allow. */
function SittingControls({ sitting, rows, onAction, onAdmit }: { sitting: SittingInfo; rows: Map<number, LiveRow>; onAction: (a: SittingAction) => void; onAdmit: () => void }) {
  const s = sitting.status;
  const live = s === 'open' || s === 'running';
  const waiting = [...rows.values()].filter((l) => l.row.attemptState === 'waiting' && l.row.status !== 'absent').length;
  const locked = [...rows.values()].some((l) => l.row.locked);
  // pause all while there is a clock to stop; resume all while the hall's is stopped (a candidate
  // paused on their own is resumed from their row: resume all leaves them paused)
  const pausable = !sitting.paused || [...rows.values()].some((l) => l.row.attemptState === 'in_progress' && l.row.status !== 'paused');
  const resumable = sitting.paused;
  const id = encodeURIComponent(sitting.id);
  return (
    <div class="sitting-controls" role="group" aria-label="Kendali sesi">
      {s === 'scheduled' && (
        <button type="button" class="primary" onClick={() => onAction('open')}>
          Buka sesi
        </button>
      )}
      {live && waiting > 0 && (
        <button type="button" class="primary" onClick={onAdmit} data-testid="admit-many">
          Izinkan peserta ({waiting})
        </button>
      )}
      {s === 'open' && (
        <button type="button" class="primary" onClick={() => onAction('start')}>
          Mulai ujian
        </button>
      )}
      {s === 'running' && (
        <>
          {pausable && (
            <button type="button" onClick={() => onAction('pause')}>
              <Icon name="paused" /> Jeda semua
            </button>
          )}
          {resumable && (
            <button type="button" onClick={() => onAction('resume')}>
              <Icon name="in_progress" /> Lanjutkan semua
            </button>
          )}
          <button type="button" onClick={() => onAction('extend')}>
            Tambah waktu semua
          </button>
        </>
      )}
      {live && locked && (
        <button type="button" onClick={() => onAction('unlock')}>
          <Icon name="locked" /> Buka kunci semua login
        </button>
      )}
      <button type="button" onClick={() => onAction('incident')}>
        Catat kejadian
      </button>
      {live && (
        <button type="button" class="danger" onClick={() => onAction('close')}>
          Tutup sesi
        </button>
      )}
      <a class="button" href={`#/sitting/${id}/report`}>
        Berita acara
      </a>
      {s === 'closed' && (
        <a class="button" href={`#/sitting/${id}/results`}>
          Hasil
        </a>
      )}
    </div>
  );
}

export function RoomView({ socket, sittingId }: { socket: ProctorSocket; sittingId: string }) {
  const [sitting, setSitting] = useState<SittingInfo | null>(null);
  const [token, setToken] = useState<ProctorSnapshot['token']>(null);
  const [rows, setRows] = useState<Map<number, LiveRow>>(new Map());
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('reg');
  const [mode, setMode] = useState<'table' | 'map'>(() => (localStorage.getItem('kaca.roomMode') as 'table' | 'map') || 'table');
  useEffect(() => localStorage.setItem('kaca.roomMode', mode), [mode]);
  const [acting, setActing] = useState<ProctorRow | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const [sittingAction, setSittingAction] = useState<SittingAction | null>(null);
  const [now, setNow] = useState(Date.now());
  const serverClock = useRef(new ServerClock()).current;
  const names = useRef(new Map<number, ProctorRow>());

  useEffect(() => {
    const id = setInterval(() => setNow(serverClock.now()), 1000);
    return () => clearInterval(id);
  }, []);

  useEffect(() => {
    const watch = async () => {
      try {
        const snap = await ackData(socket.emitWithAck('sitting:watch', { sittingId }));
        serverClock.sync(snap.serverTime);
        setNow(serverClock.now());
        for (const r of snap.rows) names.current.set(r.id, r);
        setSitting(snap.sitting);
        setToken(snap.token);
        setRows(new Map(snap.rows.map((r) => [r.id, { row: r, at: snap.serverTime }])));
        setAudit(snap.audit);
        setError(null);
      } catch (e) {
        setError(errorText(e));
        // several nodes: the node that runs the sitting is changing; the console asks again
        if ((e as { code?: string }).code === 'UNAVAILABLE') setTimeout(() => void watch(), 1000);
      }
    };
    const onRows = (p: { sittingId: string; serverTime: number; rows: ProctorRow[] }) => {
      if (p.sittingId !== sittingId) return;
      serverClock.sync(p.serverTime);
      setRows((prev) => {
        const next = new Map(prev);
        for (const r of p.rows) {
          names.current.set(r.id, r);
          next.set(r.id, { row: r, at: p.serverTime });
        }
        return next;
      });
    };
    const onSitting = (p: { sitting: SittingInfo; token: ProctorSnapshot['token'] }) => {
      if (p.sitting.id !== sittingId) return;
      setSitting(p.sitting);
      setToken(p.token);
    };
    // alerts come through the audit log too (coalesced by the server), so the feed is one list
    const onAudit = (e: AuditEntry) => {
      if (e.sittingId === sittingId) setAudit((list) => [...list.slice(-1999), e]);
    };
    socket.on('candidates:updated', onRows);
    socket.on('sitting:updated', onSitting);
    socket.on('audit:appended', onAudit);
    socket.on('connect', watch);
    if (socket.connected) void watch();
    return () => {
      socket.off('candidates:updated', onRows);
      socket.off('sitting:updated', onSitting);
      socket.off('audit:appended', onAudit);
      socket.off('connect', watch);
    };
  }, [socket, sittingId]);

  // The token rotates on the server's schedule: fetch the new one when it does.
  useEffect(() => {
    if (!token) return;
    const wait = Math.max(1000, token.rotatesAt - serverClock.now() + 500);
    const id = setTimeout(() => ackData(socket.emitWithAck('token:show', { sittingId })).then(setToken, () => undefined), wait);
    return () => clearTimeout(id);
  }, [token?.rotatesAt]);

  const sections = useMemo(() => sitting?.sections.map((s) => s.id) ?? [], [sitting?.id]);
  const matching = useMemo(() => {
    const q = query.trim().toLowerCase();
    return [...rows.values()].filter(({ row: r }) => {
      if (filter === 'attention' ? !needsAttention(r) : filter !== 'all' && r.status !== filter) return false;
      return !q || r.name.toLowerCase().includes(q) || r.registrationNumber.toLowerCase().includes(q) || (r.seat ?? '').toLowerCase() === q;
    });
  }, [rows, filter, query]);
  const list = useMemo(() => {
    const seatKey = (l: LiveRow) => (l.row.place ? l.row.place.row * 10_000 + l.row.place.col : Number.MAX_SAFE_INTEGER);
    const key: Record<Sort, (l: LiveRow) => number | string> = {
      reg: (l) => l.row.registrationNumber,
      seat: seatKey,
      name: (l) => l.row.name,
      status: (l) => Object.keys(STATUS).indexOf(l.row.status),
      progress: (l) => -l.row.answered,
      total: (l) => -l.row.total,
      time: (l) => remaining(l, now) ?? Number.MAX_SAFE_INTEGER,
      activity: (l) => -(l.row.lastActivity ?? 0),
    };
    const k = key[sort];
    return [...matching].sort((a, b) => {
      const x = k(a);
      const y = k(b);
      return x < y ? -1 : x > y ? 1 : a.row.registrationNumber < b.row.registrationNumber ? -1 : 1;
    });
  }, [matching, sort, sort === 'time' ? now : 0]);
  const shownIds = useMemo(() => new Set(matching.map((l) => l.row.id)), [matching]);
  const inOrder = useMemo(() => [...rows.values()].sort((a, b) => (a.row.registrationNumber < b.row.registrationNumber ? -1 : 1)), [rows]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const { row } of rows.values()) c[row.status] = (c[row.status] ?? 0) + 1;
    return c;
  }, [rows]);

  if (error && !sitting) return <p class="error pad">{error}</p>;
  if (!sitting) return <p class="muted pad">Memuat sesi…</p>;
  const attention = [...rows.values()].filter((l) => needsAttention(l.row)).length;

  return (
    <main class="room">
      <section class="room-head">
        <div>
          <h1>
            {sitting.name} <span class={`badge sitting-${sitting.status}`}>{sittingStatusLabel(sitting.status)}</span>
          </h1>
          <p class="muted">
            {sitting.site} · {sitting.room} · {sitting.candidates} peserta · {sitting.durationMinutes} menit
            {sitting.requireAdmission ? ' · perlu izin pengawas' : ''}
          </p>
          <p class="counts">
            {Object.keys(STATUS).map((k) =>
              counts[k] ? (
                <button type="button" key={k} class={`chip st-${k} ${filter === k ? 'on' : ''}`} aria-pressed={filter === k} onClick={() => setFilter(filter === k ? 'all' : (k as Filter))}>
                  <Icon name={k} /> {statusLabel(k, sitting.status)} <strong>{counts[k]}</strong>
                </button>
              ) : null,
            )}
            {attention > 0 && (
              <button type="button" class={`chip attention ${filter === 'attention' ? 'on' : ''}`} aria-pressed={filter === 'attention'} onClick={() => setFilter(filter === 'attention' ? 'all' : 'attention')}>
                <Icon name="alert" /> Perlu perhatian <strong>{attention}</strong>
              </button>
            )}
          </p>
        </div>
        <TokenPanel token={token} serverClock={serverClock} />
        <SittingControls sitting={sitting} rows={rows} onAction={setSittingAction} onAdmit={() => setAdmitting(true)} />
      </section>
      <div class="room-body">
        <section class="table-wrap" aria-label="Peserta">
          <div class="table-tools">
            <input type="search" placeholder="Cari nama, nomor, kursi" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Cari peserta" />
            <label>
              Tampilkan{' '}
              <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
                <option value="all">Semua ({rows.size})</option>
                <option value="attention">Perlu perhatian</option>
                {Object.keys(STATUS).map((k) => (
                  <option value={k} key={k}>
                    {statusLabel(k, sitting.status)}
                  </option>
                ))}
              </select>
            </label>
            {mode === 'table' && (
              <label>
                Urutkan{' '}
                <select value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
                  <option value="reg">Nomor peserta</option>
                  <option value="seat">Kursi</option>
                  <option value="name">Nama</option>
                  <option value="status">Status</option>
                  <option value="progress">Jawaban terbanyak</option>
                  <option value="total">Nilai tertinggi</option>
                  <option value="time">Sisa waktu tersedikit</option>
                  <option value="activity">Aktivitas terbaru</option>
                </select>
              </label>
            )}
            <span class="muted">{matching.length} ditampilkan</span>
            <span class="view-toggle" role="group" aria-label="Tampilan">
              <button type="button" class={mode === 'table' ? 'on' : ''} aria-pressed={mode === 'table'} onClick={() => setMode('table')}>
                Tabel
              </button>
              <button type="button" class={mode === 'map' ? 'on' : ''} aria-pressed={mode === 'map'} onClick={() => setMode('map')}>
                Peta kursi
              </button>
            </span>
          </div>
          {mode === 'map' && <SeatMap rows={inOrder} shown={shownIds} now={now} sitting={sitting} onAct={setActing} />}
          {mode === 'table' && (
            <table class="dense candidates">
              <thead>
                <tr>
                  <th>No. peserta</th>
                  <th>Kursi</th>
                  <th>Nama</th>
                  <th>Status</th>
                  <th>Jawaban</th>
                  {sections.map((s) => (
                    <th class="num" key={s}>
                      {s}
                    </th>
                  ))}
                  <th class="num">Total</th>
                  <th class="num">Sisa</th>
                  <th>Aktif</th>
                  <th>Peringatan</th>
                  <th>
                    <span class="sr-only">Tindakan</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((l) => (
                  <Row key={l.row.id} live={l} now={now} sections={sections} timezone={sitting.timezone} sittingStatus={sitting.status} onAct={setActing} />
                ))}
              </tbody>
            </table>
          )}
        </section>
        <Feed entries={audit} names={names.current} timezone={sitting.timezone} />
      </div>
      {acting && <ActionDialog socket={socket} sittingId={sitting.id} row={rows.get(acting.id)?.row ?? acting} onClose={() => setActing(null)} />}
      {admitting && <AdmitDialog socket={socket} sitting={sitting} rows={[...rows.values()].map((l) => l.row)} onClose={() => setAdmitting(false)} />}
      {sittingAction && <SittingActionDialog socket={socket} sitting={sitting} action={sittingAction} counts={counts} onClose={() => setSittingAction(null)} />}
    </main>
  );
}
