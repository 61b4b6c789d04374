import { afterEach, describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { ensureBuiltIns } from '../../server/src/services/admin.js';
import { call, miniBank, staffHeaders } from '../helpers/admin.js';
import { ack, connect, connected, ok, startTestServer, waitForMatch, type TestServer } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => server?.close());

const sittingBody = { id: 's2', name: 'Sesi 2', templateId: 'mini', bankId: 'bank1', site: 'Kanreg', room: 'R2', scheduledStart: '2026-12-01T08:00:00+07:00' };

describe('templates', () => {
  it('creates a template by its documented format (201), refuses a bad one naming the field, and changes it only while unused', async () => {
    server = await startTestServer();
    await ensureBuiltIns(server.store, server.clock.now);
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const mine = { ...SKD_TEMPLATE, id: 'skd-cpns-2025', name: 'SKD CPNS 2025', durationMinutes: 90 };
    const created = await call(server, 'POST', '/api/admin/templates', { headers: admin, json: mine });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(mine);
    expect((await call(server, 'POST', '/api/admin/templates', { headers: admin, json: mine })).status).toBe(409);
    const bad = await call(server, 'POST', '/api/admin/templates', { headers: admin, json: { ...mine, id: 'x2', groups: { papua: 'nope' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ message: 'invalid body: groups.papua: unknown threshold set nope', details: [{ path: ['groups', 'papua'], message: 'unknown threshold set nope' }] });
    // the names the board, the console and printed reports show are one-line labels, read as written
    const sections = mine.sections.map((x, i) => (i === 0 ? { ...x, title: 'Tes\u202Egnp\u202C' } : x));
    const thresholdSets = mine.thresholdSets.map((x, i) => (i === 0 ? { ...x, name: 'Umum\nLULUS' } : x));
    const labels = await call(server, 'POST', '/api/admin/templates', { headers: admin, json: { ...mine, id: 'x3', name: 'SKD\u200b2025', sections, thresholdSets } });
    expect(labels.status).toBe(400);
    expect(labels.body.error.details).toEqual([
      { path: ['name'], message: 'text may not contain the control character U+200B' },
      { path: ['sections', '0', 'title'], message: 'text may not contain the control character U+202E' },
      { path: ['thresholdSets', '0', 'name'], message: 'text may not contain the control character U+000A' },
    ]);
    expect(server.store.repos.templates.get('x3')).toBeUndefined();

    const changed = await call(server, 'PUT', '/api/admin/templates/skd-cpns-2025', { headers: admin, json: { ...mine, durationMinutes: 100 } });
    expect(changed).toMatchObject({ status: 200, body: { durationMinutes: 100 } });
    expect(server.store.repos.templates.get('skd-cpns-2025')!.durationMinutes).toBe(100);
    const builtIn = await call(server, 'PUT', '/api/admin/templates/skd', { headers: admin, json: SKD_TEMPLATE });
    expect(builtIn.body.error).toEqual({ code: 'INVALID_STATE', message: 'template skd is built in and cannot be changed: save a copy under a new id' });
    const used = await call(server, 'PUT', '/api/admin/templates/mini', { headers: admin, json: { ...server.template, durationMinutes: 5 } });
    expect(used.body.error).toEqual({ code: 'INVALID_STATE', message: 'template mini is used by sitting sit1: save a copy under a new id' });
    const renamed = await call(server, 'PUT', '/api/admin/templates/skd-cpns-2025', { headers: admin, json: { ...mine, id: 'lain' } });
    expect(renamed.status).toBe(400);

    const list = await call(server, 'GET', '/api/admin/templates', { headers: admin });
    expect(list.body.map((t: { template: { id: string }; builtIn: boolean; usedBy: string[] }) => [t.template.id, t.builtIn, t.usedBy])).toEqual([
      ['mini', false, ['sit1']],
      ['skd', true, []],
      ['skd-cpns-2025', false, []],
    ]);
    expect((await call(server, 'GET', '/api/admin/templates/nope', { headers: admin })).status).toBe(404);
  });
});

describe('sittings', () => {
  it('creates a sitting (201) with token, admission, reveal policy and room layout, and changes it until it opens', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    // a start no calendar can show is refused by name
    const far = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, scheduledStart: 8_640_000_000_000_001 } });
    expect(far.status).toBe(400);
    expect(far.body.error.details).toEqual([expect.objectContaining({ path: ['scheduledStart'], message: 'give a time between the years 2000 and 2200' })]);
    const created = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, requireToken: true, requireAdmission: true, revealPolicy: 'live', roomRows: 4, roomCols: 5, timezone: 'Asia/Makassar', vacancies: { Analis: 2 } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 's2', status: 'scheduled', requireToken: true, requireAdmission: true, revealPolicy: 'live', roomRows: 4, roomCols: 5, timezone: 'Asia/Makassar', vacancies: { Analis: 2 }, tokenIntervalMinutes: 15, scheduledStart: Date.parse('2026-12-01T08:00:00+07:00'), candidates: 0, proctors: [] });
    expect(created.body.groups).toEqual([{ group: 'umum', thresholdSet: 'umum', thresholdSetName: 'Umum' }]);
    // the seed decides every paper: it never leaves the server
    // never the seed (only its commitment) nor the token secret
    expect(JSON.stringify(created.body)).not.toMatch(/"seed"|tokenSecret/);
    expect(created.body).toMatchObject({ seedCommitment: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // the form sends every field again, changed or not: the audit names only what changed
    const patched = await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { room: 'R3', requireToken: false, roomRows: null, roomCols: null, tokenIntervalMinutes: 10, name: sittingBody.name, site: sittingBody.site, templateId: 'mini', scheduledStart: sittingBody.scheduledStart } });
    expect(patched).toMatchObject({ status: 200, body: { room: 'R3', requireToken: false, roomRows: null, tokenIntervalMinutes: 10 } });
    const changes = await call(server, 'GET', '/api/admin/sittings/s2/audit', { headers: admin });
    expect(changes.body.find((a: { action: string }) => a.action === 'sitting-update').details).toEqual({ changed: ['room', 'requireToken', 'roomRows', 'roomCols', 'tokenIntervalMinutes'] });
    // nothing changed: nothing to write down
    expect((await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { room: 'R3' } })).status).toBe(200);
    const half = await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { roomRows: 3 } });
    expect(half.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'invalid sitting change: give both room rows and columns, or neither' });
    expect((await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { id: 'x' } })).status).toBe(400);
    expect((await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { bankId: 'nope' } })).status).toBe(404);

    // opened by a proctor console: from now on it is what it is
    const { socket } = await (async () => {
      const login = await call<{ session: string }>(server, 'POST', '/api/auth/login', { json: { username: server.admin.username, password: server.admin.password } });
      const s = connect(server.url, '/proctor', { session: login.body.session });
      await connected(s);
      return { socket: s };
    })();
    await ok(socket, 'sitting:open', { sittingId: 's2', reason: 'peserta masuk' });
    const late = await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { room: 'R4' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toEqual({ code: 'INVALID_STATE', message: 'sitting s2 is open: a sitting can be changed only before it opens' });
    socket.disconnect();
    const audit = await call(server, 'GET', '/api/admin/sittings/s2/audit', { headers: admin });
    expect(audit.body.map((a: { action: string }) => a.action)).toEqual(['sitting-create', 'sitting-update', 'sitting-open']);
  });

  it('tells a watching proctor console when a scheduled sitting changes', async () => {
    server = await startTestServer({ status: 'scheduled' });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const login = await call<{ session: string }>(server, 'POST', '/api/auth/login', { json: { username: server.proctor.username, password: server.proctor.password } });
    const proctor = connect(server.url, '/proctor', { session: login.body.session });
    await connected(proctor);
    await ok(proctor, 'sitting:watch', { sittingId: server.sittingId });
    const pushed = waitForMatch<{ sitting: { room: string } }>(proctor, 'sitting:updated', (p) => p.sitting.room === 'Aula');
    await call(server, 'PATCH', `/api/admin/sittings/${server.sittingId}`, { headers: admin, json: { room: 'Aula' } });
    expect((await pushed).sitting.room).toBe('Aula');
    proctor.disconnect();
  });

  it('refuses a bank that cannot fill the template, and a template that does not know the roster groups', async () => {
    server = await startTestServer({ status: 'scheduled' });
    await ensureBuiltIns(server.store, server.clock.now);
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const small = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, templateId: 'skd' } });
    expect(small.status).toBe(400);
    expect(small.body.error.code).toBe('BANK_TOO_SMALL');
    const moved = await call(server, 'PATCH', `/api/admin/sittings/${server.sittingId}`, { headers: admin, json: { templateId: 'skd' } });
    expect(moved.body.error.code).toBe('BANK_TOO_SMALL');
  });

  it("refuses a bank whose questions do not fit the template's sections: keyed questions in a weighted section would always score 0", async () => {
    server = await startTestServer({ status: 'scheduled' });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    // checked against no template at upload, so its own rules only: every question has a key
    const bank = miniBank('semua-kunci', { A: 12, B: 6 });
    for (const q of bank.questions) if (q.section === 'B') Object.assign(q, { key: 'A', weights: undefined });
    expect((await call(server, 'POST', '/api/admin/banks', { headers: admin, body: JSON.stringify(bank), type: 'application/json' })).status).toBe(201);
    const refused = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, bankId: 'semua-kunci' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('BANK_INVALID');
    expect(refused.body.error.message).toMatch(/^bank semua-kunci does not fit template mini: 6 questions: section B is weighted: give weights/);
    expect(refused.body.error.details.misfits).toHaveLength(1);
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: admin })).body.map((x: { id: string }) => x.id)).not.toContain('s2');
    const moved = await call(server, 'PATCH', `/api/admin/sittings/${server.sittingId}`, { headers: admin, json: { bankId: 'semua-kunci' } });
    expect(moved.body.error.code).toBe('BANK_INVALID');
    expect(server.store.repos.sittings.get(server.sittingId)!.bankId).toBe('bank1');

    // a sitting stored with such a bank before the check existed does not open either
    expect((await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: sittingBody })).status).toBe(201);
    await server.sql("update sittings set bank_id = 'semua-kunci' where id = 's2'");
    // read again, as a server started on that database reads it
    server.app.engine.registry.forgetSitting('s2');
    const login = await call<{ session: string }>(server, 'POST', '/api/auth/login', { json: { username: server.admin.username, password: server.admin.password } });
    const socket = connect(server.url, '/proctor', { session: login.body.session });
    await connected(socket);
    for (const event of ['sitting:open', 'sitting:start'] as const) {
      const r = await ack(socket, event, { sittingId: 's2', reason: 'peserta masuk' });
      expect(r).toMatchObject({ ok: false, error: { code: 'BANK_INVALID', message: expect.stringMatching(/^bank semua-kunci does not fit template mini: 6 questions: section B is weighted/) } });
    }
    socket.disconnect();
    expect(server.store.repos.sittings.get('s2')!.status).toBe('scheduled');
  });

  it('assigns proctors and takes sittings away (PUT/DELETE, and PATCH of the account with only assignments)', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: sittingBody });
    const accounts = await call(server, 'GET', '/api/admin/accounts', { headers: admin });
    const other = accounts.body.find((a: { username: string }) => a.username === 'other');
    const adminId = accounts.body.find((a: { username: string }) => a.username === 'admin').id;

    const put = await call(server, 'PUT', `/api/admin/sittings/s2/proctors/${other.id}`, { headers: admin });
    expect(put.status).toBe(200);
    expect(put.body.proctors).toEqual([{ id: other.id, username: 'other', displayName: 'Pengawas Lain', role: 'proctor', disabled: false }]);
    const theirs = await staffHeaders(server, 'other', 'other-password');
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: theirs })).body.map((s: { id: string }) => s.id)).toEqual(['s2']);
    expect((await call(server, 'GET', '/api/admin/sittings/s2/results', { headers: theirs })).status).toBe(200);
    const del = await call(server, 'DELETE', `/api/admin/sittings/s2/proctors/${other.id}`, { headers: admin });
    expect(del.body.proctors).toEqual([]);
    expect((await call(server, 'GET', '/api/admin/sittings/s2/results', { headers: theirs })).status).toBe(403);
    expect((await call(server, 'PUT', `/api/admin/sittings/s2/proctors/${adminId}`, { headers: admin })).body.error.message).toBe('admin is an admin: admins may run every sitting already');

    // the PATCH that used to fail with 500 when it held only assignments
    const assigned = await call(server, 'PATCH', `/api/admin/accounts/${other.id}`, { headers: admin, json: { assignSittings: ['s2', server.sittingId] } });
    expect(assigned).toMatchObject({ status: 200, body: { username: 'other', sittings: expect.arrayContaining(['s2', server.sittingId]) } });
    const taken = await call(server, 'PATCH', `/api/admin/accounts/${other.id}`, { headers: admin, json: { unassignSittings: ['s2'] } });
    expect(taken.body.sittings).toEqual([server.sittingId]);
    expect((await call(server, 'PATCH', `/api/admin/accounts/${other.id}`, { headers: admin, json: {} })).status).toBe(400);
    expect((await call(server, 'PATCH', `/api/admin/accounts/${other.id}`, { headers: admin, json: { assignSittings: ['nope'] } })).status).toBe(404);
    expect((await call(server, 'PATCH', `/api/admin/accounts/${adminId}`, { headers: admin, json: { disabled: true } })).body.error.message).toBe('you cannot disable your own account');
    const log = await call(server, 'GET', '/api/admin/sittings/s2/audit', { headers: admin });
    expect(log.body.map((a: { action: string }) => a.action)).toEqual(['sitting-create', 'proctor-assign', 'proctor-unassign']);
  });

  it('manages accounts: create (201), list without secrets, a new password or disabling ends their sessions', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const created = await call(server, 'POST', '/api/admin/accounts', { headers: admin, json: { username: 'pengawas2', displayName: 'Pengawas Dua', password: 'rahasia-sekali', role: 'proctor', sittings: [server.sittingId] } });
    expect(created).toMatchObject({ status: 201, body: { username: 'pengawas2', role: 'proctor' } });
    expect((await call(server, 'POST', '/api/admin/accounts', { headers: admin, json: { username: 'pengawas2', displayName: 'x', password: 'rahasia-sekali', role: 'proctor' } })).status).toBe(409);
    expect((await call(server, 'POST', '/api/admin/accounts', { headers: admin, json: { username: 'x', displayName: 'x', password: 'short', role: 'boss' } })).status).toBe(400);
    // a display name, like every label people read in lists and reports, stays on one line and reads as written
    const twoLines = await call(server, 'POST', '/api/admin/accounts', { headers: admin, json: { username: 'pengawas3', displayName: 'Pengawas\nTiga', password: 'rahasia-sekali', role: 'proctor' } });
    expect(twoLines.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['displayName'], message: 'text may not contain the control character U+000A' }] });
    const reversed = await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { displayName: 'Pengawas \u202eauD' } });
    expect(reversed.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['displayName'], message: 'text may not contain the control character U+202E' }] });
    const sittingName = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, name: 'Sesi\t2' } });
    expect(sittingName.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['name'], message: 'text may not contain the control character U+0009' }] });
    // a line separator, a direction mark: not control characters in Unicode's sense, but they break the line or turn it round just the same
    const separated = await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { displayName: 'Budi\u2028Lulus' } });
    expect(separated.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['displayName'], message: 'text may not contain the control character U+2028' }] });
    const vacancy = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, vacancies: { 'Analis\u200fA': 2 } } });
    expect(vacancy.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['vacancies', 'Analis\u200fA'], message: 'text may not contain the control character U+200F' }] });
    // a token that rotates less often than once a minute; a fraction of a second was stored as 0 and never rotated
    const token = await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { ...sittingBody, tokenIntervalMinutes: 0.005 } });
    expect(token.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: ['tokenIntervalMinutes'] }] });
    // a body nested ten thousand deep (20 KB) is refused as a bad request, not a crash of the request
    const deep = await fetch(`${server.url}/api/admin/sittings/${server.sittingId}`, { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json' }, body: `{"z":${'['.repeat(10_000)}1${']'.repeat(10_000)}}` });
    expect(deep.status).toBe(400);
    expect(server.store.repos.sittings.get('s2')).toBeUndefined();
    const p2 = await staffHeaders(server, 'pengawas2', 'rahasia-sekali');
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: p2 })).status).toBe(200);
    await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { password: 'kata-sandi-baru' } });
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: p2 })).status).toBe(401);
    const p3 = await staffHeaders(server, 'pengawas2', 'kata-sandi-baru');
    await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { disabled: true } });
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: p3 })).status).toBe(401);
    const list = await call(server, 'GET', '/api/admin/accounts', { headers: admin });
    expect(list.body.find((a: { username: string }) => a.username === 'pengawas2')).toEqual({ id: created.body.id, username: 'pengawas2', displayName: 'Pengawas Dua', role: 'proctor', disabled: true, sittings: [server.sittingId], createdAt: expect.any(Number), lockedUntil: null });
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash|failedLogins/);
  });
});
