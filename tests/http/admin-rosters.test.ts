import { afterEach, describe, expect, it } from 'vitest';
import { call, staffHeaders } from '../helpers/admin.js';
import { candidateSession, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => server?.close());

const csv = (...rows: string[]) => rows.join('\r\n') + '\r\n';
const post = (s: TestServer, headers: Record<string, string>, path: string, body: string) => call(s, 'POST', `/api/admin/sittings/${s.sittingId}/candidates${path}`, { headers, body, type: 'text/csv' });

describe('roster CSV', () => {
  it('checks a roster row by row without storing it, then imports it with each PIN once', async () => {
    server = await startTestServer({ status: 'scheduled', candidates: 1 });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const bad = csv('no_peserta,nama,formasi,kelompok,kursi', '2401,"Sari, Dewi",F1,umum,1', '2402,Budi,F2,disabilitas,1', 'R0001,Ani,F1,,', '2403,Dedi,F3,,');
    const checked = await post(server, admin, '/check', bad);
    expect(checked.status).toBe(200);
    expect(checked.body.rows.map((r: { line: number; errors: string[] }) => [r.line, r.errors])).toEqual([
      [2, ['seat 1 is also given to 2402 (line 3)']],
      [3, ['group "disabilitas" is not in template mini: use one of umum (or leave it empty for umum)', 'seat 1 is also given to 2401 (line 2)']],
      [4, ['R0001 is already on sitting sit1']],
      // the sitting declares F1 and F2: a third formation would be ranked alone, under a made-up vacancy
      [5, ["formation F3 is not one of the sitting's formations (F1; F2): correct the row, or add the formation to the sitting first"]],
    ]);
    expect(checked.body).toMatchObject({ columns: ['registration_number', 'name', 'formation', 'group', 'seat'], valid: 0, invalid: 4, problems: [] });

    const refused = await post(server, admin, '', bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('BAD_REQUEST');
    expect(refused.body.error.message).toMatch(/^4 rows have errors; nothing was stored: line 2: seat 1 is also given to 2402/);
    expect(refused.body.error.details.rows).toHaveLength(4);
    expect(server.store.repos.candidates.listBySitting(server.sittingId)).toHaveLength(1);

    const good = csv('no_peserta,nama,formasi,kelompok,kursi,tambahan_menit', '2401,"Sari, Dewi",F1,umum,1,', '2402,Budi,F2,,2,30');
    const imported = await post(server, admin, '', good);
    expect(imported.status).toBe(201);
    expect(imported.body.sittingId).toBe(server.sittingId);
    expect(imported.body.candidates.map((c: { registrationNumber: string; name: string; group: string; seat: string }) => [c.registrationNumber, c.name, c.group, c.seat])).toEqual([
      ['2401', 'Sari, Dewi', 'umum', '1'],
      ['2402', 'Budi', 'umum', '2'],
    ]);
    expect(imported.body.candidates.every((c: { pin: string }) => /^\d{6}$/.test(c.pin))).toBe(true);
    const roster = await call(server, 'GET', `/api/admin/sittings/${server.sittingId}/candidates`, { headers: admin });
    expect(roster.body.map((c: { registrationNumber: string; extraMinutes: number; status: string }) => [c.registrationNumber, c.extraMinutes, c.status])).toEqual([
      ['2401', 0, 'absent'],
      ['2402', 30, 'absent'],
      ['R0001', 0, 'absent'],
    ]);
    // the PINs are shown once: nothing that reads the roster later has them
    expect(JSON.stringify(roster.body)).not.toContain(imported.body.candidates[0].pin);
    expect(JSON.stringify(roster.body)).not.toMatch(/pin/i);
    expect(server.store.repos.candidates.byRegistration(server.sittingId, '2401')!.pinHash).not.toContain(imported.body.candidates[0].pin);

    // the sitting's formations cannot then leave out one the roster applies for
    const narrowed = await call(server, 'PATCH', `/api/admin/sittings/${server.sittingId}`, { headers: admin, json: { vacancies: { F1: 3 } } });
    expect(narrowed.status).toBe(400);
    expect(narrowed.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'candidates on the sitting apply for formation F2, which the change leaves out: keep it among the formations' });
    expect(server.store.repos.sittings.get(server.sittingId)!.vacancies).toEqual({ F1: 1, F2: 1 });
    const widened = await call(server, 'PATCH', `/api/admin/sittings/${server.sittingId}`, { headers: admin, json: { vacancies: { F1: 3, F2: 1, F3: 2 } } });
    expect(widened.status).toBe(200);
    expect(widened.body.vacancies).toEqual({ F1: 3, F2: 1, F3: 2 });
  });

  it('returns the PINs as CSV when asked, and the new candidates can log in with them on an open sitting', async () => {
    server = await startTestServer({ status: 'running', candidates: 1 });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const r = await call(server, 'POST', `/api/admin/sittings/${server.sittingId}/candidates?format=csv`, { headers: admin, body: csv('registration_number,name,formation', '2501,Dewi,F2'), type: 'text/csv' });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const [head, line] = (r.body as string).trim().split('\r\n');
    expect(head).toBe('registration_number,name,formation,group,seat,pin');
    const pin = line.split(',')[5];
    const cand = await candidateSession(server, '2501', pin);
    expect(cand.snapshot.candidate).toMatchObject({ registrationNumber: '2501', name: 'Dewi', group: 'umum' });
    cand.socket.disconnect();
  });

  it('says what is wrong with the file, and refuses rosters for a closed sitting', async () => {
    server = await startTestServer({ status: 'scheduled' });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const noFormation = await post(server, admin, '', csv('registration_number,name', '1,x'));
    expect(noFormation.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'the roster cannot be read; nothing was stored: missing column: formation (the header has: registration_number, name)' });
    const empty = await post(server, admin, '', '');
    expect(empty.status).toBe(400);
    const json = await call(server, 'POST', `/api/admin/sittings/${server.sittingId}/candidates`, { headers: admin, json: { candidates: [] } });
    expect(json.body.error).toEqual({ code: 'BAD_REQUEST', message: 'send the roster as text/csv: a header row and one row per candidate' });
    expect((await call(server, 'POST', '/api/admin/sittings/nope/candidates/check', { headers: admin, body: 'a', type: 'text/csv' })).status).toBe(404);
    const { socket } = await staffSocket(server, server.admin.username, server.admin.password);
    await ok(socket, 'sitting:open', { sittingId: server.sittingId, reason: 'dibuka' });
    await ok(socket, 'sitting:close', { sittingId: server.sittingId, reason: 'selesai' });
    socket.disconnect();
    const closed = await post(server, admin, '/check', csv('registration_number,name,formation', '9,x,y'));
    expect(closed.body.error).toEqual({ code: 'INVALID_STATE', message: `sitting ${server.sittingId} is closed: candidates can no longer be added` });
  });
});
