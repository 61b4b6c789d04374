import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerAck, CandidateState } from '../../server/src/contract/candidate.js';
import type { Leaf } from '../../server/src/domain/verify/leaf.js';
import type { PublicExport } from '../../server/src/domain/verify/export-format.js';
import { kaca } from '../helpers/cli.js';
import { CHECKPOINT_EVERY } from '../../server/src/db/sitting-log.js';
import { candidateSession, ok, staffSocket, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `kaca export` and `kaca verify` on a sitting the server ran and closed: the honest export
 * verifies, and each single change an operator could make (a stored answer, a checkpoint, a
 * receipt, the revealed seed) is caught and named.
 */
const tmp = tempDir('kaca-verify-');
const env = { DATA_DIR: tmp.dir };
const file = (name: string) => join(tmp.dir, name);
let exported: PublicExport;

beforeAll(async () => {
  // enough leaves for a few of the checkpoints the writer signs every CHECKPOINT_EVERY
  const server = await startTestServer({ candidates: 24, dataDir: tmp.dir });
  try {
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    for (const [k, c] of server.candidates.entries()) {
      const s = await candidateSession(server, c.registrationNumber, c.pin);
      const state = await ok<CandidateState>(s.socket, 'exam:start');
      let seq = 0;
      for (const [item, it] of state.items!.entries()) await ok<AnswerAck>(s.socket, 'answer:submit', { seq: ++seq, item, choice: (item * 7 + k) % it.options.length });
      // second thoughts on a few items
      for (const [item, it] of state.items!.slice(0, 3).entries()) await ok<AnswerAck>(s.socket, 'answer:submit', { seq: ++seq, item, choice: (item + k + 1) % it.options.length });
      if (k === 0) await ok(s.socket, 'exam:finish');
      s.socket.disconnect();
    }
    await ok(proctor.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'selesai' });
    proctor.socket.disconnect();
  } finally {
    await server.app.close();
    await server.store.close();
  }
  const r = kaca(['export', 'sit1', '--out', file('export.json'), '--bank-out', file('bank.json')], env);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/wrote .*export\.json: \d+ leaves, \d+ checkpoints, 24 receipts/);
  exported = JSON.parse(readFileSync(file('export.json'), 'utf8')) as PublicExport;
}, 120_000);
afterAll(() => tmp.cleanup());

/** A copy of the export with one change, written for the CLI. */
function tampered(name: string, edit: (ex: PublicExport) => void): string {
  const ex = structuredClone(exported);
  edit(ex);
  writeFileSync(file(name), JSON.stringify(ex));
  return file(name);
}
const leafAt = (ex: PublicExport, i: number) => JSON.parse(ex.leaves[i]) as Leaf;

describe('kaca verify', () => {
  it('verifies the honest export, publicly and with the bank', () => {
    const pub = kaca(['verify', file('export.json')], env);
    expect(pub.code).toBe(0);
    expect(pub.stdout).toContain('VERIFIED');
    expect(pub.stdout).toMatch(/ok {3}receipts: 24 receipts signed/);
    const audit = kaca(['verify', file('export.json'), '--bank', file('bank.json')], env);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/ok {3}papers: 24 papers match the seed and the bank/);
    expect(audit.stdout).toMatch(/ok {3}answer deltas: all \d+ answer deltas match the bank/);
  });

  it('catches a stored answer changed in the database: the signed roots name where, the bank names the leaf', () => {
    // the operator lifts the append-only guard, gives a wrong answer the key's points in its stored row, and exports again
    // (a wrong first answer of a keyed item, past the first checkpoint)
    const target = exported.leaves.map((l, idx) => ({ idx, leaf: JSON.parse(l) as Leaf })).find((l) => l.idx > CHECKPOINT_EVERY + 6 && l.leaf.type === 'answer' && l.leaf.delta === 0 && l.leaf.section === 'A' && l.leaf.item > 2)!;
    const answer = target.leaf as Extract<Leaf, { type: 'answer' }>;
    const db = new Database(file('kaca.db'));
    db.exec('drop trigger answer_events_no_update');
    const changed = db.prepare('update answer_events set score_delta = 5 where log_idx = ? and candidate_id in (select id from candidates where sitting_id = ?)').run(target.idx, 'sit1');
    expect(changed.changes).toBe(1);
    db.close();
    const re = kaca(['export', 'sit1', '--out', file('altered.json')], env);
    expect(re.code).toBe(0);

    const pub = kaca(['verify', file('altered.json')], env);
    expect(pub.code).toBe(1);
    expect(pub.stdout).toContain('NOT VERIFIED');
    expect(pub.stdout).toMatch(/FAIL checkpoint roots: checkpoint \d+ \(size \d+\): signed root/);
    // the checkpoints the writer signs every CHECKPOINT_EVERY leaves bound the change, and the candidate's result no longer adds up to the logged answers
    const from = Math.floor(target.idx / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
    expect(pub.stdout).toContain(`the first leaf that differs from what was signed is one of leaves ${from}..${from + CHECKPOINT_EVERY - 1}`);
    expect(pub.stdout).toContain(`first bad leaf: ${from}\n`);
    expect(pub.stdout).toContain(`(finish of ${answer.reg}): A is`);
    const audit = kaca(['verify', file('altered.json'), '--bank', file('bank.json')], env);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(new RegExp(`first bad leaf: ${target.idx}\\n`));
    expect(audit.stdout).toContain(`leaf ${target.idx} (answer of ${answer.reg} item ${answer.item}): delta 5 but the key gives`);
  });

  it('catches a changed checkpoint', () => {
    const path = tampered('checkpoint.json', (ex) => {
      const lines = ex.checkpoints[1].split('\n');
      lines[2] = Buffer.from(new Uint8Array(32).fill(9)).toString('base64');
      ex.checkpoints[1] = lines.join('\n');
    });
    const r = kaca(['verify', path], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL checkpoint signatures: checkpoint 1: signature by kaca\.\S+ does not verify/);
  });

  it('catches a changed receipt', () => {
    const path = tampered('receipt.json', (ex) => {
      ex.receipts![0] = ex.receipts![0].replace(/^total (\d+)$/m, (_, t: string) => `total ${Number(t) + 5}`).replace(/^scores A=(\d+)/m, (_, a: string) => `scores A=${Number(a) + 5}`);
    });
    expect(readFileSync(path, 'utf8')).not.toBe(JSON.stringify(exported));
    const r = kaca(['verify', path], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL receipts: receipt 0: signature by kaca\.\S+ does not verify/);
  });

  it('catches a revealed seed that is not the committed one', () => {
    const path = tampered('seed.json', (ex) => {
      ex.sitting.seed = 'a-seed-that-deals-friendlier-papers';
    });
    const r = kaca(['verify', path], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL seed commitment: the revealed seed hashes to [0-9a-f]{64}, not the committed [0-9a-f]{64}/);
    // an auditor dealing from that seed finds every paper different
    const audit = kaca(['verify', path, '--bank', file('bank.json')], env);
    expect(audit.stdout).toMatch(/FAIL papers: leaf \d+ \(start of R0001\): paper hash [0-9a-f]{64} but the seed and bank deal [0-9a-f]{64}/);
  });

  it('a file that is not an export, or a bank that is not the committed one', () => {
    copyFileSync(file('bank.json'), file('not-export.json'));
    const r = kaca(['verify', file('not-export.json')], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL export format: format: /);
    const bank = JSON.parse(readFileSync(file('bank.json'), 'utf8')) as { questions: { stem: string }[] };
    bank.questions[0].stem += ' (edited)';
    writeFileSync(file('other-bank.json'), JSON.stringify(bank));
    const audit = kaca(['verify', file('export.json'), '--bank', file('other-bank.json')], env);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/FAIL bank commitment: the bank's Merkle root is [0-9a-f]{64}, not the committed [0-9a-f]{64}/);
  });
});
