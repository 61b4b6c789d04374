import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import { ackData } from '../../../server/src/contract/errors';
import { applyScoreRow, type RankedScoreRow, type ScoreboardClientEvents, type ScoreboardDelta, type ScoreboardServerEvents, type ScoreboardSitting } from '../../../server/src/contract/scoreboard';

type BoardSocket = Socket<ScoreboardServerEvents, ScoreboardClientEvents>;
import { clock, dateTime, ServerClock } from '../shared/format';
import '../shared/base.css';
import './scoreboard.css';

const STATUS_LABEL: Record<string, string> = {
  absent: 'belum hadir',
  waiting: 'menunggu',
  admitted: 'siap',
  in_progress: 'mengerjakan',
  paused: 'dijeda',
  finished: 'selesai',
  terminated: 'dihentikan',
};
const SITTING_LABEL: Record<string, string> = { open: 'Dibuka', running: 'Berlangsung', closed: 'Selesai' };
const HIGHLIGHT_MS = 2500;

/** The server's order: by formation, then the rank it gave (the board never ranks by itself). */
function inBoardOrder(rows: Iterable<RankedScoreRow>): RankedScoreRow[] {
  return [...rows].sort((a, b) => (a.formation < b.formation ? -1 : a.formation > b.formation ? 1 : (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.registrationNumber < b.registrationNumber ? -1 : 1)));
}

function usePageSize(): number {
  const calc = () => Math.max(5, Math.floor((window.innerHeight - 190) / 46));
  const [n, setN] = useState(calc);
  useEffect(() => {
    const on = () => setN(calc());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return n;
}

function Board({ socket, sittingId }: { socket: BoardSocket; sittingId: string }) {
  const [sitting, setSitting] = useState<ScoreboardSitting | null>(null);
  const [rows, setRows] = useState<Map<number, RankedScoreRow>>(new Map());
  const [changed, setChanged] = useState<Map<number, number>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const [now, setNow] = useState(Date.now());
  const serverClock = useRef(new ServerClock()).current;
  const sectionIds = useRef<string[]>([]);
  const pageSize = usePageSize();
  const phone = window.innerWidth < 700;

  useEffect(() => {
    const watch = () =>
      ackData(socket.emitWithAck('scoreboard:watch', { sittingId })).then(
        (snap) => {
          serverClock.sync(snap.serverTime);
          sectionIds.current = snap.sitting.sections.map((x) => x.id);
          setSitting(snap.sitting);
          setRows(new Map(snap.rows.map((r) => [r.id, r])));
          setError(null);
        },
        (e: Error) => setError(e.message),
      );
    const onDelta = (d: ScoreboardDelta) => {
      if (d.sittingId !== sittingId) return;
      serverClock.sync(d.serverTime);
      if (d.sitting) setSitting(d.sitting);
      if (d.rows.length === 0) return;
      setRows((prev) => {
        const next = new Map(prev);
        const sections = sectionIds.current;
        for (const change of d.rows) {
          const old = prev.get(change[0]);
          if (old) next.set(old.id, applyScoreRow(old, change, sections));
        }
        return next;
      });
      const at = Date.now();
      setChanged((prev) => {
        const next = new Map(prev);
        for (const change of d.rows) next.set(change[0], at);
        return next;
      });
    };
    socket.on('scoreboard:updated', onDelta);
    socket.on('connect', watch);
    if (socket.connected) void watch();
    return () => {
      socket.off('scoreboard:updated', onDelta);
      socket.off('connect', watch);
    };
  }, [socket, sittingId]);

  useEffect(() => {
    const id = setInterval(() => {
      setNow(Date.now());
      setChanged((prev) => {
        const cutoff = Date.now() - HIGHLIGHT_MS;
        if (![...prev.values()].some((t) => t < cutoff)) return prev;
        return new Map([...prev].filter(([, t]) => t >= cutoff));
      });
    }, 500);
    return () => clearInterval(id);
  }, []);

  const ranked = useMemo(() => inBoardOrder(rows.values()), [rows]);
  const pages = Math.max(1, Math.ceil(ranked.length / pageSize));
  // A TV shows hundreds of candidates by turning pages on its own; a phone scrolls.
  useEffect(() => {
    if (phone || pages <= 1) return;
    const id = setInterval(() => setPage((p) => (p + 1) % pages), 10_000);
    return () => clearInterval(id);
  }, [pages, phone]);

  if (error) return <p class="error pad">{error}</p>;
  if (!sitting) return <p class="muted pad">Memuat papan skor…</p>;
  const shown = phone ? ranked : ranked.slice((page % pages) * pageSize, (page % pages + 1) * pageSize);
  const left = sitting.endsAt !== null ? sitting.endsAt - serverClock.now() : null;
  void now;
  const passing = ranked.filter((r) => r.passed).length;
  return (
    <main class="board">
      <header class="board-head">
        <div>
          <h1>{sitting.name}</h1>
          <p class="muted">
            {sitting.site} · {sitting.room} · {SITTING_LABEL[sitting.status] ?? sitting.status} · {sitting.candidates} peserta · {passing} memenuhi ambang batas
          </p>
        </div>
        <div class="board-clock" aria-label="Sisa waktu">
          {sitting.status === 'running' && left !== null ? (
            <>
              <span class="muted">Sisa waktu</span>
              <strong data-testid="board-time">{clock(left)}</strong>
            </>
          ) : (
            <strong>{SITTING_LABEL[sitting.status] ?? sitting.status}</strong>
          )}
        </div>
      </header>
      <table class="scores-table" data-testid="board">
        <thead>
          <tr>
            <th class="num">#</th>
            <th>Nama</th>
            <th>No. peserta</th>
            {sitting.sections.map((s) => (
              <th class="num" key={s.id} title={s.title}>
                {s.id}
              </th>
            ))}
            <th class="num">Total</th>
            <th>Ambang</th>
            <th class="progress-h">Progres</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id} class={`${changed.has(r.id) ? 'changed' : ''} st-${r.status}`} data-row={r.registrationNumber}>
              <td class="num rank">{r.rank ?? '–'}</td>
              <td class="name">{r.name}</td>
              <td class="mono reg">{r.registrationNumber}</td>
              {sitting.sections.map((s) => (
                <td class="num" key={s.id} data-field={s.id}>
                  {r.sections ? (r.sections[s.id] ?? 0) : '·'}
                </td>
              ))}
              <td class="num total" data-field="total">
                {r.total ?? '·'}
              </td>
              <td class={r.passed === null ? 'pending' : r.passed ? 'pass' : 'fail'} data-field="verdict">
                {r.passed === null ? '…' : r.passed ? '✔' : '✖'}
                <span class="word"> {r.passed === null ? 'menunggu selesai' : r.passed ? 'memenuhi' : 'tidak memenuhi'}</span>
              </td>
              <td class="progress-c">
                <span class="bar" aria-hidden="true">
                  <span style={{ width: `${r.itemCount ? (r.answered / r.itemCount) * 100 : 0}%` }} />
                </span>
                <span class="muted small">
                  {r.answered}/{r.itemCount} · {STATUS_LABEL[r.status] ?? r.status}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!phone && pages > 1 && (
        <p class="pager muted">
          Halaman {(page % pages) + 1} dari {pages} · berganti setiap 10 detik
        </p>
      )}
    </main>
  );
}

function SittingList({ socket }: { socket: BoardSocket }) {
  const [list, setList] = useState<ScoreboardSitting[] | null>(null);
  useEffect(() => {
    const load = () => ackData(socket.emitWithAck('sittings:list')).then(setList, () => undefined);
    if (socket.connected) void load();
    socket.on('connect', load);
    const id = setInterval(load, 15_000);
    return () => {
      socket.off('connect', load);
      clearInterval(id);
    };
  }, [socket]);
  if (!list) return <p class="muted pad">Memuat…</p>;
  const order = { running: 0, open: 1, closed: 2 } as Record<string, number>;
  return (
    <main class="pad sittings-list">
      <h1>Papan skor langsung</h1>
      <p class="muted">Nilai setiap peserta tampil saat itu juga, selama ujian berlangsung.</p>
      {list.length === 0 && <p>Belum ada sesi yang berlangsung.</p>}
      <ul>
        {[...list]
          .sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || b.scheduledStart - a.scheduledStart)
          .map((s) => (
            <li key={s.id}>
              <a href={`?sitting=${encodeURIComponent(s.id)}`}>
                <strong>{s.name}</strong>
                <span class={`badge sitting-${s.status}`}>{SITTING_LABEL[s.status] ?? s.status}</span>
                <span class="muted">
                  {s.site} · {s.room} · {s.candidates} peserta · {dateTime(s.startedAt ?? s.scheduledStart)}
                </span>
              </a>
            </li>
          ))}
      </ul>
    </main>
  );
}

function App() {
  const socket = useMemo((): BoardSocket => io('/scoreboard', { transports: ['websocket'] }), []);
  const sittingId = new URLSearchParams(location.search).get('sitting');
  return (
    <div class="app scoreboard-app">
      <header class="topbar">
        <a class="brand" href="./">
          ◇ Kaca · Papan Skor
        </a>
      </header>
      {sittingId ? <Board socket={socket} sittingId={sittingId} /> : <SittingList socket={socket} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
