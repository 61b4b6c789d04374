import { describe, expect, it } from 'vitest';
import { BatchPacker, BatchUnpacker } from '../../server/src/db/packing.js';
import type { WriteOp } from '../../server/src/db/write-ops.js';

/** The writer's batches cross as numbers and a string table: every op must come back as it went. */
function ops(k: number): WriteOp[] {
  return [
    { kind: 'log', sittingId: 'sit-1', event: { type: 'answer', t: 1_800_000_000_000 + k, reg: `2410${k}`, item: k % 110, section: k % 2 ? 'TWK' : 'TKP', choice: k % 3 ? k % 5 : null, delta: k % 4 ? -2.5 : 5, seq: k + 1 } },
    { kind: 'answer', record: { candidateId: 100 + k, sittingId: k % 2 ? 'sit-1' : 'sit-2', item: k % 110, kind: k % 3 ? 'change' : 'clear', choice: k % 3 ? k % 5 : null, optionIndex: k % 3 ? (k * 7) % 5 : null, clientSeq: k + 1, serverTs: 1_800_000_000_000 + k, scoreDelta: k % 4 ? -2.5 : 5 } },
    { kind: 'log', sittingId: 'sit-1', event: { type: 'flag', t: 7, reg: `2410${k}`, item: 3, flagged: k % 2 === 0, seq: k + 2 } },
    { kind: 'paper', candidateId: 100 + k, dealtAt: 1_800_000_000_000 + k, items: [{ questionId: `TWK-${k}`, section: 'TWK', optionOrder: [2, 0, 1, 4, 3] }, { questionId: 'TKP-007', section: 'TKP', optionOrder: [1, 0] }, { questionId: `TIU-${k % 3}`, section: 'TIU', optionOrder: [] }] },
    { kind: 'attempt', record: { candidateId: 100 + k, state: 'in_progress', admittedAt: null, startedAt: 5, durationMs: 6_000_000, extensionMs: 0, pausedMs: 0, pausedSince: k % 2 ? null : 9, endedAt: null, endReason: k % 2 ? null : 'time' } },
    { kind: 'login', record: { candidateId: 100 + k, failedLogins: k % 3, lockedAt: k % 2 ? null : 1234, loginGeneration: 2, sessionGeneration: k % 2 ? null : 2 } },
    { kind: 'log', sittingId: 'sit-1', event: { type: 'finish', t: 9, reg: `2410${k}`, reason: 'candidate', scores: { TWK: 5 } } },
    { kind: 'log', sittingId: 'sit-2', event: { type: 'login', t: 1_800_000_000_000 + k, reg: `2410${k}` } },
    { kind: 'log', sittingId: 'sit-2', event: { type: 'start', t: 1_800_000_000_001 + k, reg: `2410${k}`, paper: `${k}`.padStart(64, 'a'), items: 110, base: { TWK: 0, TIU: -k, TKP: 2.5 } } },
    { kind: 'audit', record: { at: 1, actorId: null, actorName: 'x', actorRole: 'system', sittingId: 'sit-1', candidateId: null, action: 'a', reason: 'r', details: { k } } },
  ];
}

describe('writer batches as numbers', () => {
  it('every hot and cold op comes back exactly, unit by unit, across batches that share the string table', () => {
    const packer = new BatchPacker();
    const unpacker = new BatchUnpacker();
    const sent = new Set<string>();
    for (let b = 0; b < 3; b++) {
      const units = Array.from({ length: 5 }, (_, u) => ops(b * 10 + u).slice(0, 6 + u));
      const batch = structuredClone(packer.pack(units));
      // only strings not sent before travel, each once
      expect(batch.strings.filter((s) => sent.has(s))).toEqual([]);
      expect(new Set(batch.strings).size).toBe(batch.strings.length);
      for (const s of batch.strings) sent.add(s);
      // a dealt paper crosses as numbers, not as an object to clone
      expect(batch.cold.some((op) => op.kind === 'paper')).toBe(false);
      // so do the leaves of a hall logging in and starting
      expect(batch.cold.some((op) => op.kind === 'log' && (op.event.type === 'login' || op.event.type === 'start'))).toBe(false);
      expect(unpacker.unpack(batch)).toEqual(units);
    }
    expect(sent.has('TKP-007')).toBe(true);
  });

  it('a paper whose option order one number cannot hold crosses as it is, and comes back the same', () => {
    const wide: WriteOp[] = [{ kind: 'paper', candidateId: 1, dealtAt: 2, items: [{ questionId: 'q', section: 'S', optionOrder: Array.from({ length: 16 }, (_, i) => 15 - i) }] }];
    const narrow: WriteOp[] = [{ kind: 'paper', candidateId: 1, dealtAt: 2, items: [{ questionId: 'q', section: 'S', optionOrder: [5, 4, 3, 2, 1, 0] }] }];
    const packer = new BatchPacker();
    const unpacker = new BatchUnpacker();
    const a = packer.pack([wide]);
    expect(a.cold).toEqual(wide);
    expect(unpacker.unpack(a)).toEqual([wide]);
    const b = packer.pack([narrow]);
    expect(b.cold).toEqual([]);
    expect(unpacker.unpack(b)).toEqual([narrow]);
  });

  it('a start whose section ids are not ids crosses as it is, and comes back the same', () => {
    const odd: WriteOp[] = [{ kind: 'log', sittingId: 's', event: { type: 'start', t: 1, reg: 'r', paper: 'p', items: 1, base: JSON.parse('{"__proto__":1,"TWK":2}') as Record<string, number> } }];
    const packer = new BatchPacker();
    const batch = packer.pack([odd]);
    expect(batch.cold).toEqual(odd);
    expect(Object.keys((new BatchUnpacker().unpack(batch)[0][0] as { event: { base: object } }).event.base)).toEqual(['__proto__', 'TWK']);
  });

  it('a thread that takes over starts its table afresh', () => {
    const packer = new BatchPacker();
    new BatchUnpacker().unpack(packer.pack([ops(1)]));
    packer.forget();
    const fresh = new BatchUnpacker();
    expect(fresh.unpack(packer.pack([ops(2)]))).toEqual([ops(2)]);
  });
});
