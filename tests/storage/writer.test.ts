import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { InlineWriter, ThreadWriter, type DurableWriter } from '../../server/src/db/writer.js';
import type { WriteOp } from '../../server/src/db/write-ops.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { generateLogKey } from '../../server/src/services/log-key.js';
import { logVerifierKey } from '../../server/src/db/sitting-log.js';
import { toBase64 } from '../../server/src/domain/verify/encoding.js';
import { MerkleTree } from '../../server/src/domain/verify/merkle.js';
import { openCheckpoint, parseVerifierKey } from '../../server/src/domain/verify/signed-note.js';
import { demoStore } from '../helpers/store.js';

const TEST_LOG_KEY = generateLogKey('kaca.test');
const TEST_VERIFIER_KEY = logVerifierKey(TEST_LOG_KEY);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function seeded() {
  const s = await demoStore(3);
  cleanups.push(s.close);
  return { ...s, repos: s.store.repos, ids: s.store.repos.candidates.listBySitting('demo').map((c) => c.id) };
}

function everyCoreWrite(id: number): WriteOp[] {
  return [
    { kind: 'login', record: { candidateId: id, failedLogins: 2, lockedAt: 77, loginGeneration: 3, sessionGeneration: 3 } },
    { kind: 'attempt', record: { candidateId: id, state: 'admitted', admittedAt: 5, startedAt: null, durationMs: 6_000_000, extensionMs: 0, pausedMs: 0, pausedSince: null, endedAt: null, endReason: null } },
    // the same attempt again: the row takes the new values
    { kind: 'attempt', record: { candidateId: id, state: 'in_progress', admittedAt: 5, startedAt: 6, durationMs: 6_000_000, extensionMs: 300_000, pausedMs: 1000, pausedSince: null, endedAt: null, endReason: null } },
    { kind: 'paper', candidateId: id, items: [{ questionId: 'q1', section: 'TWK', optionOrder: [2, 0, 1, 4, 3] }], dealtAt: 6 },
    { kind: 'answer', record: { candidateId: id, sittingId: 'demo', item: 0, kind: 'select', choice: 2, optionIndex: 1, clientSeq: 1, serverTs: 7, scoreDelta: 5 } },
    { kind: 'answer', record: { candidateId: id, sittingId: 'demo', item: 0, kind: 'clear', choice: null, optionIndex: null, clientSeq: 2, serverTs: 8, scoreDelta: -5 } },
    { kind: 'result', record: { candidateId: id, sittingId: 'demo', sections: { TWK: 0, TIU: 5, TKP: 4 }, total: 9, thresholdSet: 'umum', passed: false, receiptId: `r-${id}`, finishedAt: 9, endReason: 'time' } },
    { kind: 'audit', record: { at: 10, actorId: null, actorName: 'Proktor', actorRole: 'proctor', sittingId: 'demo', candidateId: id, action: 'extend', reason: 'mati listrik', details: { minutes: 5 } } },
    { kind: 'sitting-status', record: { sittingId: 'demo', status: 'closed', openedAt: 1, startedAt: 2, closedAt: 11 } },
  ];
}

describe.each([
  ['on its own thread', (file: string) => new ThreadWriter({ sqlite: file }, TEST_LOG_KEY)],
  ['inline', (_file: string, sqlite: Database.Database) => new InlineWriter(sqlite, TEST_LOG_KEY)],
])('the durable writer %s', (_name, make) => {
  async function writer(file: string, sqlite: Database.Database): Promise<DurableWriter> {
    const w = make(file, sqlite);
    cleanups.push(() => w.close());
    await w.ready();
    return w;
  }

  it('commits every kind of core write, read back alike through the repositories', async () => {
    const { file, store, repos, ids } = await seeded();
    const w = await writer(file, store.handle!.sqlite);
    const values = await w.submit(everyCoreWrite(ids[0]));
    const auditId = values[7];
    expect(auditId).toBeGreaterThan(0);
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
    // a paper and a result are written once: a second write changes nothing
    await w.submit([
      { kind: 'paper', candidateId: ids[0], items: [], dealtAt: 99 },
      { kind: 'result', record: { candidateId: ids[0], sittingId: 'demo', sections: {}, total: 0, thresholdSet: 'x', passed: true, receiptId: 'other', finishedAt: 99, endReason: 'candidate' } },
    ]);
    expect(repos.papers.get(ids[0])).toHaveLength(1);
    expect(repos.results.get(ids[0])).toMatchObject({ total: 9, receiptId: `r-${ids[0]}` });
  });

  it('is on disk when it resolves: a new connection to the file sees it', async () => {
    const { file, store, ids } = await seeded();
    const w = await writer(file, store.handle!.sqlite);
    await Promise.all(ids.map((id, i) => w.submit([{ kind: 'answer', record: { candidateId: id, sittingId: 'demo', item: i, kind: 'select', choice: 1, optionIndex: 3, clientSeq: 1, serverTs: 1, scoreDelta: 0 } }])));
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
    const { file, store, repos, ids } = await seeded();
    const w = await writer(file, store.handle!.sqlite);
    const answer = (candidateId: number, seq: number): WriteOp => ({ kind: 'answer', record: { candidateId, sittingId: 'demo', item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: seq, serverTs: 1, scoreDelta: 0 } });
    const results = await Promise.allSettled([
      w.submit([answer(ids[0], 1)]),
      // the second op names no candidate (a foreign key): the unit's first op must not stay
      w.submit([answer(ids[1], 1), answer(999_999, 1)]),
      w.submit([answer(ids[2], 1)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/FOREIGN KEY/);
    expect(repos.answers.byCandidate(ids[0])).toHaveLength(1);
    expect(repos.answers.byCandidate(ids[1])).toHaveLength(0);
    expect(repos.answers.byCandidate(ids[2])).toHaveLength(1);
  });

  it('the sitting log: a failed unit appends nothing, and indexes, hashes, head and checkpoints stay one chain', async () => {
    const { file, store, repos, ids } = await seeded();
    const w = await writer(file, store.handle!.sqlite);
    const before = repos.log.size('demo');
    // papers for the three, as the sitting's opening deals them
    await w.submit(ids.map((candidateId) => ({ kind: 'paper', candidateId, items: [{ questionId: 'q1', section: 'TWK', optionOrder: [2, 0, 1, 4, 3] }], dealtAt: 1 })));
    const reg = (id: number) => repos.candidates.get(id)?.registrationNumber ?? 'nobody';
    const logged = (candidateId: number, seq: number): WriteOp[] => [
      { kind: 'log', sittingId: 'demo', event: { type: 'answer', t: 100 + seq, reg: reg(candidateId), item: 0, section: 'TWK', choice: 1, delta: 5, seq } },
      { kind: 'answer', record: { candidateId, sittingId: 'demo', item: 0, kind: 'select', choice: 1, optionIndex: 0, clientSeq: seq, serverTs: 100 + seq, scoreDelta: 5 } },
    ];
    const results = await Promise.allSettled([
      w.submit(logged(ids[0], 50)),
      // the unit's second answer names no candidate (a foreign key): its leaf must go too
      w.submit([...logged(ids[1], 50), ...logged(999_999, 51)]),
      w.submit(logged(ids[2], 50)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
    // no gap where the failed unit's leaf would have been
    expect(values[0]).toEqual([before, 0]);
    expect(values[2]).toEqual([before + 1, 0]);
    expect(repos.log.size('demo')).toBe(before + 2);
    // each answer row keeps its leaf's index
    const leafOf = (id: number, seq: number) => repos.answers.byCandidate(id).find((e) => e.clientSeq === seq)?.logIdx ?? null;
    expect(leafOf(ids[0], 50)).toBe(before);
    expect(leafOf(ids[2], 50)).toBe(before + 1);
    expect(leafOf(ids[1], 50)).toBeNull();
    // and its sitting, which is how it is found (there is no index by candidate)
    expect(repos.answers.byCandidate(ids[2]).find((e) => e.clientSeq === 50)?.sittingId).toBe('demo');
    // an answer's leaf is read back from its answer row as the very bytes the writer hashed
    const leaves = repos.log.leaves('demo', 0, before + 2);
    // (with the nonce the writer derived for it, which its row keeps)
    expect(JSON.parse(leaves[before + 1])).toEqual({ v: 1, i: before + 1, t: 150, reg: reg(ids[2]), type: 'answer', item: 0, section: 'TWK', choice: 1, delta: 5, seq: 50, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // a log op for an answer with no answer op after it is refused: the row is the leaf's only copy
    await expect(w.submit([logged(ids[0], 60)[0]])).rejects.toThrow(/must be followed by its answer op/);
    const [note] = await w.submit([{ kind: 'checkpoint', sittingId: 'demo', at: 200 }]);
    const cp = openCheckpoint(note as string, parseVerifierKey(TEST_VERIFIER_KEY), `kaca.test/demo`);
    expect(cp.size).toBe(before + 2);
    expect(toBase64(cp.root)).toBe(toBase64(MerkleTree.ofTexts(leaves).root()));
    // asked again with nothing new, the same checkpoint
    expect(await w.submit([{ kind: 'checkpoint', sittingId: 'demo', at: 300 }])).toEqual([note]);
  });

  it('a refusal from the write itself comes back as a typed error', async () => {
    const { file, store } = await seeded();
    const w = await writer(file, store.handle!.sqlite);
    const bank = { id: 'demo-skd', title: 'again', language: 'id', questions: [] };
    const err = await w.submit([{ kind: 'bank', bank, createdAt: 1 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KacaError);
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists/) });
  });

  it('close waits for what was submitted, then refuses new writes', async () => {
    const { file, store, repos, ids } = await seeded();
    const w = make(file, store.handle!.sqlite);
    await w.ready();
    const pending = w.submit([{ kind: 'answer', record: { candidateId: ids[0], sittingId: 'demo', item: 0, kind: 'select', choice: 0, optionIndex: 0, clientSeq: 9, serverTs: 1, scoreDelta: 0 } }]);
    await w.close();
    await expect(pending).resolves.toEqual([0]);
    expect(repos.answers.byCandidate(ids[0])).toHaveLength(1);
    await expect(w.submit([])).rejects.toThrow(/closed/);
  });
});
