import { postJson, type TestServer } from './server.js';

/** A bearer header for a staff login on a test server. */
export async function staffHeaders(server: Pick<TestServer, 'url'>, username: string, password: string): Promise<Record<string, string>> {
  const r = await postJson<{ session: string }>(`${server.url}/api/auth/login`, { username, password });
  if (r.status !== 200) throw new Error(`staff login failed: ${JSON.stringify(r.body)}`);
  return { authorization: `Bearer ${r.body.session}` };
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * One HTTP call with a JSON body (or raw bytes / text with their content type); the reply parsed
 * as JSON when it is JSON.
 */
export async function call<T = any>(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; json?: unknown; body?: string | Uint8Array; type?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['content-type'] = opts.type ?? 'application/octet-stream';
    body = opts.body as BodyInit;
  }
  const r = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await r.text();
  const json = (r.headers.get('content-type') ?? '').includes('json');
  return { status: r.status, body: (json && text ? JSON.parse(text) : text) as T, headers: r.headers };
}

/** A kaca-bank@1 document for the test template ('mini': keyed A, weighted B). */
export function miniBank(id: string, n: { A: number; B: number }, stem = (s: string, i: number) => `<p>${s === 'A' ? 'Soal' : 'Situasi'} ${id} nomor ${i}</p>`) {
  return {
    format: 'kaca-bank@1',
    id,
    title: `Bank ${id}`,
    questions: [
      ...Array.from({ length: n.A }, (_, i) => ({ id: `a${i}`, section: 'A', topic: i % 2 ? 'x' : 'y', stem: stem('A', i), options: ['satu', 'dua', 'tiga', 'empat'], key: 'C' })),
      ...Array.from({ length: n.B }, (_, i) => ({ id: `b${i}`, section: 'B', topic: 'w', stem: stem('B', i), options: ['1', '2', '3', '4', '5'], weights: [1, 2, 3, 4, 5] })),
    ],
  };
}
