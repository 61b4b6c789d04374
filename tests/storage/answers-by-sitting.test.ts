import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/src/config.js';
import { ExamEngine } from '../../server/src/engine/engine.js';
import { LeafIndex } from '../../server/src/engine/leaf-index.js';
import { Registry } from '../../server/src/engine/registry.js';
import { demoStore } from '../helpers/store.js';
import { WriterLost } from '../../server/src/db/writer.js';

describe('the leaf of each stored seq, kept in memory', () => {
  it('finds every seq added, in or out of order, across growth; a duplicate keeps the first; unknown seqs are null', () => {
    const idx = new LeafIndex();
    for (let s = 1; s <= 100; s += 2) idx.add(s, 1000 + s);
    idx.add(50, 7); // out of order: goes in its place
    idx.add(51, 9999); // already there: the first leaf stays
    idx.add(200, null); // from before the log
    // a seq is any safe integer: a client counting in milliseconds
    idx.add(2 ** 31 + 7, 70);
    idx.add(1_800_000_000_000, 71);
    expect(idx.size).toBe(54);
    expect(idx.leafOf(2 ** 31 + 7)).toBe(70);
    expect(idx.leafOf(1_800_000_000_000)).toBe(71);
    for (let s = 1; s <= 100; s += 2) expect(idx.leafOf(s)).toBe(1000 + s);
    expect(idx.leafOf(50)).toBe(7);
    expect(idx.leafOf(2)).toBeNull();
    expect(idx.leafOf(200)).toBeNull();
    expect(idx.leafOf(0)).toBeNull();
    expect(idx.leafOf(1_000_000)).toBeNull();
  });
});

describe('a candidate read back from their sitting (no index by candidate)', () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });
  /** The demo with this many candidates, and an engine started on it (stopped after the test). */
  const startedEngine = async (candidates: number) => {
    const d = await demoStore(candidates);
    const engine = new ExamEngine(d.store, parseConfig({ dataDir: d.dir, logLevel: 'silent', answersPerSecond: 1e9 }), Date.now);
    cleanup = async () => {
      await engine.stop();
      await d.close();
    };
    await engine.start();
    return { d, engine };
  };

  it('candidates read on first use (with their whole sitting), or again one by one in one turn or in several, come back exactly as the engine committed them, leaves included', async () => {
    const { d, engine } = await startedEngine(6);
    const ids = d.store.repos.candidates.listBySitting('demo').map((c) => c.id);
    for (const c of d.creds.candidates) await engine.login.login({ registrationNumber: c.registrationNumber, pin: c.pin });
    const leaves = new Map<number, { seq: number; leaf: number }[]>();
    for (const [k, id] of ids.entries()) {
      await engine.candidates.start(id);
      const list: { seq: number; leaf: number }[] = [];
      // candidates answer different amounts, changes and clears included
      for (let seq = 1; seq <= 3 + k * 2; seq++) {
        const ack = await engine.candidates.answer(id, { seq, item: seq % 4, choice: seq % 3 === 0 ? null : seq % 4 });
        list.push({ seq, leaf: ack.logIndex! });
      }
      leaves.set(id, list);
    }
    await d.store.writer.drained();
    const committed = new Map(ids.map((id) => [id, engine.registry.examinee(id)]));

    const check = (r: Registry, id: number) => {
      const e = r.examinee(id);
      const want = committed.get(id)!;
      expect(e.answers.toArray()).toEqual(want.answers.toArray());
      expect(e.scores).toEqual(want.scores);
      expect(e.lastSeq).toBe(want.lastSeq);
      for (const { seq, leaf } of leaves.get(id)!) expect(r.leafOf(id, seq)).toBe(leaf);
      expect(r.leafOf(id, want.lastSeq + 1)).toBeNull();
    };
    // the first use of one candidate reads their whole sitting once: everyone is then in memory
    const firstUse = new Registry(d.store);
    check(firstUse, ids[3]);
    for (const id of ids) expect(firstUse.has(id)).toBe(true);
    for (const id of ids) check(firstUse, id);
    // read again one by one, all in one turn (a batch the writer lost): the second read reads the sitting once for the rest
    const sameTurn = new Registry(d.store);
    for (const id of ids) sameTurn.load(id);
    for (const id of ids) check(sameTurn, id);
    // one per turn: each reads only its own
    const turns = new Registry(d.store);
    for (const id of ids) {
      await new Promise((r) => setImmediate(r));
      turns.load(id);
      expect(turns.has(id === ids[0] ? ids[1] : ids[0])).toBe(id !== ids[0]);
      check(turns, id);
    }
    // and the whole sitting at once, as start-up does
    const atOnce = new Registry(d.store);
    atOnce.loadSitting('demo');
    for (const id of ids) check(atOnce, id);
  });

  it('a commit whose fate is unknown, with the database unreadable too: the answer is refused, and nothing more of that candidate is decided until they are read again', async () => {
    const { d, engine } = await startedEngine(2);
    const [id] = d.store.repos.candidates.listBySitting('demo').map((c) => c.id);
    await engine.login.login({ registrationNumber: d.creds.candidates[0].registrationNumber, pin: d.creds.candidates[0].pin });
    await engine.candidates.start(id);
    // the writer is lost mid-commit (after storing it: the worst case), and the candidate cannot be read back twice over
    const writer = d.store.writer;
    const submit = writer.submit.bind(writer);
    let lose = true;
    writer.submit = async (unit) => {
      const values = await submit(unit);
      if (!lose) return values;
      lose = false;
      throw new WriterLost('the writer thread died');
    };
    const load = engine.registry.load.bind(engine.registry);
    let unreadable = 2;
    engine.registry.load = (cid: number) => {
      if (unreadable > 0) {
        unreadable--;
        throw new Error('the database does not answer');
      }
      return load(cid);
    };
    await expect(engine.candidates.answer(id, { seq: 1, item: 0, choice: 1 })).rejects.toMatchObject({ code: 'INTERNAL' });
    // the next change waits for the read; once it succeeds, the stored seq 1 is known, so the
    // client's retry of it is acknowledged as a retry, not stored twice
    const retry = engine.candidates.answer(id, { seq: 1, item: 0, choice: 1 });
    expect(unreadable).toBeGreaterThan(0);
    await expect(retry).resolves.toMatchObject({ seq: 1, applied: false, choice: 1 });
    expect(unreadable).toBe(0);
    expect(d.store.repos.answers.byCandidate(id).map((e) => e.clientSeq)).toEqual([1]);
    await expect(engine.candidates.answer(id, { seq: 2, item: 1, choice: 2 })).resolves.toMatchObject({ seq: 2, applied: true });
  });
});
