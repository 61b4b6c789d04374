import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { AnswerAck, CandidateResult, CandidateState } from '../../server/src/contract/candidate.js';
import type { ProctorSnapshot } from '../../server/src/contract/proctor.js';
import type { SittingLogInfo } from '../../server/src/contract/scoreboard.js';
import { seedCommitment } from '../../server/src/domain/verify/commitments.js';
import { fromBase64 } from '../../server/src/domain/verify/encoding.js';
import { LeafSchema } from '../../server/src/domain/verify/leaf.js';
import { leafHashOfText, verifyConsistency, verifyInclusion } from '../../server/src/domain/verify/merkle.js';
import { verifyReceipt } from '../../server/src/domain/verify/receipt.js';
import { openCheckpoint, parseVerifierKey } from '../../server/src/domain/verify/signed-note.js';
import type { PublicExport } from '../../server/src/domain/verify/export-format.js';
import { verifyExport } from '../../server/src/domain/verify/verify.js';
import type { LogProof } from '../../server/src/services/log-proofs.js';
import { auditorBank } from '../../server/src/services/log-export.js';
import { auditorInputs } from '../../server/src/services/export-verifier.js';
import { ack, candidateSession, connect, connected, ok, staffSocket, startTestServer, waitFor, waitForMatch, type TestServer } from '../helpers/server.js';
import type { ScoreboardSnapshot } from '../../server/src/contract/scoreboard.js';
import { mixSeed } from '../../server/src/domain/verify/commitments.js';
import { roundTime } from '../../server/src/domain/verify/beacon.js';
import { dealPaper } from '../../server/src/domain/deal.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});

const getJson = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as T };
};

describe('the sitting log over real sockets', () => {
  it('a new signed checkpoint reaches the public board and nobody else: no push to every candidate each time', async () => {
    server = await startTestServer({ candidates: 2 });
    const people = [];
    for (const c of server.candidates) {
      const p = await candidateSession(server, c.registrationNumber, c.pin);
      sockets.push(p.socket);
      await ok(p.socket, 'exam:start');
      people.push(p);
    }
    const candidatePushes: string[] = [];
    for (const p of people) p.socket.onAny((event: string) => candidatePushes.push(event));
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const proctorPushes: string[] = [];
    proctor.socket.onAny((event: string) => proctorPushes.push(event));
    const board = connect(server.url, '/scoreboard');
    sockets.push(board);
    await connected(board);
    const before = await ok<ScoreboardSnapshot>(board, 'scoreboard:watch', { sittingId: server.sittingId });
    await ok<AnswerAck>(people[0].socket, 'answer:submit', { seq: 1, item: 0, choice: 1 });

    const pushed = waitForMatch<{ sitting?: { log: SittingLogInfo } }>(board, 'scoreboard:updated', (u) => !!u.sitting && u.sitting.log.checkpoint !== before.sitting.log.checkpoint);
    await server.app.engine.checkpoints.sign(server.sittingId);
    const update = await pushed;
    expect(openCheckpoint(update.sitting!.log.checkpoint!, parseVerifierKey(update.sitting!.log.verifierKey)).size).toBeGreaterThan(0);
    // a board that joins now sees the new head too
    const late = connect(server.url, '/scoreboard');
    sockets.push(late);
    await connected(late);
    expect((await ok<ScoreboardSnapshot>(late, 'scoreboard:watch', { sittingId: server.sittingId })).sitting.log.checkpoint).toBe(update.sitting!.log.checkpoint);
    // the candidates and the proctor heard nothing of it (a round trip on each socket first, so any push would have arrived)
    await ok(people[1].socket, 'answer:submit', { seq: 1, item: 0, choice: 2 });
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    expect(candidatePushes.filter((e) => e === 'sitting:updated')).toEqual([]);
    expect(proctorPushes.filter((e) => e === 'sitting:updated')).toEqual([]);
  });

  it('logs a whole sitting; acks carry leaf indexes, receipts verify, and the closed export verifies publicly and for an auditor', async () => {
    server = await startTestServer({ candidates: 4, status: 'scheduled', requireAdmission: true });
    const base = `${server.url}/api/sittings/${server.sittingId}`;
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });

    // before anyone sits: the seed's hash is public, the seed is not
    const before = await getJson<SittingLogInfo & { size: number }>(`${base}/log`);
    expect(before.body).toMatchObject({ seedCommitment: seedCommitment('test-seed'), seed: null, checkpoint: null, size: 0 });
    await ok(proctor.socket, 'sitting:open', { sittingId: server.sittingId, reason: 'ruang siap' });
    await ok(proctor.socket, 'sitting:start', { sittingId: server.sittingId, reason: 'waktu mulai' });

    const people: { socket: Socket; candidateId: number; state: CandidateState }[] = [];
    for (const c of server.candidates) {
      const s = await candidateSession(server, c.registrationNumber, c.pin);
      sockets.push(s.socket);
      await ok(proctor.socket, 'candidate:admit', { sittingId: server.sittingId, candidateId: s.candidateId, reason: 'KTP sesuai' });
      people.push({ socket: s.socket, candidateId: s.candidateId, state: await ok<CandidateState>(s.socket, 'exam:start') });
    }
    // every change is acknowledged with its own leaf, in the order each candidate made them
    const indexes: number[] = [];
    for (const [k, p] of people.entries()) {
      let seq = 0;
      for (let item = 0; item < p.state.items!.length; item++) {
        const a = await ok<AnswerAck>(p.socket, 'answer:submit', { seq: ++seq, item, choice: (item + k) % p.state.items![item].options.length });
        expect(a.logIndex).toEqual(expect.any(Number));
        indexes.push(a.logIndex!);
      }
      const f = await ok<AnswerAck>(p.socket, 'flag:set', { seq: ++seq, item: 0, flagged: true });
      indexes.push(f.logIndex!);
      // a change of mind: the second answer on item 1 is its own leaf
      const again = await ok<AnswerAck>(p.socket, 'answer:submit', { seq: ++seq, item: 1, choice: null });
      indexes.push(again.logIndex!);
      // a retry of a change already stored is acknowledged with the leaf of the first time
      const retry = await ok<AnswerAck>(p.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 });
      expect(retry).toMatchObject({ applied: false, logIndex: indexes[indexes.length - p.state.items!.length - 2] });
    }
    expect(new Set(indexes).size).toBe(indexes.length);

    const [first, second, third] = people;
    await ok(proctor.socket, 'candidate:pause', { sittingId: server.sittingId, candidateId: second.candidateId, reason: 'PC hang' });
    await ok(proctor.socket, 'candidate:resume', { sittingId: server.sittingId, candidateId: second.candidateId, reason: 'PC pulih' });
    await ok(proctor.socket, 'candidate:extend', { sittingId: server.sittingId, candidateId: second.candidateId, reason: 'ganti PC', minutes: 2 });
    await ok(proctor.socket, 'candidate:terminate', { sittingId: server.sittingId, candidateId: third.candidateId, reason: 'membawa catatan' });

    // the finish comes with a receipt signed by the key the board publishes
    const result = await ok<CandidateResult>(first.socket, 'exam:finish');
    const info = (await getJson<SittingLogInfo>(`${base}/log`)).body;
    const key = parseVerifierKey(info.verifierKey);
    const receipt = verifyReceipt(result.receipt!, key);
    expect(receipt).toMatchObject({ origin: info.origin, sittingId: server.sittingId, registrationNumber: server.candidates[0].registrationNumber, scores: Object.entries(result.sections), total: result.total });
    expect(receipt.leafIndex).toBeGreaterThan(Math.max(...indexes.slice(0, first.state.items!.length)));
    // the terminated candidate's result pushed with the termination carries theirs too
    expect((await ok<CandidateState>(third.socket, 'state:get')).result?.receipt).toEqual(expect.stringContaining('kaca-receipt/v1'));

    // proofs wait for the close: until then a proof's neighbouring hashes are other people's live answers
    const early = await getJson<{ error: { code: string } }>(`${base}/log/proof?leaf=${receipt.leafIndex}&size=${receipt.logSize}`);
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'INVALID_STATE' } } });
    expect((await getJson<{ error: { code: string } }>(`${base}/export`)).status).toBe(409);

    const ended = waitFor<{ result: CandidateResult }>(people[3].socket, 'exam:finished');
    await ok(proctor.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'waktu habis' });
    expect((await ended).result.receipt).toEqual(expect.stringContaining(`reg ${server.candidates[3].registrationNumber}`));

    // after the close: the seed is revealed and the last checkpoint covers the whole log
    const closed = (await getJson<SittingLogInfo & { size: number }>(`${base}/log`)).body;
    expect(closed.seed).toBe('test-seed');
    expect(openCheckpoint(closed.checkpoint!, key, closed.origin).size).toBe(closed.size);

    // the candidate's own check, as /verify/ does it: inclusion under the receipt's root, then consistency with the checkpoint
    const proof = (await getJson<LogProof>(`${base}/log/proof?leaf=${receipt.leafIndex}&size=${receipt.logSize}`)).body;
    const leaf = LeafSchema.parse(JSON.parse(proof.leaf));
    expect(leaf).toMatchObject({ type: 'finish', reg: receipt.registrationNumber, reason: 'candidate', scores: result.sections });
    expect(verifyInclusion(leafHashOfText(proof.leaf), receipt.leafIndex, receipt.logSize, proof.inclusion.map((h) => fromBase64(h)), receipt.logRoot)).toBe(true);
    const cp = openCheckpoint(proof.checkpoint, key, info.origin);
    expect(verifyConsistency(receipt.logSize, cp.size, receipt.logRoot, cp.root, proof.consistency.map((h) => fromBase64(h)))).toBe(true);
    // a proof for a leaf the receipt does not name fails against the receipt's root
    const other = (await getJson<LogProof>(`${base}/log/proof?leaf=${receipt.leafIndex - 1}&size=${receipt.logSize}`)).body;
    expect(verifyInclusion(leafHashOfText(other.leaf), receipt.leafIndex, receipt.logSize, other.inclusion.map((h) => fromBase64(h)), receipt.logRoot)).toBe(false);

    // the export: every public check passes, and the auditor's with the sitting's bank
    const exported = (await getJson<PublicExport>(`${base}/export`)).body;
    // one per started attempt: finished, terminated, and the two the close ended
    expect(exported.receipts).toHaveLength(4);
    const pub = verifyExport(exported);
    expect(pub.errors).toEqual([]);
    const catalog = server.store.catalog.forSitting(server.store.repos.sittings.get(server.sittingId)!);
    const bankFile = join(server.dataDir, 'auditor-bank.json');
    writeFileSync(bankFile, JSON.stringify(auditorBank(catalog, { id: 'bank1', title: 'Test bank', language: 'id' })));
    const full = verifyExport(exported, { auditor: auditorInputs(bankFile, exported.sitting.template) });
    expect(full.errors).toEqual([]);
    expect(full.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['papers', 'answer deltas', 'bank commitment', 'receipts']));
    const types = exported.leaves.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.slice(0, 2)).toEqual(['sitting-open', 'sitting-start']);
    expect(types.at(-1)).toBe('sitting-close');
    for (const t of ['login', 'admit', 'start', 'answer', 'flag', 'pause', 'resume', 'extend', 'terminate', 'finish']) expect(types).toContain(t);
    // nothing of the bank in what the public gets: no question id, option order or key
    const text = JSON.stringify(exported);
    for (const q of catalog.questions.keys()) expect(text).not.toContain(`"${q}"`);

    // the stored log is append-only
    await expect(server.sql("update sitting_log set leaf = 'x' where idx = 3")).rejects.toThrow(/append-only/);
  });

  it('a sitting that names a beacon round starts only with that round\'s signature, deals from the mixed seed, and its export checks the beacon offline', async () => {
    // drand quicknet's round 1000 (public): the sitting is created before it is out
    const signature = 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
    const r1001 = 'b33bf3667cbd5a82de3a24b4e0e9fe5513cc1a0e840368c6e31f5fcfa79bea03f73896b25883abf2853d10337fb8fa41';
    server = await startTestServer({ candidates: 1, status: 'scheduled', beaconRound: 1000, now: roundTime(1000) - 3_600_000 });
    const base = `${server.url}/api/sittings/${server.sittingId}`;
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'sitting:open', { sittingId: server.sittingId, reason: 'ruang siap' });
    const c = await candidateSession(server, server.candidates[0].registrationNumber, server.candidates[0].pin);
    sockets.push(c.socket);
    const start = (beaconSignature?: string) => ack(proctor.socket, 'sitting:start', { sittingId: server.sittingId, reason: 'mulai', ...(beaconSignature ? { beaconSignature } : {}) });
    expect(await start()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining("give that round's signature") } });
    expect(await start(signature)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringContaining('beacon round 1000 is published at 2023-08-23T15:59:24.000Z') } });
    server.clock.advance(3_600_000 + 5000);
    expect(await start(r1001)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'that is not beacon round 1000: it is not the quicknet signature of round 1000' } });
    expect(await start(signature.toUpperCase())).toMatchObject({ ok: true });

    // the paper comes from the seed mixed with the round's randomness
    const state = await ok<CandidateState>(c.socket, 'exam:start');
    const randomness = 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd';
    const catalog = server.store.catalog.forSitting(server.store.repos.sittings.get(server.sittingId)!);
    const dealt = dealPaper(catalog.plan, mixSeed('test-seed', randomness), server.candidates[0].registrationNumber).items;
    expect(state.items!.map((i) => i.stem)).toEqual(dealt.map((d) => catalog.questions.get(d.questionId)!.stem));
    for (const [item, it] of state.items!.entries()) await ok<AnswerAck>(c.socket, 'answer:submit', { seq: item + 1, item, choice: item % it.options.length });
    await ok(c.socket, 'exam:finish');
    await ok(proctor.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'selesai' });

    const exported = (await getJson<PublicExport>(`${base}/export`)).body;
    expect(exported.sitting.beacon).toEqual({ round: 1000, randomness, signature });
    const r = verifyExport(exported);
    expect(r.errors).toEqual([]);
    expect(r.checks.find((x) => x.name === 'seed commitment')!.detail).toContain('mixed with beacon round 1000, whose signature verifies under the beacon key');
    // another round's signature in the export is caught without any network
    const forged = verifyExport({ ...exported, sitting: { ...exported.sitting, beacon: { round: 1000, randomness, signature: r1001 } } });
    expect(forged.errors).toContain('beacon round 1000: it is not the quicknet signature of round 1000');
  });
});
