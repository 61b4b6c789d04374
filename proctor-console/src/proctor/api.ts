import { io, type Socket } from 'socket.io-client';
import { AckError, type ErrorBody } from '../../../server/src/contract/errors';
import type { ProctorClientEvents, ProctorServerEvents, StaffLoginResult } from '../../../server/src/contract/proctor';

export type ProctorSocket = Socket<ProctorServerEvents, ProctorClientEvents>;

const KEY = 'kaca.staff';


export interface StaffSession {
  session: string;
  account: StaffLoginResult['account'];
}

export function storedStaff(): StaffSession | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as StaffSession) : null;
}

export function forgetStaff(): void {
  sessionStorage.removeItem(KEY);
}

export async function staffLogin(username: string, password: string): Promise<StaffSession> {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await res.json().catch(() => ({}))) as StaffLoginResult & { error?: ErrorBody };
  if (!res.ok || body.error) throw new AckError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${res.status}`);
  const s = { session: body.session, account: body.account };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

/** Ends the session on the server (best effort: the console forgets it either way). */
export async function staffLogout(session: string): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${session}` } }).catch(() => undefined);
}

export async function getJson<T>(session: string, path: string): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session}` } });
  const body = (await res.json().catch(() => ({}))) as T & { error?: ErrorBody };
  if (!res.ok) throw new AckError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** Downloads an authenticated CSV as a file. */
export async function downloadCsv(session: string, path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session}` } });
  if (!res.ok) throw new AckError('INTERNAL', `HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function proctorSocket(session: string): ProctorSocket {
  return io('/proctor', { auth: { session }, transports: ['websocket'] });
}

