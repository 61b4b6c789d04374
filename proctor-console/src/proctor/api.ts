import { io, type Socket } from 'socket.io-client';
import type { Ack, ErrorBody } from '../../../server/src/contract/errors';
import type { StaffLoginResult } from '../../../server/src/contract/proctor';

const KEY = 'kaca.staff';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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
  if (!res.ok || body.error) throw new ApiError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${res.status}`);
  const s = { session: body.session, account: body.account };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export async function getJson<T>(session: string, path: string): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session}` } });
  const body = (await res.json().catch(() => ({}))) as T & { error?: ErrorBody };
  if (!res.ok) throw new ApiError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** Downloads an authenticated CSV as a file. */
export async function downloadCsv(session: string, path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session}` } });
  if (!res.ok) throw new ApiError('INTERNAL', `HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function proctorSocket(session: string): Socket {
  return io('/proctor', { auth: { session }, transports: ['websocket'] });
}

export async function call<T>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const r = (await socket.timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
  if (!r.ok) throw new ApiError(r.error.code, r.error.message);
  return r.data;
}
