import type { ErrorResponse } from '../../../server/src/contract/http';

/** The admin console's side of the HTTP API (docs/protocol.md, "Admin API"). */

const KEY = 'kaca.staff';

export interface Session {
  session: string;
  account: { id: number; username: string; displayName: string; role: 'admin' | 'proctor' };
}

/** An error reply: the wire code, the server's message, and its details (a bank report, a roster check). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

function forgetSession(): void {
  sessionStorage.removeItem(KEY);
}

let onEnded: () => void = () => undefined;
/** Called when the server says the session is over (401): the console goes back to the login. */
export function whenSessionEnds(f: () => void): void {
  onEnded = f;
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorResponse | null;
  if (res.status === 401) {
    forgetSession();
    onEnded();
  }
  return new ApiError(res.status, body?.error.code ?? 'INTERNAL', body?.error.message ?? `HTTP ${res.status}`, body?.error.details);
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorResponse | null;
    throw new ApiError(res.status, body?.error.code ?? 'INTERNAL', body?.error.message ?? `HTTP ${res.status}`, body?.error.details);
  }
  const s = (await res.json()) as Session;
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export async function logout(s: Session): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${s.session}` } }).catch(() => undefined);
  forgetSession();
}

export interface Body {
  json?: unknown;
  /** a file or text sent as it is */
  raw?: Blob | string;
  type?: string;
}

export async function api<T>(s: Session, method: string, path: string, body?: Body): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${s.session}` };
  let payload: BodyInit | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.raw !== undefined) {
    headers['content-type'] = body.type || 'application/octet-stream';
    payload = body.raw;
  }
  const res = await fetch(path, { method, headers, body: payload });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** Downloads an authenticated file (CSV, a QTI zip) under the given name. */
export async function download(s: Session, path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${s.session}` } });
  if (!res.ok) throw await failure(res);
  saveBlob(await res.blob(), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export const enc = encodeURIComponent;
