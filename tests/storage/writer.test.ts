import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type DbHandle } from '../../server/src/db/client.js';
import { createRepositories, type Repositories } from '../../server/src/db/repositories/index.js';
import { seedDemo } from '../../server/src/services/demo.js';
import { InlineWriter, ThreadWriter, type DurableWriter } from '../../server/src/services/writer.js';
import type { WriteOp } from '../../server/src/db/write-ops.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function seeded(): { file: string; h: DbHandle; repos: Repositories; ids: number[] } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'kaca.db');
  const h = openDatabase(file);
  cleanups.push(() => h.close());
  const repos = createRepositories(h.db);
  seedDemo(repos, 'pepper', 1_700_000_000_000, { candidates: 3 });
  return { file, h, repos, ids: repos.candidates.listBySitting('demo').map((c) => c.id) };
}

function everyOp(id: number): WriteOp[] {
  return [
    { op: 'login-state', candidateId: id, failedLogins: 2, lockedAt: 77, loginGeneration: 3, sessionGeneration: 3 },
    { op: 'attempt-create', row: { candidateId: id, state: 'admitted', admittedAt: 5, durationMs: 6_000_000 } },
    { op: 'attempt-save', row: { candidateId: id, state: 'in_progress', admittedAt: 5, startedAt: 6, durationMs: 6_000_000, extensionMs: 300_000, pausedMs: 1000, pausedSince: null, endedAt: null, endReason: null } },
    { op: 'paper', candidateId: id, items: [{ questionId: 'q1', section: 'TWK', optionOrder: [2, 0, 1, 4, 3] }], dealtAt: 6 },
    { op: 'answer', row: { candidateId: id, item: 0, kind: 'select', choice: 2, optionIndex: 1, clientSeq: 1, serverTs: 7, scoreDelta: 5 } },
    { op: 'answer', row: { candidateId: id, item: 0, kind: 'clear', choice: null, optionIndex: null, clientSeq: 2, serverTs: 8, scoreDelta: -5 } },
    { op: 'result', row: { candidateId: id, sittingId: 'demo', sections: { TWK: 0, TIU: 5, TKP: 4 }, total: 9, thresholdSet: 'umum', passed: false, receiptId: `r-${id}`, finishedAt: 9, endReason: 'time' } },
    { op: 'audit', entry: { at: 10, actorId: null, actorName: 'Proktor', actorRole: 'proctor', sittingId: 'demo', candidateId: id, action: 'extend', reason: 'mati listrik', details: { minutes: 5 } } },
    { op: 'sitting-status', sittingId: 'demo', status: 'closed', openedAt: 1, startedAt: 2, closedAt: 11 },
  ];
}

describe.each([
  ['on its own thread', (file: string, _h: DbHandle) => new ThreadWriter(file)],
  ['inline', (_file: string, h: DbHandle) => new InlineWriter(h.sqlite)],
])('the durable writer %s', (_name, make) => {
  async function writer(file: string, h: DbHandle): Promise<DurableWriter> {
    const w = make(file, h);
    cleanups.push(() => w.close());
    await w.ready();
    return w;
  }

  it('commits every kind of write op, read back alike through the repositories', async () => {
    const { file, h, repos, ids } = seeded();
    const w = await writer(file, h);
    const values = await w.submit(everyOp(ids[0]));
    const auditId = values[7];
    expect(repos.candidates.get(ids[0])).toMatchObject({ failedLogins: 2, lockedAt: 77, loginGeneration: 3, sessionGeneration: 3 });
    expect(repos.attempts.get(ids[0])).toEqual({ candidateId: ids[0], state: 'in_progress', admittedAt: 5, startedAt: 6, durationMs: 6_000_000, extensionMs: 300_000, pausedMs: 1000, pausedSince: null, endedAt: null, endReason: null });
    expect(repos.papers.get(ids[0])).toEqual([{ questionId: 'q1', section: 'TWK', optionOrder: [2, 0, 1, 4, 3] }]);
    expect(repos.answers.byCandidate(ids[0]).map((e) => [e.kind, e.choice, e.optionIndex, e.clientSeq, e.serverTs, e.scoreDelta])).toEqual([
      ['select', 2, 1, 1, 7, 5],
      ['clear', null, null, 2, 8, -5],
    ]);
    expect(repos.results.get(ids[0])).toMatchObject({ sections: { TWK: 0, TIU: 5, TKP: 4 }, total: 9, passed: false, receiptId: `r-${ids[0]}`, endReason: 'time' });
    expect(repos.audit.bySitting('demo').find((a) => a.id === auditId)).toMatchObject({ action: 'extend', reason: 'mati listrik', details: { minutes: 5 }, candidateId: ids[0] });
    expect(repos.sittings.get('demo')).toMatchObject({ status: 'closed', openedAt: 1, startedAt: 2, closedAt: 11 });
  });

  it('is on disk when it resolves: a new connection to the file sees it', async () => {
    const { file, h, ids } = seeded();
    const w = await writer(file, h);
    await Promise.all(ids.map((id, i) => w.submit([{ op: 'answer', row: { candidateId: id, item: i, kind: 'select', choice: 1, optionIndex: 3, clientSeq: 1, serverTs: 1, scoreDelta: 0 } }])));
    const other = new Database(file, { readonly: true });
    try {
      expect((other.prepare('select count(*) as n from answer_events').get() as { n: number }).n).toBe(ids.length);
    } finally {
      other.close();
    }
    expect(w.stats.units).toBe(ids.length);
    // submitted in the same tick: one transaction
    expect(w.stats.batches).toBe(1);
  });

  it('a unit that fails fails alone and leaves nothing of itself; the rest of its batch commits', async () => {
    const { file, h, repos, ids } = seeded();
    const w = await writer(file, h);
    const answer = (candidateId: number, seq: number): WriteOp => ({ op: 'answer', row: { candidateId, item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: seq, serverTs: 1, scoreDelta: 0 } });
    const results = await Promise.allSettled([
      w.submit([answer(ids[0], 1)]),
      // the second op breaks the unique (candidate, seq) index: the unit's first op must not stay
      w.submit([answer(ids[1], 1), answer(ids[1], 1)]),
      w.submit([answer(ids[2], 1)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/UNIQUE/);
    expect(repos.answers.byCandidate(ids[0])).toHaveLength(1);
    expect(repos.answers.byCandidate(ids[1])).toHaveLength(0);
    expect(repos.answers.byCandidate(ids[2])).toHaveLength(1);
  });

  it("keeps a candidate's order: after one of their units fails, their later units fail unrun until released", async () => {
    const { file, h, repos, ids } = seeded();
    const w = await writer(file, h);
    const answer = (candidateId: number, seq: number): WriteOp => ({ op: 'answer', row: { candidateId, item: seq, kind: 'select', choice: 0, optionIndex: 0, clientSeq: seq, serverTs: 1, scoreDelta: 0 } });
    const [a, b] = ids;
    // one batch: a's seq 1 breaks (twice the same seq), a's seq 2 came after it, b is someone else
    const first = await Promise.allSettled([w.submit([answer(a, 1), answer(a, 1)], a), w.submit([answer(a, 2)], a), w.submit([answer(b, 1)], b)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((first[1] as PromiseRejectedResult).reason.message).toMatch(/earlier change/);
    // a later batch, sent before the caller reloaded: refused too; b goes on
    const second = await Promise.allSettled([w.submit([answer(a, 3)], a), w.submit([answer(b, 2)], b)]);
    expect(second.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(repos.answers.byCandidate(a)).toEqual([]);
    w.release(a);
    await w.submit([answer(a, 1)], a);
    await w.submit([answer(a, 2)], a);
    expect(repos.answers.byCandidate(a).map((e) => e.clientSeq)).toEqual([1, 2]);
    expect(repos.answers.byCandidate(b).map((e) => e.clientSeq)).toEqual([1, 2]);
  });

  it('close waits for what was submitted, then refuses new writes', async () => {
    const { file, h, repos, ids } = seeded();
    const w = make(file, h);
    await w.ready();
    const pending = w.submit([{ op: 'answer', row: { candidateId: ids[0], item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: 9, serverTs: 1, scoreDelta: 0 } }]);
    await w.close();
    await expect(pending).resolves.toEqual([expect.any(Number)]);
    expect(repos.answers.byCandidate(ids[0])).toHaveLength(1);
    await expect(w.submit([])).rejects.toThrow(/closed/);
  });
});
