import { afterEach, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => server?.close());

async function staff(username: string, password: string): Promise<Record<string, string>> {
  const r = await postJson<{ session: string }>(`${server.url}/api/auth/login`, { username, password });
  expect(r.status).toBe(200);
  return { authorization: `Bearer ${r.body.session}` };
}

const bank = (id: string, n: { A: number; B: number }) => ({
  format: 'kaca-bank@1',
  id,
  title: 'Bank impor',
  questions: [
    ...Array.from({ length: n.A }, (_, i) => ({ id: `a${i}`, section: 'A', topic: i % 2 ? 'x' : 'y', stem: `<p>Soal ${i}</p>`, options: ['1', '2', '3', '4'], key: 'C' })),
    ...Array.from({ length: n.B }, (_, i) => ({ id: `b${i}`, section: 'B', topic: 'w', stem: `<p>Situasi ${i}</p>`, options: ['1', '2', '3', '4', '5'], weights: [1, 2, 3, 4, 5] })),
  ],
});

describe('admin API', () => {
  it('needs an admin session; proctors and anonymous callers are refused', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.url}/api/admin/banks`)).status).toBe(401);
    const proctor = await staff(server.proctor.username, server.proctor.password);
    const r = await fetch(`${server.url}/api/admin/banks`, { headers: proctor });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('FORBIDDEN');
    expect((await fetch(`${server.url}/api/admin/banks`, { headers: { authorization: 'Bearer s.1.1.forged' } })).status).toBe(401);
  });

  it('imports a bank, creates a sitting, imports candidates from CSV and exports ranked results', async () => {
    server = await startTestServer();
    const admin = await staff(server.admin.username, server.admin.password);
    const bad = await postJson<{ error: { code: string; details: { questionId: string; field: string }[] } }>(`${server.url}/api/admin/banks?template=mini`, { ...bank('b2', { A: 1, B: 0 }), questions: [{ id: 'q1', section: 'A', topic: 't', stem: 'ok', options: ['a'], key: 'A' }, { id: 'q2', section: 'A', topic: 't', stem: '<script>', options: ['a', 'b'], key: 'A' }] }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BANK_INVALID');
    expect(bad.body.error.details.map((d) => [d.questionId, d.field])).toEqual([['q1', 'options'], ['q2', 'stem']]);
    expect(server.store.repos.banks.exists('b2')).toBe(false);
    const good = await postJson(`${server.url}/api/admin/banks?template=mini`, bank('b2', { A: 10, B: 5 }), admin);
    expect(good).toMatchObject({ status: 201, body: { id: 'b2', questions: 15, sections: { A: 10, B: 5 } } });
    expect((await postJson(`${server.url}/api/admin/banks`, bank('b2', { A: 10, B: 5 }), admin)).status).toBe(409);

    const tooSmall = await postJson<{ error: { code: string; message: string } }>(`${server.url}/api/admin/banks`, bank('tiny', { A: 2, B: 5 }), admin);
    expect(tooSmall.status).toBe(201);
    const sittingBody = { id: 's2', name: 'Sesi 2', templateId: 'mini', bankId: 'tiny', site: 'Kanreg', room: 'R2', scheduledStart: '2026-12-01T08:00:00+07:00', requireToken: true };
    const refused = await postJson<{ error: { code: string; message: string } }>(`${server.url}/api/admin/sittings`, sittingBody, admin);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'BANK_TOO_SMALL', message: expect.stringContaining('section A needs 4 questions but the bank has 2 (short by 2)') });
    const created = await postJson<{ id: string; status: string }>(`${server.url}/api/admin/sittings`, { ...sittingBody, bankId: 'b2', vacancies: { 'Analis': 1 } }, admin);
    expect(created).toMatchObject({ status: 201, body: { id: 's2', status: 'scheduled' } });

    const csv = 'registration_number,name,formation,group\r\n2401,"Sari, Dewi",Analis,umum\r\n2402,Budi Santoso,Analis,disabilitas\r\n';
    const imp = await fetch(`${server.url}/api/admin/sittings/s2/candidates`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: csv });
    expect(imp.status).toBe(201);
    const pins = (await imp.json()) as { candidates: { registrationNumber: string; name: string; pin: string }[] };
    expect(pins.candidates.map((c) => [c.registrationNumber, c.name])).toEqual([['2401', 'Sari, Dewi'], ['2402', 'Budi Santoso']]);
    expect(pins.candidates.every((c) => /^\d{6}$/.test(c.pin))).toBe(true);
    const dup = await fetch(`${server.url}/api/admin/sittings/s2/candidates`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: csv });
    expect(dup.status).toBe(409);
    const badCsv = await fetch(`${server.url}/api/admin/sittings/s2/candidates`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: 'registration_number,name\r\n1,x\r\n' });
    expect(badCsv.status).toBe(400);
    expect((await badCsv.json()).error.message).toContain('missing column(s): formation');
    expect(server.store.repos.candidates.listBySitting('s2')).toHaveLength(2);

    const results = await fetch(`${server.url}/api/admin/sittings/s2/results?format=csv`, { headers: admin });
    expect(results.headers.get('content-type')).toContain('text/csv');
    const lines = (await results.text()).trim().split('\r\n');
    expect(lines[0]).toBe('formation,rank,registration_number,name,group,a,b,total,passed,next_stage,status,receipt_id');
    expect(lines.slice(1).map((l) => l.split(',').slice(-2)[0])).toEqual(['absent', 'absent']);
    expect(lines[1]).toContain('"Sari, Dewi"');

    const audit = await fetch(`${server.url}/api/admin/sittings/s2/audit`, { headers: admin }).then((r) => r.json());
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['sitting-create', 'candidates-import']);
  });

  it('manages proctor accounts: create, assign, disable ends their sessions', async () => {
    server = await startTestServer();
    const admin = await staff(server.admin.username, server.admin.password);
    const created = await postJson<{ id: number }>(`${server.url}/api/admin/accounts`, { username: 'pengawas2', displayName: 'Pengawas Dua', password: 'rahasia-sekali', role: 'proctor', sittings: [server.sittingId] }, admin);
    expect(created.status).toBe(201);
    expect((await postJson(`${server.url}/api/admin/accounts`, { username: 'pengawas2', displayName: 'x', password: 'rahasia-sekali', role: 'proctor' }, admin)).status).toBe(409);
    expect((await postJson(`${server.url}/api/admin/accounts`, { username: 'x', displayName: 'x', password: 'short', role: 'boss' }, admin)).status).toBe(400);
    const p2 = await staff('pengawas2', 'rahasia-sekali');
    const list = await fetch(`${server.url}/api/admin/sittings`, { headers: p2 }).then((r) => r.json());
    expect(list.map((s: { id: string }) => s.id)).toEqual([server.sittingId]);
    const patch = await fetch(`${server.url}/api/admin/accounts/${created.body.id}`, { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    expect(patch.status).toBe(200);
    expect((await fetch(`${server.url}/api/admin/sittings`, { headers: p2 })).status).toBe(401);
    const accounts = await fetch(`${server.url}/api/admin/accounts`, { headers: admin }).then((r) => r.json());
    expect(accounts.find((a: { username: string }) => a.username === 'pengawas2')).toMatchObject({ disabled: true, sittings: [server.sittingId] });
    expect(JSON.stringify(accounts)).not.toContain('scrypt');
  });

  it('serves the OpenAPI document at /docs', async () => {
    server = await startTestServer();
    const doc = await fetch(`${server.url}/docs/json`).then((r) => r.json());
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/admin/banks', '/api/admin/sittings', '/api/admin/sittings/{id}/candidates', '/api/admin/sittings/{id}/results', '/api/candidate/login', '/api/sittings/{id}/scoreboard']));
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);
  });
});
