import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { io } from 'socket.io-client';
import { ackData } from '../../../server/src/contract/errors';
import type { ScoreboardSitting } from '../../../server/src/contract/scoreboard';
import { siteDateTime } from '../shared/format';
import { Board, SITTING_LABEL, type BoardSocket } from './board';
import '../shared/base.css';
import './scoreboard.css';

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
      <p class="muted">Kemajuan setiap peserta tampil selama ujian; nilai dan keterangan ambang batas tampil saat peserta selesai.</p>
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
                  {s.site} · {s.room} · {s.candidates} peserta · {siteDateTime(s.startedAt ?? s.scheduledStart, s.timezone)}
                </span>
              </a>
            </li>
          ))}
      </ul>
    </main>
  );
}

/** Whether the board is live: a board cut off from the server says so instead of looking current. */
function useOnline(socket: BoardSocket): boolean {
  // online until a connection is lost or refused: no flash of "offline" while the first one opens
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    socket.on('connect', up);
    socket.on('disconnect', down);
    socket.on('connect_error', down);
    return () => {
      socket.off('connect', up);
      socket.off('disconnect', down);
      socket.off('connect_error', down);
    };
  }, [socket]);
  return online;
}

function App() {
  const socket = useMemo((): BoardSocket => io('/scoreboard', { transports: ['websocket'] }), []);
  const sittingId = new URLSearchParams(location.search).get('sitting');
  const online = useOnline(socket);
  return (
    <div class="app scoreboard-app">
      <header class="topbar">
        <a class="brand" href="./">
          ◇ Kaca · Papan Skor
        </a>
        {!online && (
          <span class="board-offline" role="status" data-testid="board-offline">
            Terputus · menyambung ulang…
          </span>
        )}
      </header>
      {sittingId ? <Board socket={socket} sittingId={sittingId} /> : <SittingList socket={socket} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
