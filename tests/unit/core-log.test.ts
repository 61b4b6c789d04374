import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideAnswer, decideExpire, decideFinish, decideFlag, decideStart } from '../../server/src/domain/attempt.js';
import type { Sitting } from '../../server/src/domain/catalog.js';
import { dealPaper } from '../../server/src/domain/deal.js';
import { withReceipt, type Actor, type Decision, type Examinee } from '../../server/src/domain/examinee.js';
import { bankItem, catalogCommitments, plainTemplate, type LogEvent } from '../../server/src/domain/log-events.js';
import { encodeLeaf, type Leaf } from '../../server/src/domain/verify/leaf.js';
import { leafHashOfText } from '../../server/src/domain/verify/merkle.js';
import { decideLogin } from '../../server/src/domain/login.js';
import { decideProctorAction } from '../../server/src/domain/proctor-actions.js';
import { scoreChoice } from '../../server/src/domain/scoring.js';
import { decideSittingPause, decideSittingStatus, type SittingDecision } from '../../server/src/domain/sitting-lifecycle.js';
import { mixSeed, seedCommitment } from '../../server/src/domain/verify/commitments.js';
import type { PublicExport } from '../../server/src/domain/verify/export-format.js';
import { verifyExport } from '../../server/src/domain/verify/verify.js';
import type { Write } from '../../server/src/domain/writes.js';
import { encodeEvent, LeafNonces, logOrigin, logVerifierKey, SittingLogs, type LogStorage } from '../../server/src/db/sitting-log.js';
import { generateLogKey } from '../../server/src/services/log-key.js';
import { coreFixture, MIN, T0, valueOf } from '../helpers/core.js';

/**
 * The core's log events, end to end without a database: a sitting decided command by command,
 * each decision's writes appended by the writer's own log code over a store in memory, then the
 * export verified publicly and by an auditor. Every kind of event the engine logs is in it.
 */
const KEY = generateLogKey('kaca.unit');

function memoryLog() {
  const leaves: string[] = [];
  let size = 0;
  const checkpoints: string[] = [];
  const receipts = new Map<number, string>();
  let head: { size: number; frontier: string; checkpointSize: number; nonceSalt: string | null } | undefined;
  const storage: LogStorage = {
    head: () => head,
    saveHead: (_s, size, frontier, checkpointSize, nonceSalt) => (head = { size, frontier, checkpointSize, nonceSalt }),
    // every leaf but an answer's or a flag's (which is its answer row)
    insertLeaf: (_s, idx, leaf) => {
      leaves[idx] = leaf;
    },
    insertCheckpoint: (_s, _size, _root, note) => checkpoints.push(note),
    checkpointNote: () => checkpoints.at(-1),
    saveReceipt: (candidateId, note) => receipts.set(candidateId, note),
  };
  const logs = new SittingLogs(storage, KEY);
  /** What the writer does with a committed unit: the log's ops, in order; the values of each. */
  const commit = (writes: readonly Write[]): (number | string | null)[] => {
    const values = writes.map((w) => {
      if (w.kind === 'receipt') return logs.receipt(w.candidateId, w.sittingId, w.body);
      if (w.kind !== 'log') return null;
      const i = logs.append(w.sittingId, w.event);
      expect(i).toBe(size++);
      // the answer row (which keeps an answer leaf's nonce), read back as the repository does
      if (w.event.type === 'flag') leaves[i] = encodeEvent(w.event, i);
      if (w.event.type === 'answer') {
        const nonce = logs.takeAnswerNonce();
        expect(nonce).toMatch(/^[0-9a-f]{32}$/);
        leaves[i] = encodeEvent({ ...w.event, nonce: nonce! }, i);
      }
      return i;
    });
    logs.flush();
    return values;
  };
  return { leaves, checkpoints, receipts, commit, checkpoint: (at: number) => (logs.checkpoint('s1', at), logs.flush()) };
}

describe('the core logs every change to an attempt', () => {
  it('a sitting decided command by command verifies, publicly and for an auditor', () => {
    const f = coreFixture(undefined, { status: 'scheduled', openedAt: null, startedAt: null, requireAdmission: true, beaconRound: 1000 });
    const log = memoryLog();
    const actor: Actor = { id: 1, name: 'Pengawas', role: 'proctor' };
    let sitting: Sitting = f.sitting;
    const people = new Map<number, Examinee>([1, 2, 3, 4, 5].map((id) => [id, f.candidate(id)]));
    let now = T0;
    const ctx = () => ({ ...f.ctx(now), sitting });
    const run = <T>(id: number, decide: (e: Examinee) => Decision<T>): T => {
      const d = decide(people.get(id)!);
      const values = log.commit(d.writes);
      const receipt = d.writes.findIndex((w) => w.kind === 'receipt');
      people.set(id, receipt >= 0 ? withReceipt(d.examinee, values[receipt] as string) : d.examinee);
      return valueOf(d);
    };
    const group = (d: SittingDecision) => {
      log.commit([...d.writes, ...d.candidates.flatMap((c) => c.writes), ...(d.closing ?? [])]);
      sitting = d.sitting;
      for (const c of d.candidates) people.set(c.examinee.profile.id, c.examinee);
    };

    group(decideSittingStatus(sitting, 'open', actor, 'ruang siap', [...people.values()], f.ctx(now)));
    // a beacon sitting starts only with the round's value, and deals from the seed mixed with it
    expect(() => decideSittingStatus(sitting, 'running', actor, 'mulai', [...people.values()], f.ctx(now))).toThrow(/beacon round 1000/);
    // quicknet's round 1000, as drand publishes it
    const signature = 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
    const randomness = 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd';
    for (const id of [1, 2, 3, 4, 5]) run(id, (e) => decideLogin(e, { pinOk: true, token: 'not-required', lockAfter: 3 }, ctx()));
    for (const id of [1, 2, 3, 4]) run(id, (e) => decideProctorAction(e, { type: 'admit', actor, reason: 'KTP sesuai' }, ctx()));
    now += MIN;
    group(decideSittingStatus(sitting, 'running', actor, 'mulai', [...people.values()], f.ctx(now), { signature, randomness }));
    expect(sitting.beaconRandomness).toBe(randomness);

    for (const id of [1, 2, 3, 4]) run(id, (e) => decideStart(e, ctx()));
    expect(people.get(1)!.paper!.items()).toEqual(dealPaper(f.catalog.plan, mixSeed('seed', randomness), 'R1').items);
    // candidate 5 was never admitted: terminated before starting, with no finish in the log
    run(5, (e) => decideProctorAction(e, { type: 'terminate', actor, reason: 'tidak hadir di ruang' }, ctx()));

    const seqs = new Map<number, number>();
    const answer = (id: number, item: number, choice: number | null) => {
      const seq = (seqs.get(id) ?? 0) + 1;
      seqs.set(id, seq);
      now += 1000;
      return run(id, (e) => decideAnswer(e, { seq, item, choice }, ctx()));
    };
    for (const id of [1, 2, 3, 4]) for (let item = 0; item < 7; item++) answer(id, item, (item + id) % 4);
    answer(1, 2, null);
    answer(2, 0, 3);
    run(3, (e) => decideFlag(e, { seq: (seqs.set(3, seqs.get(3)! + 1), seqs.get(3)!), item: 4, flagged: true }, ctx()));

    // the hall loses power: everyone paused, then resumed; one PC swapped; one extension; one termination
    group(decideSittingPause(sitting, false, actor, 'listrik padam', [...people.values()], f.ctx(now), false));
    now += 2 * MIN;
    group(decideSittingPause(sitting, true, actor, 'listrik pulih', [...people.values()], f.ctx(now), true));
    run(2, (e) => decideProctorAction(e, { type: 'reset-login', actor, reason: 'PC rusak' }, ctx()));
    run(2, (e) => decideLogin(e, { pinOk: true, token: 'not-required', lockAfter: 3 }, ctx()));
    run(2, (e) => decideProctorAction(e, { type: 'extend', actor, reason: 'ganti PC', minutes: 3 }, ctx()));
    answer(2, 6, 1);
    run(4, (e) => decideProctorAction(e, { type: 'terminate', actor, reason: 'membawa catatan' }, ctx()));

    const result = run(1, (e) => decideFinish(e, ctx()));
    expect(people.get(1)!.result!.receipt).toContain(`leaf ${log.leaves.length - 1}\n`);
    expect(result.sections).toEqual(people.get(1)!.scores);
    // candidate 2 runs out of time (10 minutes + 3): finished at the deadline by the sweep
    now = people.get(2)!.attempt!.clock.startedAt! + 10 * MIN + 3 * MIN + 2 * MIN + 5000;
    run(2, (e) => decideExpire(e, ctx()));
    expect(people.get(2)!.attempt).toMatchObject({ state: 'finished', endReason: 'time' });
    log.checkpoint(now);
    group(decideSittingStatus(sitting, 'closed', actor, 'selesai', [...people.values()], f.ctx(now)));
    // after the close nothing more is logged: a proctor's action is refused
    expect(() => decideProctorAction(people.get(5)!, { type: 'reset-login', actor, reason: 'terlambat' }, ctx())).toThrow(/closed/);
    log.checkpoint(now);

    const types = log.leaves.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(new Set(types)).toEqual(new Set(['sitting-open', 'sitting-start', 'login', 'admit', 'reset-login', 'start', 'answer', 'flag', 'pause', 'resume', 'extend', 'terminate', 'finish', 'sitting-close']));
    expect(types.filter((t) => t === 'finish')).toHaveLength(4);
    expect(types.at(-1)).toBe('sitting-close');
    // reasons stay in the audit log: the public leaves say only what happened
    expect(log.leaves.join('\n')).not.toMatch(/listrik|catatan|KTP|PC rusak/);

    const c = catalogCommitments(f.catalog);
    const exported: PublicExport = {
      format: 'kaca-export@1',
      origin: logOrigin(KEY.name, 's1'),
      publicKey: logVerifierKey(KEY),
      sitting: { id: 's1', name: 'Sesi', seedCommitment: seedCommitment('seed'), seed: 'seed', bankCommitment: c.bank, template: plainTemplate(f.template), beacon: { round: 1000, randomness, signature } },
      checkpoints: log.checkpoints,
      leaves: log.leaves,
      receipts: [...log.receipts.values()],
    };
    expect(verifyExport(exported).errors).toEqual([]);
    const bank = f.bank.map(bankItem);
    const byId = new Map(bank.map((q) => [q.id, q]));
    const rules = new Map(f.template.sections.map((s) => [s.id, s.scoring]));
    const audited = verifyExport(exported, {
      auditor: { bank, dealPaper: (seed, reg) => dealPaper(f.catalog.plan, seed, reg).items, scoreItem: (id, i) => scoreChoice(byId.get(id)!, rules.get(byId.get(id)!.section)!, i) },
    });
    expect(audited.errors).toEqual([]);
    expect(audited.checks.find((x) => x.name === 'candidate events')!.detail).toBe('5 candidates, 4 started, every one of them finished');
  });
});

describe('answer leaves and the checkpoints published while a sitting runs', () => {
  it('a candidate who knows every field of their answer but its delta and nonce cannot find the delta from the next checkpoint', () => {
    // the attack: the log stands at a power of two (so its frontier is one hash the candidate can
    // read off a checkpoint), the candidate answers, and the next checkpoint covers just that leaf
    const log = memoryLog();
    const open: LogEvent = { type: 'sitting-open', t: T0, sitting: 's1', seedCommitment: 'aa'.repeat(32), bankCommitment: 'bb'.repeat(32) };
    log.commit([{ kind: 'log', sittingId: 's1', event: open }]);
    const answer: LogEvent = { type: 'answer', t: T0 + 5, reg: '2410001', item: 0, section: 'TWK', choice: 4, delta: 5, seq: 1 };
    log.commit([{ kind: 'log', sittingId: 's1', event: answer }]);
    const stored = log.leaves[1];
    expect(JSON.parse(stored)).toMatchObject({ type: 'answer', delta: 5, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // every guess of the delta, with the exact time, hashes to something else than the stored leaf,
    // whether guessed without a nonce or with one worked out under any key but DATA_DIR's
    const target = Buffer.from(leafHashOfText(stored)).toString('hex');
    const guessed = new LeafNonces(generateLogKey('kaca.unit')).of('aa'.repeat(32), 1);
    for (let delta = -10; delta <= 10; delta++) {
      expect(Buffer.from(leafHashOfText(encodeEvent({ ...answer, delta }, 1))).toString('hex')).not.toBe(target);
      expect(Buffer.from(leafHashOfText(encodeEvent({ ...answer, delta, nonce: guessed }, 1))).toString('hex')).not.toBe(target);
    }
    // the right key gives the stored leaf back: the test above fails for want of the key, nothing else
    expect(Buffer.from(leafHashOfText(encodeEvent({ ...answer, nonce: new LeafNonces(KEY).of('aa'.repeat(32), 1) }, 1))).toString('hex')).toBe(target);
    // and the same answer twice gets two different leaves
    log.commit([{ kind: 'log', sittingId: 's1', event: { ...answer, seq: 2 } }]);
    expect(JSON.parse(log.leaves[2]).nonce).not.toBe(JSON.parse(stored).nonce);
  });
});

describe('answer leaf nonces', () => {
  it('are AES-256 of the index under the log’s own key (an HMAC of its salt under a key only DATA_DIR holds), the same on every writer', () => {
    const nonces = new LeafNonces(KEY);
    const key = createHash('sha256').update(`kaca leaf nonces\0${KEY.privateKeyPem}`).digest();
    const salt = 'c0'.repeat(32);
    const one = (i: number) => {
      const block = Buffer.alloc(16);
      block.writeBigUInt64BE(BigInt(i), 8);
      return createCipheriv('aes-256-ecb', createHmac('sha256', key).update(salt).digest(), null).setAutoPadding(false).update(block).toString('hex');
    };
    // in order, out of order, across the batches of 256, and past 32 bits
    for (const i of [0, 7, 255, 256, 1000, 3, 2 ** 32 + 5, 2 ** 53 - 1]) expect(nonces.of(salt, i), String(i)).toBe(one(i));
    expect(new LeafNonces(KEY).of(salt, 7)).toBe(nonces.of(salt, 7));
    expect(new Set([nonces.of(salt, 7), nonces.of(salt, 8), nonces.of('c1'.repeat(32), 7), new LeafNonces(generateLogKey('other')).of(salt, 7)]).size).toBe(4);
  });

  it('a sitting id used again with the same key (a rehearsal, then the real one on a fresh database) gets other nonces', () => {
    const answer: LogEvent = { type: 'answer', t: T0 + 5, reg: '2410001', item: 0, section: 'TWK', choice: 4, delta: 5, seq: 1 };
    const nonceIn = (seedCommitment: string) => {
      const log = memoryLog();
      log.commit([{ kind: 'log', sittingId: 's1', event: { type: 'sitting-open', t: T0, sitting: 's1', seedCommitment, bankCommitment: 'bb'.repeat(32) } }]);
      log.commit([{ kind: 'log', sittingId: 's1', event: answer }]);
      return JSON.parse(log.leaves[1]).nonce as string;
    };
    expect(nonceIn('aa'.repeat(32))).toBe(nonceIn('aa'.repeat(32)));
    expect(nonceIn('aa'.repeat(32))).not.toBe(nonceIn('ab'.repeat(32)));
  });

  it('a log begun before nonces goes on without them', () => {
    const logs = new SittingLogs(
      // a head of one leaf (its sitting-open) stored without a salt
      { head: () => ({ size: 1, frontier: Buffer.alloc(32, 7).toString('base64'), checkpointSize: 0, nonceSalt: null }), saveHead: () => undefined, insertLeaf: () => undefined, insertCheckpoint: () => undefined, checkpointNote: () => undefined, saveReceipt: () => undefined },
      KEY,
    );
    expect(logs.append('s1', { type: 'answer', t: T0, reg: 'r', item: 0, section: 'TWK', choice: 1, delta: 0, seq: 1 })).toBe(1);
    expect(logs.takeAnswerNonce()).toBeNull();
  });
});

describe('the writer’s quick leaf encodings', () => {
  const slow = (event: LogEvent, i: number) => encodeLeaf({ ...event, v: 1, i } as Leaf);
  const events: LogEvent[] = [
    { type: 'answer', t: T0, reg: '2410001', item: 4, section: 'TWK', choice: 2, delta: 5, seq: 3 },
    { type: 'answer', t: T0, reg: '2410001', item: 0, section: 'TKP', choice: null, delta: -2.5, seq: 4 },
    { type: 'answer', t: T0, reg: '2410001', item: 9, section: 'TIU', choice: 0, delta: 0, seq: 6, nonce: '0123456789abcdef'.repeat(2) },
    { type: 'flag', t: T0 + 1, reg: 'a.b_c-9', item: 7, flagged: false, seq: 5 },
    { type: 'login', t: T0 + 2, reg: '2410001' },
    { type: 'start', t: T0 + 3, reg: '2410001', paper: 'ab'.repeat(32), items: 110, base: { TWK: 0, TIU: 0.5, TKP: -1, B2: 3 } },
    { type: 'start', t: 0, reg: 'X', paper: '0'.repeat(64), items: 1, base: {} },
  ];

  it('are byte for byte what the schema path writes', () => {
    events.forEach((e, i) => expect(encodeEvent(e, i + 10)).toBe(slow(e, i + 10)));
  });

  it('leave to the schema, which refuses it, an event that is not a valid leaf', () => {
    const bad = [
      { type: 'login', t: T0, reg: 'has space' },
      { type: 'login', t: -1, reg: 'r' },
      { type: 'login', t: T0, reg: 'r', questionId: 'Q-1' },
      { type: 'start', t: T0, reg: 'r', paper: 'AB'.repeat(32), items: 110, base: {} },
      { type: 'start', t: T0, reg: 'r', paper: 'ab'.repeat(32), items: 0, base: {} },
      { type: 'start', t: T0, reg: 'r', paper: 'ab'.repeat(32), items: 110, base: { 'bad id': 1 } },
      { type: 'start', t: T0, reg: 'r', paper: 'ab'.repeat(32), items: 110, base: { TWK: Number.NaN } },
      { type: 'answer', t: T0, reg: 'r', item: 1, section: 'TWK', choice: 0, delta: 5, seq: 1, nonce: 'XYZ' },
      { type: 'answer', t: T0, reg: 'r', item: 1, section: 'TWK', choice: 0, delta: 5, seq: 1, nonce: 'ab'.repeat(32) },
    ] as unknown as LogEvent[];
    for (const e of bad) expect(() => encodeEvent(e, 0), JSON.stringify(e)).toThrow(/invalid log event|finite/);
  });
});
