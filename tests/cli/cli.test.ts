import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { kaca, startKaca, stop } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { demoStore } from '../helpers/store.js';
import type { DemoCredentials } from '../../server/src/services/demo.js';

// Each test has its own DATA_DIR, so any one of them runs alone or in any order.
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A DATA_DIR with the demo seeded (through the server's own write path), closed for the CLI to open. */
async function demoDir(): Promise<{ env: { DATA_DIR: string }; creds: DemoCredentials }> {
  const d = await demoStore(40);
  await d.store.close();
  cleanups.push(d.close);
  return { env: { DATA_DIR: d.dir }, creds: d.creds };
}

let demo: Awaited<ReturnType<typeof demoDir>>;
beforeAll(async () => {
  demo = await demoDir();
});

describe('kaca CLI', () => {
  it('start: creates DATA_DIR/kaca.db, seeds the demo, prints URLs and credentials, stops on SIGTERM', async () => {
    const tmp = tempDir('kaca-cli-');
    cleanups.push(tmp.cleanup);
    // a data folder the operator made beforehand, readable by everyone
    chmodSync(tmp.dir, 0o755);
    const env = { DATA_DIR: tmp.dir };
    const { child, output, baseUrl } = await startKaca(env);
    try {
      expect(existsSync(join(tmp.dir, 'kaca.db'))).toBe(true);
      // the folder is narrowed to the server's user, and SQLite's WAL and shared memory (the newest
      // rows: token secrets and seeds until a checkpoint) are as private as the database
      expect(statSync(tmp.dir).mode & 0o777).toBe(0o700);
      for (const f of ['kaca.db-wal', 'kaca.db-shm']) expect(statSync(join(tmp.dir, f)).mode & 0o077, f).toBe(0);
      const out = output();
      expect(out).toMatch(/Proctor console:\s+http:\/\/127\.0\.0\.1:\d+\/proctor\//);
      expect(out).toMatch(/Public scoreboard:\s+http:\/\/127\.0\.0\.1:\d+\/scoreboard\//);
      expect(out).toMatch(/Admin:\s+admin \/ \S+/);
      expect(out).toMatch(/Proctor:\s+proctor \/ \S+/);
      const creds = JSON.parse(readFileSync(join(tmp.dir, 'demo-credentials.json'), 'utf8'));
      expect(out).toContain(`${creds.candidates[0].registrationNumber} / ${creds.candidates[0].pin}`);
      // a demo's receipts point at the address the PC used: the banner says how to give phones another
      expect(out).toContain('KACA_PUBLIC_URL is not set: a receipt\'s QR code names the address the exam PC used');
      const health = await fetch(`${baseUrl}/api/health`).then((r) => r.json());
      expect(health.ok).toBe(true);
      // the audit log says how the demo came to be, by the system: the admin finds its steps there
      const session = ((await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds.admin) }).then((r) => r.json())) as { session: string }).session;
      const audit = (await fetch(`${baseUrl}/api/admin/audit?sittingId=demo`, { headers: { authorization: `Bearer ${session}` } }).then((r) => r.json())) as { entries: { action: string; actorRole: string }[] };
      expect(audit.entries.map((e) => e.action).reverse()).toEqual(['bank-import', 'sitting-create', 'candidates-import', 'account-create', 'account-create', 'sitting-open', 'sitting-start']);
      expect(new Set(audit.entries.map((e) => e.actorRole))).toEqual(new Set(['system']));
    } finally {
      expect(await stop(child)).toBe(0);
    }
    // a second start keeps the data, and points to the credentials without printing any
    const again = await startKaca(env);
    try {
      const creds = JSON.parse(readFileSync(join(tmp.dir, 'demo-credentials.json'), 'utf8'));
      expect(again.output()).toContain(`Demo logins (admin, proctor, candidates): ${join(tmp.dir, 'demo-credentials.json')}`);
      expect(again.output()).not.toContain(creds.admin.password);
      expect(again.output()).not.toContain(creds.candidates[0].pin);
    } finally {
      await stop(again.child);
    }
    // the secret, the database and the credentials are the server user's alone
    for (const f of ['kaca.db', 'secret', 'log-key.json', 'demo-credentials.json']) expect(statSync(join(tmp.dir, f)).mode & 0o077).toBe(0);
  });

  it('one server per DATA_DIR: a second refuses to start and changes nothing; a server whose port is taken exits 1 instead of hanging', async () => {
    const tmp = tempDir('kaca-cli-two-');
    cleanups.push(tmp.cleanup);
    const env = { DATA_DIR: tmp.dir };
    // the log as a terminal gets it: short lines, no line per request
    const first = await startKaca({ ...env, LOG_FORMAT: 'text', LOG_LEVEL: 'info' });
    try {
      const port = new URL(first.baseUrl).port;
      const second = kaca(['start'], { ...env, HOST: '127.0.0.1', PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stdout + second.stderr).toMatch(/another Kaca server is running on this (data directory|database)/);
      // the first goes on serving
      expect((await fetch(`${first.baseUrl}/api/health`).then((r) => r.json())).ok).toBe(true);
      const other = tempDir('kaca-cli-port-');
      cleanups.push(other.cleanup);
      const taken = kaca(['start'], { DATA_DIR: other.dir, HOST: '127.0.0.1', PORT: port });
      expect(taken.code).toBe(1);
      expect(taken.stdout + taken.stderr).toContain('EADDRINUSE');
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(first.output()).toMatch(/^\d\d:\d\d:\d\d INFO shutting down signal=SIGTERM$/m);
    expect(first.output()).not.toMatch(/incoming request|request completed|"level":/);
    // killed, the server lets go of the data directory: the next one starts
    const next = await startKaca(env);
    await stop(next.child, 'SIGKILL');
    const after = await startKaca(env);
    expect((await fetch(`${after.baseUrl}/api/health`).then((r) => r.json())).ok).toBe(true);
    expect(await stop(after.child)).toBe(0);
  });

  it('production on an empty DATA_DIR: no demo and no credentials; `kaca admin add` makes the first admin, who can log in', async () => {
    const tmp = tempDir('kaca-prod-');
    cleanups.push(tmp.cleanup);
    const env = { DATA_DIR: tmp.dir, NODE_ENV: 'production' };
    const first = await startKaca(env);
    try {
      const out = first.output();
      expect(out).toContain('Kaca is running in production mode.');
      // the command as it must be typed, wherever it is typed: with this server's DATA_DIR
      const hint = /No admin account yet: create one with {2}DATA_DIR=(\S+) npx kaca admin add <username>/.exec(out);
      expect(hint?.[1]).toBe(tmp.dir);
      // receipts need the public address of the receipt check
      expect(out).toContain('KACA_PUBLIC_URL is not set');
      expect(out).not.toMatch(/Demo|password|PIN/i);
      expect(existsSync(join(tmp.dir, 'demo-credentials.json'))).toBe(false);
      expect(await fetch(`${first.baseUrl}/api/scoreboard/sittings`).then((r) => r.json())).toEqual([]);
      // the API description is for admins only
      expect((await fetch(`${first.baseUrl}/docs/json`)).status).toBe(401);
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    // run as printed: nothing but the DATA_DIR the hint gave (and, in the postgres project, its database)
    const added = kaca(['admin', 'add', 'operator', '--name', 'Operator BKN'], { DATA_DIR: tmp.dir });
    expect(added.code).toBe(0);
    const password = /password: (\S+)/.exec(added.stdout)![1];
    expect(kaca(['admin', 'add', 'operator'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('account operator already exists') });
    expect(kaca(['admin', 'add', 'Bad Name!'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('username') });
    const again = await startKaca(env);
    try {
      expect(again.output()).not.toContain('No admin account yet');
      const login = await fetch(`${again.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password }) });
      expect(login.status).toBe(200);
      const { session } = (await login.json()) as { session: string };
      const auth = { authorization: `Bearer ${session}` };
      // the built-in SKD template is there without any demo
      const templates = (await fetch(`${again.baseUrl}/api/admin/templates`, { headers: auth }).then((r) => r.json())) as { template: { id: string }; builtIn: boolean }[];
      expect(templates.map((t) => [t.template.id, t.builtIn])).toEqual([['skd', true]]);
      expect((await fetch(`${again.baseUrl}/docs/json`, { headers: auth })).status).toBe(200);
    } finally {
      await stop(again.child);
    }
  });

  it('paper: prints the dealt paper with keys, the same every time, and stores nothing', () => {
    const { env, creds } = demo;
    const reg = creds.candidates[1].registrationNumber;
    const a = kaca(['paper', '--sitting', 'demo', '--candidate', reg, '--format', 'json'], env);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const paper = JSON.parse(a.stdout);
    expect(paper.items).toHaveLength(110);
    expect(paper.items[0]).toMatchObject({ number: 1, section: 'TWK', key: expect.stringMatching(/^[A-E]$/) });
    expect(paper.items[109].weights.slice().sort()).toEqual([1, 2, 3, 4, 5]);
    const b = kaca(['paper', '--sitting', 'demo', '--candidate', reg, '--format', 'json'], env);
    expect(b.stdout).toBe(a.stdout);
    const text = kaca(['paper', '--sitting', 'demo', '--candidate', reg], env);
    expect(text.stdout).toMatch(/^1\. \[TWK /m);
    // an audit print is read-only: the database did not change
    expect(kaca(['results', '--sitting', 'demo', '--format', 'json'], env).code).toBe(0);
    const db = new Database(join(env.DATA_DIR, 'kaca.db'), { readonly: true });
    try {
      expect((db.prepare('select count(*) n from papers').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });

  it('results: CSV and JSON per formation', () => {
    const { env } = demo;
    const csv = kaca(['results', '--sitting', 'demo'], env);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('formation,rank,registration_number,name,group,twk,tiu,tkp,total,passed,next_stage,status,receipt_id');
    expect(lines).toHaveLength(41);
    const json = JSON.parse(kaca(['results', '--sitting', 'demo', '--format', 'json'], env).stdout);
    expect(json.formations.map((f: { formation: string }) => f.formation)).toContain('Auditor Ahli Pertama');
  });

  it('import-bank: all or nothing, listing every invalid question', async () => {
    const { env } = await demoDir();
    const bad = join(env.DATA_DIR, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'kaca-bank@1', id: 'imp', title: 'x', questions: [
      { id: 'ok1', section: 'TWK', topic: 't', stem: 'a', options: ['a', 'b'], key: 'A' },
      { id: 'bad1', section: 'TWK', topic: 't', stem: '<script>x</script>', options: ['a', 'b'], key: 'A' },
      { id: 'bad2', section: 'TWK', topic: 't', stem: 'a', options: ['a', 'b'], key: 'C' },
    ] }));
    const r = kaca(['import-bank', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('question bad1: stem: tag <script> is not allowed');
    expect(r.stderr).toContain('question bad2: key: key C names no option (2 options)');
    const good = join(env.DATA_DIR, 'good.json');
    writeFileSync(good, JSON.stringify({ format: 'kaca-bank@1', id: 'imp', title: 'x', questions: [{ id: 'ok1', section: 'TWK', topic: 't', stem: 'a', options: ['a', 'b', 'c', 'd', 'e'], key: 'A' }] }));
    const ok = kaca(['import-bank', good, '--template', 'skd'], env);
    expect(ok.stdout).toContain('imported bank imp: 1 questions (TWK 1)');
    expect(ok.code).toBe(0);
    const again = kaca(['import-bank', good], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('bank imp already exists');
  });

  it('bad input: clear errors and non-zero exits', () => {
    const { env } = demo;
    expect(kaca(['nope'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command: nope') });
    expect(kaca(['paper', '--sitting', 'demo'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('paper needs --sitting and --candidate') });
    expect(kaca(['paper', '--sitting', 'demo', '--candidate', 'nobody'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('no candidate nobody in sitting demo') });
    expect(kaca(['results', '--sitting', 'nosuch'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('no sitting nosuch') });
    expect(kaca(['import-bank', join(env.DATA_DIR, 'missing.json')], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot read') });
    expect(kaca(['results', '--sitting', 'demo'], { ...env, PORT: 'abc' })).toMatchObject({ code: 1, stderr: expect.stringContaining('invalid configuration') });
  });
});
