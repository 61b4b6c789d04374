import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/db/client.js';
import { createRepositories } from '../../server/src/db/repositories/index.js';
import { verifyPin } from '../../server/src/services/secrets.js';
import { tempDir } from '../helpers/tmp.js';
import { demoStore } from '../helpers/store.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function seeded(candidates = 3) {
  const s = await demoStore(candidates);
  cleanups.push(s.close);
  return s;
}

describe('SQLite storage', () => {
  it('migrates an empty file, with WAL and synchronous=FULL', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'kaca.db');
    const h = openDatabase(file);
    expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = h.sqlite.prepare("select name from sqlite_master where type='table' order by name").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['banks', 'questions', 'exam_templates', 'sittings', 'candidates', 'papers', 'attempts', 'answer_events', 'results', 'accounts', 'sitting_proctors', 'audit_log']));
    h.close();
    expect(existsSync(file)).toBe(true);
  });

  it('keeps everything across close and reopen, and re-running migrations is a no-op', async () => {
    const { store, file, creds } = await seeded(5);
    const cand = store.repos.candidates.byRegistration('demo', creds.candidates[0].registrationNumber)!;
    await store.writer.submit([
      { kind: 'attempt', record: { candidateId: cand.id, state: 'in_progress', admittedAt: null, startedAt: 1, durationMs: 6_000_000, extensionMs: 0, pausedMs: 0, pausedSince: null, endedAt: null, endReason: null } },
      { kind: 'answer', record: { candidateId: cand.id, sittingId: 'demo', item: 0, kind: 'select', choice: 2, optionIndex: 4, clientSeq: 1, serverTs: 10, scoreDelta: 5 } },
      { kind: 'answer', record: { candidateId: cand.id, sittingId: 'demo', item: 0, kind: 'change', choice: 1, optionIndex: 0, clientSeq: 2, serverTs: 11, scoreDelta: -5 } },
      { kind: 'audit', record: { at: 12, actorId: null, actorName: 'proctor', actorRole: 'proctor', sittingId: 'demo', candidateId: null, action: 'extend', reason: 'power cut', details: { minutes: 5 } } },
    ]);
    await store.writer.close();
    store.handle!.close();

    const h = openDatabase(file);
    const repos = createRepositories(h.db);
    expect(repos.sittings.get('demo')!.status).toBe('running');
    expect(repos.candidates.listBySitting('demo')).toHaveLength(5);
    expect(verifyPin(creds.candidates[0].pin, repos.candidates.byRegistration('demo', creds.candidates[0].registrationNumber)!.pinHash, store.secret)).toBe(true);
    expect(repos.answers.byCandidate(cand.id).map((e) => [e.kind, e.choice, e.clientSeq])).toEqual([['select', 2, 1], ['change', 1, 2]]);
    expect(repos.audit.bySitting('demo').find((a) => a.action === 'extend')).toMatchObject({ reason: 'power cut', details: { minutes: 5 } });
    expect(repos.banks.questions('demo-skd').length).toBeGreaterThanOrEqual(330);
    h.close();
  });

  it('stores PINs only as hashes', async () => {
    const { store, creds } = await seeded(3);
    const rows = store.handle!.sqlite.prepare('select * from candidates').all() as Record<string, unknown>[];
    for (const c of creds.candidates) expect(JSON.stringify(rows)).not.toContain(`"${c.pin}"`);
    expect(rows.every((r) => String(r.pin_hash).startsWith('hmac$'))).toBe(true);
  });

  it('refuses to update or delete an answer event or an audit entry', async () => {
    const { store } = await seeded(1);
    const cand = store.repos.candidates.listBySitting('demo')[0];
    await store.writer.submit([
      { kind: 'answer', record: { candidateId: cand.id, sittingId: 'demo', item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: 1, serverTs: 1, scoreDelta: 0 } },
      { kind: 'audit', record: { at: 1, actorId: null, actorName: 'a', actorRole: 'admin', sittingId: null, candidateId: null, action: 'x', reason: 'y', details: null } },
    ]);
    const db = store.handle!.sqlite;
    expect(() => db.prepare('update answer_events set choice = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('delete from answer_events').run()).toThrow(/append-only/);
    expect(() => db.prepare('update audit_log set reason = ?').run('z')).toThrow(/append-only/);
    expect(() => db.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(store.repos.answers.byCandidate(cand.id)[0].choice).toBe(0);
  });

  it('no code path updates or deletes answer events, and only the writer writes', () => {
    const offenders: string[] = [];
    const writers: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const text = readFileSync(p, 'utf8');
          if (/\b(update|delete)\(\s*answerEvents\b/.test(text) || /(update|delete\s+from)\s+answer_events/i.test(text)) offenders.push(p);
          // drizzle's write builders and SQL writes appear in the writer's appliers (one per dialect) and nowhere else
          const writes = /\b(db|tx)\s*\.\s*(insert|update|delete)\s*\(/.test(text) || /\b(insert\s+into|delete\s+from|update\s+\w+\s+set)\b/i.test(text);
          if (writes && !['db/apply-writes.ts', 'db/pg-apply.ts', 'db/pg-rows.ts'].some((f) => p.endsWith(f))) writers.push(p);
        }
      }
    };
    walk('server/src');
    expect(offenders).toEqual([]);
    expect(writers).toEqual([]);
  });
});
