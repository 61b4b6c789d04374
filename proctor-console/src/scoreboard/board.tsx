import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Socket } from 'socket.io-client';
import { ackData } from '../../../server/src/contract/errors';
import { applyScoreRow, type RankedScoreRow, type ScoreboardClientEvents, type ScoreboardDelta, type ScoreboardServerEvents, type ScoreboardSitting, type ScoreboardSnapshot } from '../../../server/src/contract/scoreboard';
import { clock, ServerClock, verifierKeyId } from '../shared/format';

export type BoardSocket = Socket<ScoreboardServerEvents, ScoreboardClientEvents>;

export const SITTING_LABEL: Record<string, string> = { open: 'Dibuka', running: 'Berlangsung', closed: 'Selesai' };
const HIGHLIGHT_MS = 2500;
const PAGE_MS = 10_000;
/** a TV row, in CSS pixels (scoreboard.css .scores-table td) */
const TV_ROW_PX = 36;
/** a TV column's heading, the pager under the columns and the log strip under it (one line of 18 px) */
const TV_CHROME_PX = 40 + 48 + 40;

/** The server's order: by formation, then the rank it gave (the board never ranks by itself). */
function inBoardOrder(rows: Iterable<RankedScoreRow>): RankedScoreRow[] {
  return [...rows].sort((a, b) => (a.formation < b.formation ? -1 : a.formation > b.formation ? 1 : (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.registrationNumber < b.registrationNumber ? -1 : 1)));
}

/**
 * The TV's mark of a threshold set other than the default: its number among them, explained
 * under the table. A set's name ("Disabilitas, Papua/Papua Barat, daerah tertinggal (2024)") does
 * not fit a fixed-height row of a board read from across the room.
 */
const setMark = (sitting: ScoreboardSitting, id: string) => sitting.thresholdSets.findIndex((x) => x.id === id);

/** What the last column says of a candidate: the verdict once they finished, else where they are. */
function Standing({ r, sitting, tv = false }: { r: RankedScoreRow; sitting: ScoreboardSitting; tv?: boolean }) {
  const set = r.thresholdSet !== sitting.thresholdSets[0]?.id ? sitting.thresholdSets.find((x) => x.id === r.thresholdSet) : undefined;
  if (r.status === 'terminated') return <span class="verdict fail">Dihentikan</span>;
  if (r.passed !== null && (r.status === 'finished' || sitting.revealPolicy === 'live')) {
    return (
      <span class={`verdict ${r.passed ? 'pass' : 'fail'}`}>
        {r.passed ? 'Memenuhi' : 'Tidak memenuhi'}
        {r.status !== 'finished' && <span class="sub"> (sementara)</span>}
        {set && tv && (
          <>
            <sup class="set-mark" aria-hidden="true" title={set.name}>
              {setMark(sitting, set.id)}
            </sup>
            <span class="sr-only"> {set.name}</span>
          </>
        )}
        {set && !tv && <span class="set">{set.name}</span>}
      </span>
    );
  }
  if (r.status === 'absent') return <span class="standing muted">{sitting.status === 'closed' ? 'Tidak hadir' : 'Belum hadir'}</span>;
  if (r.status === 'waiting' || r.status === 'admitted') return <span class="standing muted">{r.status === 'waiting' ? 'Menunggu izin' : 'Siap mulai'}</span>;
  const pct = r.itemCount ? (r.answered / r.itemCount) * 100 : 0;
  return (
    <span class="standing progress">
      <span class="bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span>
        {r.answered}/{r.itemCount}
        {r.status === 'paused' ? ' · jeda' : ''}
      </span>
    </span>
  );
}

type Line = { kind: 'formation'; formation: string; more: boolean } | { kind: 'row'; row: RankedScoreRow };

/** Board lines in columns of `perColumn`: a formation's heading before its rows, repeated atop a column that continues it. */
function columns(rows: RankedScoreRow[], perColumn: number): Line[][] {
  const out: Line[][] = [];
  let col: Line[] = [];
  let formation: string | null = null;
  const push = (l: Line) => {
    if (col.length >= perColumn) {
      out.push(col);
      col = [];
      // a column must not open on a heading alone, nor without saying whose ranks these are
      if (l.kind === 'row') col.push({ kind: 'formation', formation: l.row.formation, more: true });
    }
    col.push(l);
  };
  for (const row of rows) {
    if (row.formation !== formation) {
      formation = row.formation;
      // a heading never ends a column
      if (col.length >= perColumn - 1 && col.length > 0) {
        out.push(col);
        col = [];
      }
      push({ kind: 'formation', formation, more: false });
    }
    push({ kind: 'row', row });
  }
  if (col.length) out.push(col);
  return out;
}

function useViewport(): { width: number; height: number } {
  const [size, setSize] = useState({ width: window.innerWidth, height: window.innerHeight });
  useEffect(() => {
    const on = () => setSize({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return size;
}

/** One column of a TV page: the same fixed columns on every page, so nothing shifts as pages turn. */
function BoardTable({ lines, sitting, changed }: { lines: Line[]; sitting: ScoreboardSitting; changed: Map<number, number> }) {
  return (
    <table class="scores-table" data-testid="board">
      <colgroup>
        <col class="c-rank" />
        <col class="c-name" />
        <col class="c-reg" />
        {sitting.sections.map((s) => (
          <col key={s.id} class="c-score" />
        ))}
        <col class="c-total" />
        <col class="c-standing" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" class="num">
            #
          </th>
          <th scope="col">Nama</th>
          <th scope="col">No. peserta</th>
          {sitting.sections.map((s) => (
            <th scope="col" class="num" key={s.id} title={s.title}>
              {s.id}
            </th>
          ))}
          <th scope="col" class="num">
            Total
          </th>
          <th scope="col">Keterangan</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) =>
          l.kind === 'formation' ? (
            <tr key={`f-${l.formation}`} class="formation-row">
              <th scope="colgroup" colSpan={5 + sitting.sections.length}>
                {l.formation}
                {l.more ? ' (lanjutan)' : ''}
              </th>
            </tr>
          ) : (
            <tr key={l.row.id} class={`${changed.has(l.row.id) ? 'changed' : ''} st-${l.row.status}`} data-row={l.row.registrationNumber}>
              <td class={`num rank${l.row.rank ? '' : ' unranked'}`}>{l.row.rank ?? '–'}</td>
              <td class="name">{l.row.name}</td>
              <td class="mono reg">{l.row.registrationNumber}</td>
              {sitting.sections.map((s) => (
                <td class="num" key={s.id} data-field={s.id}>
                  {l.row.sections ? (l.row.sections[s.id] ?? 0) : '·'}
                </td>
              ))}
              <td class="num total" data-field="total">
                {l.row.total ?? '·'}
              </td>
              <td data-field="verdict">
                <Standing r={l.row} sitting={sitting} tv />
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

/** A phone: every candidate in one scrolling list, registration number shown, found with the search box. */
function PhoneList({ rows, sitting, changed }: { rows: RankedScoreRow[]; sitting: ScoreboardSitting; changed: Map<number, number> }) {
  let formation: string | null = null;
  return (
    <ol class="phone-list" data-testid="board">
      {rows.map((r) => {
        const heading = r.formation !== formation;
        formation = r.formation;
        return (
          <li key={r.id} class={`${changed.has(r.id) ? 'changed' : ''} st-${r.status}`} data-row={r.registrationNumber}>
            {heading && <h2 class="phone-formation">{r.formation}</h2>}
            <div class="phone-card">
              <span class={`rank${r.rank ? '' : ' unranked'}`} aria-label={r.rank ? `peringkat ${r.rank}` : 'tanpa peringkat'}>
                {r.rank ?? '–'}
              </span>
              <span class="who">
                <strong class="name">{r.name}</strong>
                <span class="mono reg">{r.registrationNumber}</span>
                {/* hidden until the candidate finishes (the on-finish policy): no line of empty scores */}
                {r.sections && <span class="scores">{sitting.sections.map((s) => `${s.id} ${r.sections![s.id] ?? 0}`).join(' · ')}</span>}
              </span>
              <span class="right">
                {/* a score not shown yet is no mark at all on a phone: the standing beside it says where the candidate is */}
                <strong class="total" data-field="total" data-hidden={r.total === null ? '' : undefined}>
                  {r.total ?? <span class="sr-only">skor belum dibuka</span>}
                </strong>
                <span data-field="verdict">
                  <Standing r={r} sitting={sitting} />
                </span>
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function Board({ socket, sittingId }: { socket: BoardSocket; sittingId: string }) {
  const [sitting, setSitting] = useState<ScoreboardSitting | null>(null);
  const [sittingAt, setSittingAt] = useState(0);
  const [rows, setRows] = useState<Map<number, RankedScoreRow>>(new Map());
  const [changed, setChanged] = useState<Map<number, number>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const [query, setQuery] = useState('');
  const [formation, setFormation] = useState('');
  const [, setTick] = useState(0);
  const serverClock = useRef(new ServerClock()).current;
  const sectionIds = useRef<string[]>([]);
  const { width, height } = useViewport();
  const phone = width < 700;
  // where the columns start on this screen: every row below it up to the pager is used
  const columnsRef = useRef<HTMLDivElement>(null);
  const [columnsTop, setColumnsTop] = useState(200);
  useLayoutEffect(() => {
    const top = columnsRef.current?.getBoundingClientRect().top;
    if (top !== undefined && Math.abs(top + window.scrollY - columnsTop) > 1) setColumnsTop(top + window.scrollY);
  });

  useEffect(() => {
    // the snapshot comes as an event just before the watch's ack (one packet for a crowd of viewers);
    // with several nodes it comes in the ack instead
    let sent: ScoreboardSnapshot | null = null;
    const onSnapshot = (snap: ScoreboardSnapshot) => {
      if (snap.sitting.id === sittingId) sent = snap;
    };
    const watch = () =>
      ackData(socket.emitWithAck('scoreboard:watch', { sittingId, snapshot: 'event' })).then(
        (reply) => {
          const snap = 'rows' in reply ? reply : sent;
          sent = null;
          if (!snap) throw new Error('the board sent no snapshot');
          serverClock.sync(snap.serverTime);
          sectionIds.current = snap.sitting.sections.map((x) => x.id);
          setSitting(snap.sitting);
          setSittingAt(snap.serverTime);
          setRows(new Map(snap.rows.map((r) => [r.id, r])));
          setError(null);
        },
        (e: Error) => {
          setError(e.message);
          // several nodes: the node that runs the sitting is changing; the board asks again
          if ((e as { code?: string }).code === 'UNAVAILABLE') setTimeout(watch, 1000);
        },
      );
    const onDelta = (d: ScoreboardDelta) => {
      if (d.sittingId !== sittingId) return;
      serverClock.sync(d.serverTime);
      if (d.sitting) {
        setSitting(d.sitting);
        setSittingAt(d.serverTime);
      }
      if (d.rows.length === 0) return;
      setRows((prev) => {
        const next = new Map(prev);
        for (const change of d.rows) {
          const old = prev.get(change[0]);
          if (old) next.set(old.id, applyScoreRow(old, change, sectionIds.current));
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
    socket.on('scoreboard:snapshot', onSnapshot);
    socket.on('scoreboard:updated', onDelta);
    socket.on('connect', watch);
    if (socket.connected) void watch();
    return () => {
      socket.off('scoreboard:snapshot', onSnapshot);
      socket.off('scoreboard:updated', onDelta);
      socket.off('connect', watch);
    };
  }, [socket, sittingId]);

  useEffect(() => {
    const id = setInterval(() => {
      setTick((x) => x + 1);
      setChanged((prev) => {
        const cutoff = Date.now() - HIGHLIGHT_MS;
        if (![...prev.values()].some((t) => t < cutoff)) return prev;
        return new Map([...prev].filter(([, t]) => t >= cutoff));
      });
    }, 500);
    return () => clearInterval(id);
  }, []);

  const ranked = useMemo(() => inBoardOrder(rows.values()), [rows]);
  const formations = useMemo(() => [...new Set(ranked.map((r) => r.formation))], [ranked]);
  const q = query.trim().toLowerCase();
  const filtered = useMemo(() => ranked.filter((r) => (!formation || r.formation === formation) && (!q || r.registrationNumber.toLowerCase().includes(q) || r.name.toLowerCase().includes(q))), [ranked, formation, q]);
  // a wide screen shows two columns of rows side by side: twice the candidates per page
  const perColumn = Math.max(6, Math.floor((height - columnsTop - TV_CHROME_PX) / TV_ROW_PX));
  const columnsPerPage = width >= 1500 ? 2 : 1;
  const cols = useMemo(() => columns(filtered, perColumn), [filtered, perColumn]);
  const pages = Math.max(1, Math.ceil(cols.length / columnsPerPage));
  // A TV turns pages on its own; a phone scrolls; a search shows its matches and stays.
  useEffect(() => {
    if (phone || pages <= 1 || q) return;
    const id = setInterval(() => setPage((p) => (p + 1) % pages), PAGE_MS);
    return () => clearInterval(id);
  }, [pages, phone, q]);
  useEffect(() => setPage(0), [q, formation]);

  if (error) return <p class="error pad">{error}</p>;
  if (!sitting) return <p class="muted pad">Memuat papan skor…</p>;
  const p = page % pages;
  const shown = cols.slice(p * columnsPerPage, (p + 1) * columnsPerPage);
  const left = sitting.endsAt === null ? null : sitting.paused ? sitting.endsAt - sittingAt : sitting.endsAt - serverClock.now();
  const finished = ranked.filter((r) => r.status === 'finished').length;
  const passing = ranked.filter((r) => r.passed && r.status === 'finished').length;
  // the sitting's clock runs out before everyone is done: a candidate who started later or was
  // given more time still sits, and the board says so instead of a bare 0:00:00
  const stillSitting = ranked.filter((r) => r.status === 'in_progress' || r.status === 'paused').length;
  const tools = (
    <div class="board-tools" role="search">
      <input type="search" inputMode="search" placeholder="Cari nomor atau nama" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Cari nomor peserta atau nama" data-testid="board-search" />
      {formations.length > 1 && (
        <select value={formation} onChange={(e) => setFormation(e.currentTarget.value)} aria-label="Formasi">
          <option value="">Semua formasi ({formations.length})</option>
          {formations.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      )}
      {q && (
        <span class="board-found" role="status">
          {filtered.length} ditemukan
        </span>
      )}
    </div>
  );
  return (
    <main class={`board ${phone ? 'phone' : 'tv'}`}>
      <header class="board-head">
        <div>
          <h1>{sitting.name}</h1>
          <p class="board-facts">
            {sitting.site} · {sitting.room} · {SITTING_LABEL[sitting.status] ?? sitting.status} · {sitting.candidates} peserta · {finished} selesai · {passing} memenuhi ambang batas
          </p>
        </div>
        {!phone && tools}
        <div class="board-clock" role="timer" aria-label="Sisa waktu sesi">
          {sitting.status === 'running' && left !== null && left <= 0 && stillSitting > 0 ? (
            <>
              <span class="board-clock-label">Waktu sesi habis</span>
              <strong class="board-clock-note" data-testid="board-still-sitting">
                {stillSitting} peserta masih mengerjakan
              </strong>
            </>
          ) : sitting.status === 'running' && left !== null ? (
            <>
              <span class="board-clock-label">{sitting.paused ? 'Sesi dijeda' : 'Sisa waktu sesi'}</span>
              <strong data-testid="board-time">{clock(left)}</strong>
            </>
          ) : (
            <strong>{SITTING_LABEL[sitting.status] ?? sitting.status}</strong>
          )}
        </div>
      </header>
      {phone && tools}
      {phone ? (
        <PhoneList rows={filtered} sitting={sitting} changed={changed} />
      ) : (
        <div class="board-columns" ref={columnsRef} style={{ gridTemplateColumns: `repeat(${columnsPerPage}, minmax(0, 1fr))` }}>
          {shown.map((lines, i) => (
            <BoardTable key={`${p}-${i}`} lines={lines} sitting={sitting} changed={changed} />
          ))}
        </div>
      )}
      {filtered.length === 0 && <p class="board-empty">Tidak ada peserta yang cocok.</p>}
      {!phone && (
        <p class="pager" data-testid="pager">
          {pages > 1 ? `Halaman ${p + 1} dari ${pages}${q ? '' : ' · berganti setiap 10 detik'} · ` : ''}Peringkat dihitung server per formasi; seperti pada hasil resmi, hanya peserta yang memenuhi ambang batas diberi peringkat.
        </p>
      )}
      {!phone && sitting.thresholdSets.length > 1 && (
        <p class="set-legend" data-testid="set-legend">
          Ambang batas: tanpa tanda {sitting.thresholdSets[0].name}
          {sitting.thresholdSets.slice(1).map((x) => (
            <span key={x.id}>
              {' · '}
              <sup class="set-mark">{setMark(sitting, x.id)}</sup> {x.name}
            </span>
          ))}
        </p>
      )}
      <LogStrip sitting={sitting} />
    </main>
  );
}

/**
 * The sitting log's public side, on the board so that it leaves the operator's hands while the
 * sitting runs (docs/verifiability.md): the seed's commitment (the seed itself once closed), the
 * latest signed checkpoint's size and root, and where candidates check their receipts.
 */
function LogStrip({ sitting }: { sitting: ScoreboardSitting }) {
  const log = sitting.log;
  // a checkpoint note's first three lines: origin, size, base64 root
  const [, size, root] = log.checkpoint?.split('\n') ?? [];
  return (
    <footer class="log-strip" data-testid="log-strip">
      <span>
        {log.seed === null ? 'Komitmen benih soal' : 'Benih soal'}: <span class="mono" data-testid="log-seed">{log.seed ?? `${log.seedCommitment.slice(0, 16)}…`}</span>
      </span>
      {size !== undefined && (
        <span>
          Log sesi: <strong data-testid="log-size">{size}</strong> catatan · akar <span class="mono">{root.slice(0, 12)}…</span> (bertanda tangan)
        </span>
      )}
      <span>
        Kunci tanda tangan: <span class="mono" data-testid="log-key" title={log.verifierKey}>id {verifierKeyId(log.verifierKey)}</span>
      </span>
      <span>
        Periksa tanda terima: <span class="mono">{location.origin}/verify/</span>
      </span>
    </footer>
  );
}
