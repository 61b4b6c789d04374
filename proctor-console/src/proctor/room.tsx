import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AuditEntry, ProctorRow, ProctorSnapshot, SittingInfo } from '../../../server/src/contract/proctor';
import { ackData } from '../../../server/src/contract/errors';
import type { ProctorSocket } from './api';
import { ActionDialog, SittingActionDialog, type CandidateAction, type SittingAction } from './dialogs';
import { ago, clock, ServerClock, timeOfDay } from '../shared/format';
import { sittingStatusLabel } from './main';

const STATUS: Record<string, { label: string; icon: string }> = {
  absent: { label: 'Belum hadir', icon: '○' },
  waiting: { label: 'Menunggu', icon: '◔' },
  in_progress: { label: 'Mengerjakan', icon: '▶' },
  disconnected: { label: 'Terputus', icon: '⚠' },
  paused: { label: 'Dijeda', icon: '⏸' },
  finished: { label: 'Selesai', icon: '✔' },
  terminated: { label: 'Dihentikan', icon: '✖' },
  locked: { label: 'Terkunci', icon: '🔒' },
};

const ALERT_LABEL: Record<string, string> = {
  'focus-lost': 'meninggalkan jendela',
  'fullscreen-exited': 'keluar layar penuh',
  'failed-logins': 'gagal login',
  'login-locked': 'login terkunci',
};

const ACTION_LABEL: Record<string, string> = {
  admit: 'Izinkan mulai',
  'reset-login': 'Reset login',
  pause: 'Jeda',
  resume: 'Lanjutkan',
  extend: 'Tambah waktu',
  terminate: 'Hentikan (diskualifikasi)',
  incident: 'Catat kejadian',
  'sitting-open': 'Sesi dibuka',
  'sitting-start': 'Ujian dimulai',
  'sitting-close': 'Sesi ditutup',
  'sitting-pause': 'Semua dijeda',
  'sitting-resume': 'Semua dilanjutkan',
  'sitting-create': 'Sesi dibuat',
  'candidates-import': 'Daftar peserta dimuat',
};
export const actionLabel = (a: string) => ACTION_LABEL[a] ?? a;

type Sort = 'reg' | 'name' | 'status' | 'progress' | 'total' | 'time' | 'activity';
type Filter = 'all' | 'attention' | 'absent' | 'waiting' | 'in_progress' | 'disconnected' | 'paused' | 'finished' | 'terminated' | 'locked';

interface LiveRow {
  row: ProctorRow;
  /** server time the row was computed at (for the countdown) */
  at: number;
}

const needsAttention = (r: ProctorRow) => r.alerts.length > 0 || r.status === 'disconnected' || r.status === 'locked';

function remaining(l: LiveRow, now: number): number | null {
  const r = l.row;
  if (r.remainingMs === null) return null;
  return r.status === 'paused' ? r.remainingMs : Math.max(0, r.remainingMs - (now - l.at));
}

interface RowProps {
  live: LiveRow;
  /** only rows whose countdown runs re-render on every tick */
  now: number;
  sections: string[];
  onAct: (row: ProctorRow) => void;
}

const Row = memo(
  function Row({ live, now, sections, onAct }: RowProps) {
    const r = live.row;
    const st = STATUS[r.status] ?? { label: r.status, icon: '' };
    const pct = r.itemCount ? Math.round((r.answered / r.itemCount) * 100) : 0;
    const left = remaining(live, now);
    return (
      <tr class={`st-${r.status} ${needsAttention(r) ? 'attention' : ''}`} data-candidate={r.id}>
        <td class="mono">{r.registrationNumber}</td>
        <td class="name" title={`${r.name} · ${r.formation}`}>
          {r.name}
        </td>
        <td>
          <span class={`badge st-${r.status}`}>
            <span aria-hidden="true">{st.icon}</span> {st.label}
          </span>
        </td>
        <td class="progress-cell" title={`${r.answered} dijawab, ${r.flagged} ragu-ragu dari ${r.itemCount}`}>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${pct}%` }} />
          </span>
          <span class="num" data-field="answered">
            {r.answered}/{r.itemCount}
          </span>
          {r.flagged > 0 && <span class="flagged">?{r.flagged}</span>}
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
        <td class="muted">{ago(r.lastActivity, now)}</td>
        <td class="alerts">
          {r.alerts.map((a) => (
            <span key={a.kind} class={`alert alert-${a.kind}`} title={`${ALERT_LABEL[a.kind]} (${a.count}×, ${timeOfDay(a.at)})`}>
              ⚑ {ALERT_LABEL[a.kind]} {a.count > 1 ? `×${a.count}` : ''}
            </span>
          ))}
        </td>
        <td>
          <button type="button" class="small" onClick={() => onAct(r)} aria-label={`Tindakan untuk ${r.name}`}>
            Tindakan
          </button>
        </td>
      </tr>
    );
  },
  (a, b) => a.live === b.live && a.sections === b.sections && (a.now === b.now || a.live.row.remainingMs === null || a.live.row.status === 'paused'),
);

/** One seat of the hall map: 300 of them fit a 1920x1080 screen. */
const Seat = memo(
  function Seat({ live, now, onAct }: { live: LiveRow; now: number; onAct: (row: ProctorRow) => void }) {
    const r = live.row;
    const st = STATUS[r.status] ?? { label: r.status, icon: '' };
    const left = remaining(live, now);
    const pct = r.itemCount ? Math.round((r.answered / r.itemCount) * 100) : 0;
    return (
      <button
        type="button"
        class={`seat st-${r.status} ${needsAttention(r) ? 'attention' : ''}`}
        onClick={() => onAct(r)}
        title={`${r.registrationNumber} ${r.name} · ${st.label} · ${r.answered}/${r.itemCount} · ${r.total} · ${clock(left)}`}
        data-candidate={r.id}
      >
        <span class="seat-top">
          <span class="mono">{r.registrationNumber.slice(-4)}</span>
          <span aria-hidden="true">{st.icon}</span>
          {r.alerts.length > 0 && <span class="seat-alert">⚑</span>}
        </span>
        <span class="bar" aria-hidden="true">
          <span style={{ width: `${pct}%` }} />
        </span>
        <span class="seat-bottom">
          <strong>{r.total}</strong>
          <span class="mono">{left === null ? '' : clock(left)}</span>
        </span>
      </button>
    );
  },
  (a, b) => a.live === b.live && (a.now === b.now || a.live.row.remainingMs === null || a.live.row.status === 'paused'),
);

function TokenPanel({ token, serverClock }: { token: { token: string; rotatesAt: number } | null; serverClock: ServerClock }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(id);
  }, []);
  if (!token) return null;
  return (
    <div class="token-panel" aria-label="Token sesi">
      <span class="muted">Token</span>
      <strong class="token" data-testid="token">
        {token.token}
      </strong>
      <span class="muted">berganti dalam {clock(token.rotatesAt - serverClock.now())}</span>
    </div>
  );
}

interface FeedItem {
  key: string;
  at: number;
  text: string;
  kind: 'audit' | 'alert';
  reason?: string;
}

export function RoomView({ socket, sittingId }: { socket: ProctorSocket; sittingId: string }) {
  const [sitting, setSitting] = useState<SittingInfo | null>(null);
  const [token, setToken] = useState<ProctorSnapshot['token']>(null);
  const [rows, setRows] = useState<Map<number, LiveRow>>(new Map());
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [feedQuery, setFeedQuery] = useState('');
  const [sort, setSort] = useState<Sort>('reg');
  const [mode, setMode] = useState<'table' | 'map'>(() => (localStorage.getItem('kaca.roomMode') as 'table' | 'map') || 'table');
  useEffect(() => localStorage.setItem('kaca.roomMode', mode), [mode]);
  const [acting, setActing] = useState<ProctorRow | null>(null);
  const [sittingAction, setSittingAction] = useState<SittingAction | null>(null);
  const [now, setNow] = useState(Date.now());
  const serverClock = useRef(new ServerClock()).current;
  const names = useRef(new Map<number, ProctorRow>());

  useEffect(() => {
    const id = setInterval(() => setNow(serverClock.now()), 1000);
    return () => clearInterval(id);
  }, []);

  useEffect(() => {
    const auditItem = (e: AuditEntry): FeedItem => {
      const who = e.candidateId !== null ? names.current.get(e.candidateId) : undefined;
      return { key: `a${e.id}`, at: e.at, kind: 'audit', text: `${actionLabel(e.action)}${who ? ` · ${who.registrationNumber} ${who.name}` : ''} · oleh ${e.actorName}`, reason: e.reason };
    };
    const watch = async () => {
      try {
        const snap = await ackData(socket.emitWithAck('sitting:watch', { sittingId }));
        serverClock.sync(snap.serverTime);
        setNow(serverClock.now());
        for (const r of snap.rows) names.current.set(r.id, r);
        setSitting(snap.sitting);
        setToken(snap.token);
        setRows(new Map(snap.rows.map((r) => [r.id, { row: r, at: snap.serverTime }])));
        setFeed(snap.audit.map(auditItem).reverse());
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    };
    const onRows = (p: { sittingId: string; serverTime: number; rows: ProctorRow[] }) => {
      if (p.sittingId !== sittingId) return;
      serverClock.sync(p.serverTime);
      const alerts: FeedItem[] = [];
      setRows((prev) => {
        const next = new Map(prev);
        for (const r of p.rows) {
          const old = prev.get(r.id)?.row;
          for (const a of r.alerts) {
            const before = old?.alerts.find((x) => x.kind === a.kind);
            if (!before || before.count < a.count || before.at !== a.at) {
              alerts.push({ key: `al${r.id}-${a.kind}-${a.at}`, at: a.at, kind: 'alert', text: `⚑ ${r.registrationNumber} ${r.name}: ${ALERT_LABEL[a.kind]}${a.count > 1 ? ` (${a.count}×)` : ''}` });
            }
          }
          names.current.set(r.id, r);
          next.set(r.id, { row: r, at: p.serverTime });
        }
        return next;
      });
      if (alerts.length) setFeed((f) => [...alerts, ...f].slice(0, 500));
    };
    const onSitting = (p: { sitting: SittingInfo; token: ProctorSnapshot['token'] }) => {
      if (p.sitting.id !== sittingId) return;
      setSitting(p.sitting);
      setToken(p.token);
    };
    const onAudit = (e: AuditEntry) => {
      if (e.sittingId === sittingId) setFeed((f) => [auditItem(e), ...f].slice(0, 500));
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
  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...rows.values()].filter(({ row: r }) => {
      if (filter === 'attention' ? !needsAttention(r) : filter !== 'all' && r.status !== filter) return false;
      return !q || r.name.toLowerCase().includes(q) || r.registrationNumber.toLowerCase().includes(q);
    });
    const key: Record<Sort, (l: LiveRow) => number | string> = {
      reg: (l) => l.row.registrationNumber,
      name: (l) => l.row.name,
      status: (l) => Object.keys(STATUS).indexOf(l.row.status),
      progress: (l) => -l.row.answered,
      total: (l) => -l.row.total,
      time: (l) => remaining(l, now) ?? Number.MAX_SAFE_INTEGER,
      activity: (l) => -(l.row.lastActivity ?? 0),
    };
    const k = key[sort];
    return all.sort((a, b) => {
      const x = k(a);
      const y = k(b);
      return x < y ? -1 : x > y ? 1 : a.row.registrationNumber < b.row.registrationNumber ? -1 : 1;
    });
  }, [rows, filter, query, sort, sort === 'time' ? now : 0]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const { row } of rows.values()) c[row.status] = (c[row.status] ?? 0) + 1;
    return c;
  }, [rows]);

  if (error && !sitting) return <p class="error pad">{error}</p>;
  if (!sitting) return <p class="muted pad">Memuat sesi…</p>;
  const attention = [...rows.values()].filter((l) => needsAttention(l.row)).length;
  const feedShown = feedQuery.trim() ? feed.filter((f) => `${f.text} ${f.reason ?? ''}`.toLowerCase().includes(feedQuery.trim().toLowerCase())) : feed;

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
            {Object.entries(STATUS).map(([k, v]) =>
              counts[k] ? (
                <button type="button" key={k} class={`chip st-${k} ${filter === k ? 'on' : ''}`} onClick={() => setFilter(filter === k ? 'all' : (k as Filter))}>
                  {v.icon} {v.label} <strong>{counts[k]}</strong>
                </button>
              ) : null,
            )}
            {attention > 0 && (
              <button type="button" class={`chip attention ${filter === 'attention' ? 'on' : ''}`} onClick={() => setFilter(filter === 'attention' ? 'all' : 'attention')}>
                ⚑ Perlu perhatian <strong>{attention}</strong>
              </button>
            )}
          </p>
        </div>
        <TokenPanel token={token} serverClock={serverClock} />
        <div class="sitting-controls" role="group" aria-label="Kendali sesi">
          {sitting.status === 'scheduled' && (
            <button type="button" class="primary" onClick={() => setSittingAction('open')}>
              Buka sesi
            </button>
          )}
          {(sitting.status === 'scheduled' || sitting.status === 'open') && (
            <button type="button" class="primary" onClick={() => setSittingAction('start')}>
              Mulai ujian
            </button>
          )}
          {sitting.status === 'running' && (
            <>
              <button type="button" onClick={() => setSittingAction('pause')}>
                ⏸ Jeda semua
              </button>
              <button type="button" onClick={() => setSittingAction('resume')}>
                ▶ Lanjutkan semua
              </button>
            </>
          )}
          {[...rows.values()].some((l) => l.row.locked) && (
            <button type="button" onClick={() => setSittingAction('unlock')}>
              Buka kunci semua login
            </button>
          )}
          <button type="button" onClick={() => setSittingAction('incident')}>
            Catat kejadian
          </button>
          {sitting.status !== 'closed' && (
            <button type="button" class="danger" onClick={() => setSittingAction('close')}>
              Tutup sesi
            </button>
          )}
          <a class="button" href={`#/sitting/${encodeURIComponent(sitting.id)}/report`}>
            Berita acara
          </a>
          {sitting.status === 'closed' && (
            <a class="button" href={`#/sitting/${encodeURIComponent(sitting.id)}/results`}>
              Hasil
            </a>
          )}
        </div>
      </section>
      <div class="room-body">
        <section class="table-wrap">
          <div class="table-tools">
            <input type="search" placeholder="Cari nama atau nomor peserta" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Cari peserta" />
            <label>
              Tampilkan{' '}
              <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)} aria-label="Saring status">
                <option value="all">Semua ({rows.size})</option>
                <option value="attention">Perlu perhatian</option>
                {Object.entries(STATUS).map(([k, v]) => (
                  <option value={k} key={k}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Urutkan{' '}
              <select value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)} aria-label="Urutkan">
                <option value="reg">Nomor peserta</option>
                <option value="name">Nama</option>
                <option value="status">Status</option>
                <option value="progress">Jawaban terbanyak</option>
                <option value="total">Nilai tertinggi</option>
                <option value="time">Sisa waktu tersedikit</option>
                <option value="activity">Aktivitas terbaru</option>
              </select>
            </label>
            <span class="muted">{list.length} ditampilkan</span>
            <span class="view-toggle" role="group" aria-label="Tampilan">
              <button type="button" class={mode === 'table' ? 'on' : ''} aria-pressed={mode === 'table'} onClick={() => setMode('table')}>
                Tabel
              </button>
              <button type="button" class={mode === 'map' ? 'on' : ''} aria-pressed={mode === 'map'} onClick={() => setMode('map')}>
                Peta kursi
              </button>
            </span>
          </div>
          {mode === 'map' && (
            <div class="seat-map" data-testid="seat-map">
              {list.map((l) => (
                <Seat key={l.row.id} live={l} now={now} onAct={setActing} />
              ))}
            </div>
          )}
          {mode === 'table' && (
          <table class="dense candidates">
            <thead>
              <tr>
                <th>No. peserta</th>
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
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((l) => (
                <Row key={l.row.id} live={l} now={now} sections={sections} onAct={setActing} />
              ))}
            </tbody>
          </table>
          )}
        </section>
        <aside class="feed" aria-label="Catatan kejadian">
          <h2>Catatan kejadian</h2>
          <input type="search" placeholder="Saring catatan" value={feedQuery} onInput={(e) => setFeedQuery(e.currentTarget.value)} aria-label="Saring catatan" />
          <ol class="feed-list" data-testid="feed">
            {feedShown.slice(0, 200).map((f) => (
              <li key={f.key} class={`feed-${f.kind}`}>
                <time>{timeOfDay(f.at)}</time> {f.text}
                {f.reason && <div class="reason">“{f.reason}”</div>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
      {acting && (
        <ActionDialog
          socket={socket}
          sittingId={sitting.id}
          row={rows.get(acting.id)?.row ?? acting}
          onClose={() => setActing(null)}
        />
      )}
      {sittingAction && <SittingActionDialog socket={socket} sitting={sitting} action={sittingAction} onClose={() => setSittingAction(null)} />}
    </main>
  );
}

