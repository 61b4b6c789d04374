import { errorText } from './labels';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { AckError, ackData } from '../../../server/src/contract/errors';
import { forgetStaff, proctorSocket, staffLogin, staffLogout, storedStaff, type ProctorSocket, type StaffSession } from './api';
import { RoomView } from './room';
import { ReportView } from './report';
import { ResultsView } from './results';
import { siteDateTime } from '../shared/format';
import '../shared/base.css';
import './proctor.css';

const STATUS_LABEL: Record<string, string> = { scheduled: 'Terjadwal', open: 'Dibuka', running: 'Berlangsung', closed: 'Ditutup' };
export const sittingStatusLabel = (s: string) => STATUS_LABEL[s] ?? s;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Login({ onIn }: { onIn: (s: StaffSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onIn(await staffLogin(username.trim(), password));
    } catch (err) {
      setError(err instanceof AckError && err.code === 'INVALID_CREDENTIALS' ? 'Nama pengguna atau kata sandi salah.' : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center">
      <form class="card login" onSubmit={submit}>
        <h1>Konsol Pengawas</h1>
        <label>
          Nama pengguna
          <input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoFocus required autoComplete="username" />
        </label>
        <label>
          Kata sandi
          <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autoComplete="current-password" />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          Masuk
        </button>
      </form>
    </main>
  );
}

function SittingList({ socket }: { socket: ProctorSocket }) {
  const [list, setList] = useState<SittingInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () => ackData(socket.emitWithAck('sittings:list')).then(setList, (e: Error) => setError(errorText(e)));
    if (socket.connected) load();
    socket.on('connect', load);
    return () => socket.off('connect', load);
  }, [socket]);
  if (error) return <p class="error">{error}</p>;
  if (!list) return <p class="muted pad">Memuat…</p>;
  if (list.length === 0) return <p class="muted pad">Belum ada sesi yang ditugaskan kepada Anda.</p>;
  return (
    <main class="pad">
      <h1>Sesi ujian</h1>
      <table class="dense sittings">
        <thead>
          <tr>
            <th>Sesi</th>
            <th>Lokasi</th>
            <th>Jadwal</th>
            <th>Peserta</th>
            <th>Status</th>
            <th>
              <span class="sr-only">Tautan</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.id}>
              <td>
                <a href={`#/sitting/${encodeURIComponent(s.id)}`}>{s.name}</a>
              </td>
              <td>
                {s.site} · {s.room}
              </td>
              <td>{siteDateTime(s.scheduledStart, s.timezone)}</td>
              <td class="num">{s.candidates}</td>
              <td>
                <span class={`badge sitting-${s.status}`}>{sittingStatusLabel(s.status)}</span>
              </td>
              <td>
                <a href={`#/sitting/${encodeURIComponent(s.id)}/report`}>Berita acara</a>
                {s.status === 'closed' && (
                  <>
                    {' · '}
                    <a href={`#/sitting/${encodeURIComponent(s.id)}/results`}>Hasil</a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

function App() {
  const [staff, setStaff] = useState<StaffSession | null>(storedStaff);
  const [socket, setSocket] = useState<ProctorSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const hash = useHash();
  useEffect(() => {
    if (!staff) return;
    const s = proctorSocket(staff.session);
    s.on('connect', () => setConnected(true));
    s.on('disconnect', () => setConnected(false));
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'UNAUTHORIZED') {
        forgetStaff();
        setStaff(null);
      }
    });
    // the server ended the session (logout elsewhere, expiry, account disabled, new password)
    s.on('session:ended', () => {
      forgetStaff();
      setStaff(null);
    });
    setSocket(s);
    return () => s.disconnect();
  }, [staff]);

  if (!staff) return <Login onIn={setStaff} />;
  const logout = () => {
    // ended on the server too, not only forgotten here: the token is worthless from now on
    void staffLogout(staff.session).finally(() => {
      forgetStaff();
      setStaff(null);
      location.hash = '';
    });
  };
  const m = /^#\/sitting\/([^/]+)(?:\/(report|results))?$/.exec(hash);
  const sittingId = m ? decodeURIComponent(m[1]) : null;
  return (
    <div class="app">
      <header class="topbar no-print">
        <a class="brand" href="#/">
          ◇ Kaca · Konsol Pengawas
        </a>
        <span class={`conn ${connected ? 'on' : 'off'}`} role="status">
          <span class="dot" /> {connected ? 'Terhubung' : 'Terputus - menyambung ulang…'}
        </span>
        <span class="spacer" />
        <span class="who">
          {staff.account.displayName} ({staff.account.role === 'admin' ? 'admin' : 'pengawas'})
        </span>
        <button type="button" class="ghost" onClick={logout}>
          Keluar
        </button>
      </header>
      {socket && !sittingId && <SittingList socket={socket} />}
      {socket && sittingId && !m![2] && <RoomView socket={socket} sittingId={sittingId} />}
      {sittingId && m![2] === 'report' && <ReportView session={staff.session} sittingId={sittingId} />}
      {sittingId && m![2] === 'results' && <ResultsView session={staff.session} sittingId={sittingId} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
