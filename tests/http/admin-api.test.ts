import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, staffHeaders } from '../helpers/admin.js';
import { candidateSession, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => server?.close());

/**
 * Sends only the headers of a 50 MB upload (and a few bytes of body) and resolves with what the
 * server answered and whether it then closed the connection, without ever sending the rest.
 */
function headersOnly(url: string, path: string, headers: Record<string, string>): Promise<{ head: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcp(Number(port), hostname);
    let got = '';
    const timer = setTimeout(() => reject(new Error(`no answer before the body was sent; got: ${got}`)), 5000);
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ head: got.split('\r\n')[0], closed: true });
    });
    socket.on('error', reject);
    const all = { 'Content-Type': 'application/zip', 'Content-Length': String(50 * 1024 * 1024), ...headers };
    const lines = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`), '', ''];
    socket.write(lines.join('\r\n') + 'PK\u0003\u0004');
  });
}

describe('admin API: access, status codes and the error shape', () => {
  it('refuses anonymous callers (401), proctors (403) and forged sessions in the one error shape', async () => {
    server = await startTestServer();
    const anonymous = await call(server, 'GET', '/api/admin/banks');
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'log in first' } } });
    const proctor = await staffHeaders(server, server.proctor.username, server.proctor.password);
    expect((await call(server, 'GET', '/api/admin/banks', { headers: proctor })).body).toEqual({ error: { code: 'FORBIDDEN', message: 'this needs an admin account' } });
    expect((await call(server, 'GET', '/api/admin/banks', { headers: { authorization: 'Bearer s.1.1.forged' } })).status).toBe(401);
    // proctors read what concerns their sittings only
    expect((await call(server, 'GET', `/api/admin/sittings/${server.sittingId}/results`, { headers: proctor })).status).toBe(200);
    expect((await call(server, 'GET', `/api/admin/sittings/${server.sittingId}`, { headers: proctor })).status).toBe(403);
  });

  it('refuses an upload from a non-admin before reading its body, and closes the connection', async () => {
    server = await startTestServer();
    const anonymous = await headersOnly(server.url, '/api/admin/banks?name=b.zip', {});
    expect(anonymous).toEqual({ head: 'HTTP/1.1 401 Unauthorized', closed: true });
    const proctor = await staffHeaders(server, server.proctor.username, server.proctor.password);
    const refused = await headersOnly(server.url, '/api/admin/banks?name=b.zip', proctor);
    expect(refused).toEqual({ head: 'HTTP/1.1 403 Forbidden', closed: true });
    const roster = await headersOnly(server.url, `/api/admin/sittings/${server.sittingId}/candidates`, proctor);
    expect(roster.head).toBe('HTTP/1.1 403 Forbidden');
    // an admin's upload over the limit is refused from its Content-Length alone
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const tooLarge = await headersOnly(server.url, '/api/admin/banks?name=b.zip', { ...admin, 'Content-Length': String(200 * 1024 * 1024) });
    expect(tooLarge).toEqual({ head: 'HTTP/1.1 413 Payload Too Large', closed: true });
  });

  it('what is refused before a route runs (a malformed path, headers too large, a forbidden key, a forbidden file) answers in the one error shape with its code', async () => {
    server = await startTestServer({ serveApps: true });
    const shape = async (r: Response) => ({ status: r.status, body: (await r.json()) as { error: { code: string; message: string } } });
    expect(await shape(await fetch(`${server.url}/api/sittings/%E0%A4%A/scoreboard`))).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not a valid url component/) } } });
    const big = await shape(await fetch(`${server.url}/api/scoreboard/sittings?q=${'x'.repeat(20_000)}`));
    expect(big).toEqual({ status: 431, body: { error: { code: 'BAD_REQUEST', message: 'the request headers are larger than the server reads' } } });
    const proto = await shape(await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"registrationNumber":"1","pin":"1","__proto__":{"x":1}}' }));
    expect(proto).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/__proto__ key or a constructor.prototype/) } } });
    mkdirSync(join(server.dataDir, 'media'), { recursive: true });
    writeFileSync(join(server.dataDir, 'media', '.secret'), 'x');
    expect(await shape(await fetch(`${server.url}/media/.secret`))).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.any(String) } } });
  });

  it('documents every route: response schemas per status code, 201 for creates, the error shape, CSV and file bodies', async () => {
    server = await startTestServer();
    const doc = await (await fetch(`${server.url}/docs/json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, methods]) => Object.entries<any>(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(ops.length).toBeGreaterThanOrEqual(33);
    for (const { route, op } of ops) {
      const codes = Object.keys(op.responses);
      const success = codes.filter((c) => c.startsWith('2'));
      expect(success.length, `${route} has a success reply`).toBeGreaterThan(0);
      for (const c of success) expect(op.responses[c].content, `${route} ${c} has a body schema`).toBeDefined();
      for (const c of codes.filter((x) => !x.startsWith('2'))) {
        expect(op.responses[c].content['application/json'].schema, `${route} ${c}`).toEqual({ $ref: '#/components/schemas/Error' });
        expect(op.responses[c].description).not.toBe('Default Response');
      }
      if (route.startsWith('POST /api/admin') && !route.includes('/retire') && !route.includes('/check')) expect(success, route).toContain('201');
    }
    const byRoute = Object.fromEntries(ops.map((o) => [o.route, o.op]));
    expect(Object.keys(byRoute['POST /api/admin/sittings/{id}/candidates'].requestBody.content)).toEqual(['text/csv']);
    expect(Object.keys(byRoute['POST /api/admin/sittings/{id}/candidates'].responses['201'].content)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(byRoute['GET /api/admin/sittings/{id}/results'].responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(byRoute['POST /api/admin/banks'].requestBody.content)).toEqual(['application/json', 'text/csv', 'application/zip', 'application/octet-stream']);
    expect(byRoute['GET /api/admin/banks/{id}/qti'].responses['200'].content).toHaveProperty('application/zip');
    expect(byRoute['POST /api/admin/templates'].requestBody.content['application/json'].schema.properties).toHaveProperty('thresholdSets');
    expect(doc.components.schemas.SittingInfo.properties.status.enum).toEqual(['scheduled', 'open', 'running', 'closed']);
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('BANK_INVALID');
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);
  });

  it('serves the console at /admin/ and the files of DATA_DIR/media at /media/, never a dotfile', async () => {
    server = await startTestServer({ serveApps: true });
    const page = await fetch(`${server.url}/admin/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Konsol Admin');
    mkdirSync(join(server.dataDir, 'media', 'foto'), { recursive: true });
    writeFileSync(join(server.dataDir, 'media', 'foto', '2401.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(join(server.dataDir, 'media', '.secret'), 'x');
    const photo = await fetch(`${server.url}/media/foto/2401.png`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${server.url}/media/.secret`)).status).not.toBe(200);
    expect((await fetch(`${server.url}/media/../kaca.db`)).status).not.toBe(200);
  });

  it('every reply carries the security headers: pages, the API, its errors and a 404', async () => {
    server = await startTestServer({ serveApps: true });
    const replies = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/scoreboard/`),
      await fetch(`${server.url}/api/health`),
      await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      await fetch(`${server.url}/api/admin/accounts`),
      await fetch(`${server.url}/no/such/page`),
      await fetch(`${server.url}/api/no/such/route?x=1`),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 400, 401, 404, 404]);
    // an address nobody serves: the API's one error shape under /api/, a short page elsewhere
    expect(await replies[6].clone().json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /api/no/such/route' } });
    expect(await replies[5].clone().text()).toMatch(/^404: halaman tidak ditemukan/);
    for (const r of replies) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(r.headers.get('cross-origin-embedder-policy')).toBeNull();
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('metrics give how long answers waited for their ack, the commit included, since the last read', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    expect((await call(server, 'GET', '/api/admin/metrics', { headers: admin })).body.answerAckMs).toEqual({ count: 0, p50: 0, p99: 0, max: 0 });
    // every commit takes 40 ms longer than the disk needs: the acks' times must show it
    const writer = server.store.writer;
    const submit = writer.submit.bind(writer);
    writer.submit = (unit) => new Promise((r) => setTimeout(r, 40)).then(() => submit(unit));
    const c = server.candidates[0];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    await ok(cand.socket, 'exam:start');
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 });
    await ok(cand.socket, 'answer:submit', { seq: 2, item: 1, choice: 2 });
    await ok(cand.socket, 'flag:set', { seq: 3, item: 1, flagged: true });
    cand.socket.disconnect();
    const m = (await call(server, 'GET', '/api/admin/metrics', { headers: admin })).body.answerAckMs;
    expect(m.count).toBe(3);
    expect(m.p50).toBeGreaterThanOrEqual(40);
    expect(m.max).toBeGreaterThanOrEqual(m.p99);
    expect(m.p99).toBeGreaterThanOrEqual(m.p50);
    expect((await call(server, 'GET', '/api/admin/metrics', { headers: admin })).body.answerAckMs.count).toBe(0);
  });

  it('results as JSON and CSV, and the audit log a page at a time', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const json = await call(server, 'GET', `/api/admin/sittings/${server.sittingId}/results`, { headers: admin });
    expect(json.body).toMatchObject({ sittingId: server.sittingId, sittingStatus: 'running', sections: ['A', 'B'], formations: [{ formation: 'F1', vacancies: 1, quota: 3 }, { formation: 'F2', vacancies: 1, quota: 3 }] });
    expect(json.body.formations[0].lines[0]).toEqual({ id: expect.any(Number), registrationNumber: 'R0001', name: 'Calon Peserta 1', formation: 'F1', group: 'umum', sections: { A: 0, B: 0 }, total: 0, passed: null, thresholdSet: null, status: 'absent', receiptId: null, rank: null, advances: false });
    const csv = await call<string>(server, 'GET', `/api/admin/sittings/${server.sittingId}/results?format=csv`, { headers: admin });
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="hasil-${server.sittingId}.csv"`);
    expect(csv.body.split('\r\n')[0]).toBe('formation,rank,registration_number,name,group,a,b,total,passed,next_stage,status,receipt_id');
    // nobody has a result yet: not "failed", not passed either
    expect(csv.body.split('\r\n')[1]).toBe('F1,,R0001,Calon Peserta 1,umum,,,,,,absent,');

    const proctor = (await call(server, 'GET', '/api/admin/accounts', { headers: admin })).body.find((a: { username: string }) => a.username === 'other');
    for (const displayName of ['A', 'B', 'C']) await call(server, 'PATCH', `/api/admin/accounts/${proctor.id}`, { headers: admin, json: { displayName } });
    const first = await call(server, 'GET', '/api/admin/audit?limit=2', { headers: admin });
    expect(first.body.entries.map((e: { details: { displayName: string } }) => e.details.displayName)).toEqual(['C', 'B']);
    const second = await call(server, 'GET', `/api/admin/audit?limit=2&before=${first.body.next}`, { headers: admin });
    expect(second.body.entries[0].details.displayName).toBe('A');
    expect((await call(server, 'GET', '/api/admin/audit?limit=9999', { headers: admin })).status).toBe(400);
    expect(first.body.entries[0]).toMatchObject({ candidateId: null, registrationNumber: null, candidateName: null });

    // an action about a candidate names them, so the operator reading the log knows who it was about
    const c = server.candidates[1];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    const p = await staffSocket(server, server.proctor.username, server.proctor.password);
    await ok(cand.socket, 'exam:start');
    await ok(p.socket, 'candidate:pause', { sittingId: server.sittingId, candidateId: cand.candidateId, reason: 'listrik padam di meja 2' });
    cand.socket.disconnect();
    p.socket.disconnect();
    const paused = await call(server, 'GET', '/api/admin/audit?action=pause', { headers: admin });
    expect(paused.body.entries).toEqual([expect.objectContaining({ candidateId: cand.candidateId, registrationNumber: c.registrationNumber, candidateName: 'Calon Peserta 2', reason: 'listrik padam di meja 2' })]);
  });
});
