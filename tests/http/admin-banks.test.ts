import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { exportQti, readBankBytes } from '../../question-bank/formats.js';
import { call, miniBank, staffHeaders } from '../helpers/admin.js';
import { ROOT } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureBuiltIns } from '../../server/src/services/admin.js';
import { bigSkdBank } from '../../scripts/bench/big-bank.js';

let server: TestServer;
afterEach(async () => server?.close());

const upload = (s: TestServer, headers: Record<string, string>, query: string, body: string | Uint8Array, type = 'application/octet-stream') => call(s, 'POST', `/api/admin/banks?${query}`, { headers, body, type });

function fixtureZip(dir: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else files[`${prefix}${e.name}`] = readFileSync(join(d, e.name));
    }
  };
  walk(dir, '');
  return zipSync(files);
}

describe('bank uploads', () => {
  it('refuses a bank with errors with every problem in the report, stores nothing, then takes the fixed bank (201)', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const bad = miniBank('b2', { A: 6, B: 4 });
    bad.questions[0].options = ['hanya satu'];
    bad.questions[1].stem = '<script>alert(1)</script>';
    (bad.questions[2] as { key?: string }).key = 'F';
    (bad.questions[7] as { weights?: number[] }).weights = [1, 2, 3];
    bad.questions[8].id = bad.questions[9].id;
    const r = await upload(server, admin, 'template=mini&name=b2.json', JSON.stringify(bad), 'application/json');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BANK_INVALID');
    expect(r.body.error.message).toBe('the bank has 5 errors; nothing was stored (details: the whole report)');
    const report = r.body.error.details;
    expect(report.errors.map((p: { questionId: string; field: string; code: string }) => [p.questionId, p.field, p.code])).toEqual([
      ['a0', 'options', 'field'],
      // its opening and its closing tag are one problem to fix
      ['a1', 'stem', 'content'],
      ['a2', 'key', 'key'],
      ['b1', 'weights', 'weights'],
      ['b3', 'id', 'duplicate-id'],
    ]);
    expect(report.errors.map((p: { message: string }) => p.message).slice(1, 4)).toEqual(['tag <script> is not allowed', 'key F names no option (4 options)', '3 weights for 5 options']);
    expect(report.summary).toMatchObject({ bankId: 'b2', template: 'mini', format: 'kaca', source: 'b2.json', questions: 10, errors: 5 });
    expect(server.store.repos.banks.exists('b2')).toBe(false);

    const good = await upload(server, admin, 'template=mini&name=b2.json', JSON.stringify(miniBank('b2', { A: 6, B: 4 })), 'application/json');
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ stored: true, bank: { id: 'b2', title: 'Bank b2', questions: 10, sections: { A: 6, B: 4 } }, report: { errors: [], summary: { valid: 10 } } });
    expect(server.store.repos.banks.questions('b2')).toHaveLength(10);
    const again = await upload(server, admin, 'template=mini&name=b2.json', JSON.stringify(miniBank('b2', { A: 6, B: 4 })), 'application/json');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', message: 'bank b2 already exists: give the upload another id', details: { summary: { bankId: 'b2' } } });
    const audit = await call(server, 'GET', '/api/admin/audit?action=bank-import', { headers: admin });
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ action: 'bank-import', actorName: 'Admin Uji', details: { id: 'b2', questions: 10, template: 'mini' } });
  });

  it('checks only with dryRun (200, nothing stored) and takes CSV and QTI zips, the format told from the name', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const csv = [
      'id,section,topic,stem,option_a,option_b,option_c,option_d,key,weight_a,weight_b,weight_c,weight_d,weight_e,option_e',
      ...Array.from({ length: 5 }, (_, i) => `k${i},A,t,Soal ${i} tentang pecahan dan desimal,a,b,c,d,B,,,,,,`),
      ...Array.from({ length: 4 }, (_, i) => `w${i},B,t,Situasi kerja nomor ${i} di kantor pelayanan,a,b,c,d,,1,2,3,4,5,e`),
    ].join('\n');
    const dry = await upload(server, admin, 'template=mini&name=soal.csv&dryRun=true', csv, 'text/csv');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ stored: false, bank: { id: 'soal', questions: 9 }, report: { summary: { format: 'csv' } } });
    expect(server.store.repos.banks.exists('soal')).toBe(false);
    expect((await upload(server, admin, 'template=mini&name=soal.csv', csv, 'text/csv')).status).toBe(201);

    await ensureBuiltIns(server.store, server.clock.now);
    const qti = fixtureZip(join(ROOT, 'tests/fixtures/qti/skd-v30'));
    const q = await upload(server, admin, 'template=skd&name=paket.zip&id=qti-v30', qti, 'application/zip');
    expect(q.status).toBe(201);
    expect(q.body.bank).toMatchObject({ id: 'qti-v30', sections: { TWK: 1, TIU: 1, TKP: 1 } });
    // too few questions for SKD is a warning per section, not an error
    expect(q.body.report.warnings.map((w: { message: string }) => w.message)).toContain('section TWK has 1 valid question; template skd deals 30 per paper');

    const unknown = await upload(server, admin, 'name=soal.txt', 'x');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.errors[0].message).toContain('cannot tell the format of soal.txt');
    expect((await upload(server, admin, 'name=x.json', '')).body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'the upload is empty: send the bank file as the request body' });
    expect((await upload(server, admin, 'template=nope', '{}')).status).toBe(404);
  });

  it('keeps the event loop turning while a large bank is read, validated and stored off it', async () => {
    server = await startTestServer();
    await ensureBuiltIns(server.store, server.clock.now);
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const { doc, questions } = bigSkdBank('besar', 8);
    // read on this thread, the same file blocks for its whole validation
    const started = performance.now();
    readBankBytes(Buffer.from(doc), 'besar.json', { template: server.store.repos.templates.get('skd') });
    const inline = performance.now() - started;
    // the server runs in this process: its event loop is this one
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const r = await upload(server, admin, 'template=skd&name=besar.json', doc, 'application/json');
    delay.disable();
    expect(r.status).toBe(201);
    expect(r.body.bank.questions).toBe(questions);
    expect(server.store.repos.banks.questions('besar')).toHaveLength(questions);
    // the longest the loop waited is a fraction of what the validation alone takes inline
    expect(delay.max / 1e6).toBeLessThan(inline / 2);
  }, 120_000);

  it('exports a bank as QTI 3.0 that imports back to the same questions', async () => {
    server = await startTestServer();
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const r = await fetch(`${server.url}/api/admin/banks/bank1/qti`, { headers: admin });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="bank1-qti3.zip"');
    const bytes = new Uint8Array(await r.arrayBuffer());
    const back = readBankBytes(bytes, 'bank1.zip', { template: server.template });
    expect(back.report.errors).toEqual([]);
    expect(back.bank!.questions).toEqual(server.store.repos.banks.questions('bank1').sort((a, b) => (a.id < b.id ? -1 : 1)).map((q) => expect.objectContaining({ id: q.id, stem: q.stem, options: q.options })));
    expect(Buffer.from(bytes).equals(Buffer.from(exportQti({ id: 'bank1', title: 'Test bank', language: 'id', questions: back.bank!.questions })))).toBe(true);
    expect((await fetch(`${server.url}/api/admin/banks/nope/qti`, { headers: admin })).status).toBe(404);
  });

  it('browses questions with keys, searches and filters, and retires and restores them by the rules', async () => {
    server = await startTestServer({ status: 'scheduled' });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const page = await call(server, 'GET', '/api/admin/banks/bank1/questions?section=A&limit=5', { headers: admin });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ bankId: 'bank1', total: 12, offset: 0, limit: 5, sections: ['A', 'B'], topics: ['t1', 't2'] });
    expect(page.body.questions[0]).toEqual({ id: 'A-t1-x-000', section: 'A', topic: 't1', difficulty: null, stem: '<p>A-t1-x-000</p>', options: expect.any(Array), key: 'A', weights: null, retired: false });
    const found = await call(server, 'GET', '/api/admin/banks/bank1/questions?q=t2-x-003%20A-t2', { headers: admin });
    expect(found.body.questions.map((q: { id: string }) => q.id)).toEqual(['A-t2-x-003']);

    // the sitting is scheduled: 12 A questions, 4 per paper
    const retire = (ids: string[], retired = true) => call(server, 'POST', '/api/admin/banks/bank1/retire', { headers: admin, json: { questionIds: ids, retired, reason: 'kunci jawaban bocor' } });
    const a = (n: number) => `A-t1-x-${String(n).padStart(3, '0')}`;
    const done = await retire([a(0), a(1)]);
    expect(done.body).toEqual({ bankId: 'bank1', changed: 2, retired: 2 });
    expect((await call(server, 'GET', '/api/admin/banks/bank1/questions?status=retired', { headers: admin })).body.total).toBe(2);
    const tooMany = await retire([a(2), a(3), a(4), a(5), 'A-t2-x-000', 'A-t2-x-001', 'A-t2-x-002']);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'BANK_TOO_SMALL', message: 'sitting sit1 could no longer be dealt: the bank cannot fill the template: section A needs 4 questions but the bank has 3 (short by 1)' });
    expect((await retire(['nope'])).body.error).toMatchObject({ code: 'NOT_FOUND', message: 'bank bank1 has no question nope' });
    expect((await retire([a(1)], false)).body).toEqual({ bankId: 'bank1', changed: 1, retired: 1 });
    const banks = await call(server, 'GET', '/api/admin/banks', { headers: admin });
    expect(banks.body).toEqual([{ id: 'bank1', title: 'Test bank', language: 'id', createdAt: expect.any(Number), questions: 18, retired: 1, sections: { A: 12, B: 6 }, usedBy: ['sit1'] }]);
    const audit = await call(server, 'GET', '/api/admin/audit?action=questions-retire', { headers: admin });
    expect(audit.body.entries[0]).toMatchObject({ reason: 'kunci jawaban bocor', details: { bankId: 'bank1', questions: [a(0), a(1)], changed: 2 } });
  });

  it('refuses to retire while a sitting deals from the bank', async () => {
    server = await startTestServer({ status: 'running' });
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const r = await call(server, 'POST', '/api/admin/banks/bank1/retire', { headers: admin, json: { questionIds: ['A-t1-x-000'], reason: 'soal salah ketik' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'INVALID_STATE', message: 'bank bank1 is in use by sitting sit1 (running): retire questions before a sitting opens or after it closes' });
    expect(server.store.repos.banks.retiredIds('bank1').size).toBe(0);
  });
});
