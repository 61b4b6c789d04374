import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ack, candidateSession, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import type { AnswerAck, CandidateResult, CandidateState } from '../../server/src/contract/candidate.js';
import type { Ack } from '../../server/src/contract/errors.js';
import type { ProctorRow } from '../../server/src/contract/proctor.js';
import { Registry } from '../../server/src/engine/registry.js';
import { scorePaper } from '../../server/src/domain/scoring.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});

/** What the server holds in memory for a candidate is what a fresh read of the database gives. */
function expectMemoryEqualsDisk(s: TestServer, candidateId: number) {
  const inMemory = s.app.engine.registry.examinee(candidateId);
  const fromDisk = new Registry(s.store).load(candidateId);
  const facts = (e: typeof inMemory) => ({ login: { ...e.login, lastFailedAt: null }, attempt: e.attempt, answers: e.answers.toArray(), flags: e.flags.toArray(), lastSeq: e.lastSeq, scores: e.scores, result: e.result });
  expect(facts(inMemory)).toEqual(facts(fromDisk));
}

async function startedCandidate(s: TestServer, i = 0) {
  const c = s.candidates[i];
  const cand = await candidateSession(s, c.registrationNumber, c.pin);
  sockets.push(cand.socket);
  const state = await ok<CandidateState>(cand.socket, 'exam:start');
  return { ...cand, state };
}

describe('concurrent commands have exactly one winning order, and memory equals disk after', () => {
  it('two admits at once: one admits, the other is refused; one audit entry', async () => {
    server = await startTestServer({ requireAdmission: true });
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    const c = server.candidates[0];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    const payload = { sittingId: server.sittingId, candidateId: cand.candidateId, reason: 'identitas sesuai' };
    const replies = await Promise.all([ack<ProctorRow>(proctor.socket, 'candidate:admit', payload), ack<ProctorRow>(proctor.socket, 'candidate:admit', payload)]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(server.store.repos.audit.bySitting(server.sittingId).filter((a) => a.action === 'admit')).toHaveLength(1);
    expect(server.store.repos.attempts.get(cand.candidateId)?.state).toBe('admitted');
    expectMemoryEqualsDisk(server, cand.candidateId);
  });

  it('two finishes at once: one result, both replies carry it', async () => {
    server = await startTestServer();
    const cand = await startedCandidate(server);
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 });
    const [a, b] = await Promise.all([ok<CandidateResult>(cand.socket, 'exam:finish'), ok<CandidateResult>(cand.socket, 'exam:finish')]);
    expect(a).toEqual(b);
    expect(server.store.repos.results.bySitting(server.sittingId)).toEqual([expect.objectContaining({ candidateId: cand.candidateId, receiptId: a.receiptId, total: a.total })]);
    expectMemoryEqualsDisk(server, cand.candidateId);
  });

  it('an answer racing a terminate: stored and counted, or refused and not stored', async () => {
    server = await startTestServer();
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    const cand = await startedCandidate(server);
    const answers = cand.state.items!.map((item, i) => ({ seq: i + 1, item: item.n, choice: (item.n * 3) % item.options.length }));
    const acks = answers.map((a) => ack<AnswerAck>(cand.socket, 'answer:submit', a));
    const terminated = ok<ProctorRow>(proctor.socket, 'candidate:terminate', { sittingId: server.sittingId, candidateId: cand.candidateId, reason: 'kecurangan' });
    const replies = await Promise.all(acks);
    expect((await terminated).status).toBe('terminated');
    const stored = server.store.repos.answers.byCandidate(cand.candidateId).map((e) => e.clientSeq);
    replies.forEach((r, i) => {
      if (r.ok) expect(stored).toContain(answers[i].seq);
      else {
        expect(r.error.code).toBe('TERMINATED');
        expect(stored).not.toContain(answers[i].seq);
      }
    });
    // the result counts exactly the stored answers
    const result = server.store.repos.results.get(cand.candidateId)!;
    const paper = server.store.repos.papers.get(cand.candidateId)!;
    const choices = new Map(server.store.repos.answers.byCandidate(cand.candidateId).map((e) => [e.item, e.choice]));
    expect(result.sections).toEqual(scorePaper(server.template, paper, server.store.catalog.forSitting({ templateId: server.template.id, bankId: 'bank1' }).questions, choices));
    expect(result).toMatchObject({ endReason: 'terminated', passed: false });
    expectMemoryEqualsDisk(server, cand.candidateId);
  });

  it('answers racing time-up: each one stored before the deadline, or refused with TIME_UP and not stored', async () => {
    server = await startTestServer({ config: { expirySweepMs: 50 } });
    const cand = await startedCandidate(server);
    const deadline = server.clock.now + 10 * 60_000;
    server.clock.now = deadline - 3;
    const replies: Promise<Ack<AnswerAck>>[] = [];
    // the first five land before the deadline for sure; the rest race the clock
    for (let i = 0; i < 5; i++) await ack<AnswerAck>(cand.socket, 'answer:submit', { seq: i + 1, item: cand.state.items![i].n, choice: i % cand.state.items![i].options.length }).then((r) => replies.push(Promise.resolve(r)));
    for (let i = 5; i < 40; i++) {
      const item = cand.state.items![i % cand.state.items!.length];
      replies.push(ack<AnswerAck>(cand.socket, 'answer:submit', { seq: i + 1, item: item.n, choice: i % item.options.length }));
      // the server's clock passes the deadline while answers are in flight
      if (i === 10) server.clock.now = deadline;
    }
    const settled = await Promise.all(replies);
    const events = server.store.repos.answers.byCandidate(cand.candidateId);
    const stored = new Set(events.map((e) => e.clientSeq));
    expect(events.every((e) => e.serverTs < deadline)).toBe(true);
    settled.forEach((r, i) => {
      if (r.ok) expect(stored.has(i + 1)).toBe(true);
      else {
        expect(['TIME_UP', 'FINISHED']).toContain(r.error.code);
        expect(stored.has(i + 1)).toBe(false);
      }
    });
    // in before the deadline, then refused: by the answer that found the time up, or after the sweep ended it
    expect(settled.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(settled.at(-1)?.ok).toBe(false);
    const result = server.store.repos.results.get(cand.candidateId)!;
    expect(result).toMatchObject({ endReason: 'time', finishedAt: deadline });
    const paper = server.store.repos.papers.get(cand.candidateId)!;
    const choices = new Map(events.filter((e) => e.kind !== 'flag' && e.kind !== 'unflag').map((e) => [e.item, e.choice]));
    expect(result.sections).toEqual(scorePaper(server.template, paper, server.store.catalog.forSitting({ templateId: server.template.id, bankId: 'bank1' }).questions, choices));
    expectMemoryEqualsDisk(server, cand.candidateId);
  });
});
