import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/db/client.js';
import { createRepositories } from '../../server/src/db/repositories/index.js';
import { seedDemo } from '../../server/src/services/demo.js';
import { verifyPin } from '../../server/src/services/secrets.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function freshFile() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'kaca.db');
}

describe('SQLite storage', () => {
  it('migrates an empty file, with WAL and synchronous=FULL', () => {
    const file = freshFile();
    const h = openDatabase(file);
    expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = h.sqlite.prepare("select name from sqlite_master where type='table' order by name").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['banks', 'questions', 'exam_templates', 'sittings', 'candidates', 'papers', 'attempts', 'answer_events', 'results', 'accounts', 'sitting_proctors', 'audit_log']));
    h.close();
    expect(existsSync(file)).toBe(true);
  });

  it('keeps everything across close and reopen, and re-running migrations is a no-op', () => {
    const file = freshFile();
    let h = openDatabase(file);
    let repos = createRepositories(h.db);
    const creds = seedDemo(repos, 'pepper', 1_700_000_000_000, { candidates: 5 });
    const cand = repos.candidates.byRegistration('demo', creds.candidates[0].registrationNumber)!;
    repos.attempts.insert({ candidateId: cand.id, state: 'in_progress', durationMs: 6_000_000, startedAt: 1 });
    repos.answers.append([
      { candidateId: cand.id, item: 0, kind: 'select', choice: 2, optionIndex: 4, clientSeq: 1, serverTs: 10, scoreDelta: 5 },
      { candidateId: cand.id, item: 0, kind: 'change', choice: 1, optionIndex: 0, clientSeq: 2, serverTs: 11, scoreDelta: -5 },
    ]);
    repos.audit.append({ at: 12, actorName: 'proctor', actorRole: 'proctor', sittingId: 'demo', action: 'extend', reason: 'power cut', details: { minutes: 5 } });
    h.close();

    h = openDatabase(file);
    repos = createRepositories(h.db);
    expect(repos.sittings.get('demo')!.status).toBe('running');
    expect(repos.candidates.listBySitting('demo')).toHaveLength(5);
    expect(verifyPin(creds.candidates[0].pin, repos.candidates.byRegistration('demo', creds.candidates[0].registrationNumber)!.pinHash, 'pepper')).toBe(true);
    expect(repos.answers.byCandidate(cand.id).map((e) => [e.kind, e.choice, e.clientSeq])).toEqual([['select', 2, 1], ['change', 1, 2]]);
    expect(repos.audit.bySitting('demo')[0]).toMatchObject({ action: 'extend', reason: 'power cut', details: { minutes: 5 } });
    expect(repos.banks.questions('demo-skd').length).toBeGreaterThanOrEqual(330);
    h.close();
  });

  it('stores PINs only as hashes', () => {
    const file = freshFile();
    const h = openDatabase(file);
    const repos = createRepositories(h.db);
    const creds = seedDemo(repos, 'pepper', 1, { candidates: 3 });
    const rows = h.sqlite.prepare('select * from candidates').all() as Record<string, unknown>[];
    for (const c of creds.candidates) {
      expect(JSON.stringify(rows)).not.toContain(`"${c.pin}"`);
    }
    expect(rows.every((r) => String(r.pin_hash).startsWith('hmac$'))).toBe(true);
    h.close();
  });

  it('refuses to update or delete an answer event or an audit entry', () => {
    const h = openDatabase(freshFile());
    const repos = createRepositories(h.db);
    seedDemo(repos, 'p', 1, { candidates: 1 });
    const cand = repos.candidates.listBySitting('demo')[0];
    repos.answers.append([{ candidateId: cand.id, item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: 1, serverTs: 1 }]);
    repos.audit.append({ at: 1, actorName: 'a', actorRole: 'admin', action: 'x', reason: 'y' });
    expect(() => h.sqlite.prepare('update answer_events set choice = 3').run()).toThrow(/append-only/);
    expect(() => h.sqlite.prepare('delete from answer_events').run()).toThrow(/append-only/);
    expect(() => h.sqlite.prepare('update audit_log set reason = ?').run('z')).toThrow(/append-only/);
    expect(() => h.sqlite.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(repos.answers.byCandidate(cand.id)[0].choice).toBe(0);
    h.close();
  });

  it('no repository or service path updates or deletes answer events', () => {
    const roots = ['server/src'];
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') || p.endsWith('.mjs')) {
          const text = readFileSync(p, 'utf8');
          if (/\b(update|delete)\(\s*answerEvents\b/.test(text) || /(update|delete\s+from)\s+answer_events/i.test(text)) offenders.push(p);
        }
      }
    };
    roots.forEach(walk);
    expect(offenders).toEqual([]);
  });
});
