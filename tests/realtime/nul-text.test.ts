import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { call, miniBank, staffHeaders } from '../helpers/admin.js';
import { ack, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import type { ProctorSnapshot } from '../../server/src/contract/proctor.js';

// PostgreSQL cannot store U+0000 in text and SQLite can: a NUL in any text must be refused as
// bad input on both, the same way, before anything is stored (this suite runs on both).
let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});

const NUL = '\u0000';
const count = async (table: string) => (await server.sql<{ n: number }>(`select cast(count(*) as integer) n from ${table}`))[0].n;
const refusedForNul = (r: { status: number; body: { error: { code: string; message: string } } }, field: RegExp) => {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('BAD_REQUEST');
  expect(r.body.error.message).toMatch(/NUL character/);
  expect(r.body.error.message).toMatch(field);
};

describe('a NUL character in text', () => {
  it('is refused in HTTP bodies, query strings and path parameters, and nothing is stored', async () => {
    server = await startTestServer({ status: 'scheduled', candidates: 1 });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const sittingsBefore = await count('sittings');
    const sitting = { id: 's2', name: `Sesi${NUL}2`, templateId: 'mini', bankId: 'bank1', site: 'Kanreg', room: 'R2', scheduledStart: '2026-12-01T08:00:00+07:00' };
    refusedForNul(await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: sitting }), /name/);
    expect(await count('sittings')).toBe(sittingsBefore);
    // the same body without it is fine: the refusal was for the NUL and nothing else
    expect((await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sitting, name: 'Sesi 2' } })).status).toBe(201);

    refusedForNul(await call(server, 'GET', `/api/admin/banks/bank1/questions?q=a${encodeURIComponent(NUL)}b`, { headers: admin }), /q/);
    refusedForNul(await call(server, 'GET', `/api/admin/sittings/s2${encodeURIComponent(NUL)}`, { headers: admin }), /id/);
    // an escaped backslash before "u0000" is text, not a NUL
    const literal = await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { name: 'C:\\u0000 bukan NUL' } });
    expect(literal.status).toBe(200);
    expect(literal.body.name).toBe('C:\\u0000 bukan NUL');

    const auditBefore = await count('audit_log');
    refusedForNul(await call(server, 'POST', '/api/auth/login', { json: { username: `admin${NUL}`, password: 'whatever-long' } }), /username/);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('is refused in a roster CSV and in a bank, naming the row or the question', async () => {
    server = await startTestServer({ status: 'scheduled', candidates: 1 });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const csv = ['no_peserta,nama,formasi', `2401,Sari${NUL}Dewi,Analis`, '2402,Budi,Analis'].join('\r\n') + '\r\n';
    const roster = await call(server, 'POST', `/api/admin/sittings/${server.sittingId}/candidates`, { headers: admin, body: csv, type: 'text/csv' });
    expect(roster.status).toBe(400);
    expect(roster.body.error.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(roster.body.error)).toMatch(/line 2: .*NUL character/);
    expect(await count('candidates')).toBe(1);

    const bank = miniBank('nulbank', { A: 4, B: 4 });
    bank.questions[2].options[1] = `dua${NUL}`;
    const upload = await call(server, 'POST', '/api/admin/banks', { headers: admin, body: JSON.stringify(bank), type: 'application/json' });
    expect(upload.status).toBe(400);
    expect(upload.body.error.code).toBe('BANK_INVALID');
    const problems = upload.body.error.details.errors as { questionId: string; field: string; message: string }[];
    expect(problems).toEqual([expect.objectContaining({ questionId: 'a2', field: 'options[1]', message: expect.stringMatching(/NUL character/) })]);
    expect((await server.sql(`select id from banks where id = 'nulbank'`)).length).toBe(0);
  });

  it('is refused in a socket event with BAD_REQUEST, and the audit log is unchanged', async () => {
    server = await startTestServer({ candidates: 2 });
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const before = await count('audit_log');
    const r = await ack(proctor.socket, 'incident:note', { sittingId: server.sittingId, reason: `listrik padam${NUL} di ruang 2` });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/reason: .*NUL character/) } });
    expect(await count('audit_log')).toBe(before);
    await ok(proctor.socket, 'incident:note', { sittingId: server.sittingId, reason: 'listrik padam di ruang 2' });
    expect(await count('audit_log')).toBe(before + 1);
  });
});
