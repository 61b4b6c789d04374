import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { startKaca, stop } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { candidateSession, connect, connected, eventually, ok, reconnecting, staffSocket, waitFor } from '../helpers/server.js';
import { verifyExport } from '../../server/src/domain/verify/verify.js';
import { openReadRepositories } from '../../server/src/db/read-source.js';
import { TEST_ON_POSTGRES, dirDatabaseUrl } from '../helpers/postgres.js';
import type { AnswerAck, CandidateState } from '../../server/src/contract/candidate.js';
import type { DemoCredentials } from '../../server/src/services/demo.js';

const tmp = tempDir('kaca-crash-');
afterAll(() => tmp.cleanup());

/** What a killed server left in its database (SQLite file, or PostgreSQL in the postgres project), read by the server's own repositories. */
const stored = () => openReadRepositories(TEST_ON_POSTGRES ? { postgres: dirDatabaseUrl(tmp.dir) } : { sqlite: join(tmp.dir, 'kaca.db') });

describe('crash safety', () => {
  it('SIGKILL under answer load loses no acknowledged answer; candidates resume paper, answers and time', async () => {
    // closed-loop clients send faster than a person clicks: the per-connection limit is not under test here
    const env = { DATA_DIR: tmp.dir, KACA_ANSWERS_PER_SECOND: '100000' };
    const first = await startKaca(env);
    const creds = JSON.parse(readFileSync(join(tmp.dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const N = 20;
    const sessions = await Promise.all(creds.candidates.slice(0, N).map((c) => candidateSession({ url: first.baseUrl }, c.registrationNumber, c.pin)));
    const papers = new Map<number, CandidateState>();
    for (const s of sessions) papers.set(s.candidateId, (await s.socket.timeout(5000).emitWithAck('exam:start', undefined)).data as CandidateState);

    const acked: { candidateId: number; seq: number; item: number; choice: number | null; logIndex: number }[] = [];
    let running = true;
    const loops = sessions.map(async (s) => {
      const paper = papers.get(s.candidateId)!;
      let seq = 0;
      while (running) {
        const item = seq % paper.items!.length;
        const choice = (seq * 7) % paper.items![item].options.length;
        const mySeq = ++seq;
        try {
          const r = (await s.socket.timeout(2000).emitWithAck('answer:submit', { seq: mySeq, item, choice })) as { ok: boolean; data: AnswerAck };
          if (r.ok) acked.push({ candidateId: s.candidateId, seq: mySeq, item, choice, logIndex: r.data.logIndex! });
        } catch {
          return; // the server died under us
        }
      }
    });
    // killed mid-stream, once plenty of answers are acknowledged and more are in flight
    await eventually(() => (acked.length >= 300 ? true : undefined), '300 acknowledged answers', 20_000);
    const killedAt = Date.now();
    await stop(first.child, 'SIGKILL');
    running = false;
    await Promise.all(loops);
    sessions.forEach((s) => s.socket.disconnect());
    expect(acked.length).toBeGreaterThan(200);

    // every acknowledged answer is on disk
    const db = stored();
    const events = new Map(sessions.map((s) => [s.candidateId, db.repos.answers.byCandidate(s.candidateId)]));
    const missing = acked.filter((a) => {
      const row = events.get(a.candidateId)!.find((e) => e.clientSeq === a.seq);
      return !row || row.choice !== a.choice;
    });
    expect(missing).toEqual([]);
    // and so is its leaf in the sitting's log, at the index its ack gave
    const leafAt = (i: number) => db.repos.log.leaves('demo', i, i + 1)[0];
    const idOf = new Map(sessions.map((s, k) => [s.candidateId, creds.candidates[k].registrationNumber]));
    const unlogged = acked.filter((a) => {
      const leaf = JSON.parse(leafAt(a.logIndex)) as { type: string; reg: string; item: number; choice: number | null; seq: number };
      return !leaf || leaf.type !== 'answer' || leaf.reg !== idOf.get(a.candidateId) || leaf.item !== a.item || leaf.choice !== a.choice || leaf.seq !== a.seq;
    });
    expect(unlogged).toEqual([]);
    const starts = new Map(sessions.map((s) => [s.candidateId, db.repos.attempts.get(s.candidateId)!]));
    db.close();

    // restart: same papers, the answers on disk, and time measured from the stored start
    const second = await startKaca(env);
    const sockets: Socket[] = [];
    const afterKill = stored();
    try {
      for (const s of sessions) {
        const sock = connect(second.baseUrl, '/candidate', { session: s.session });
        sockets.push(sock);
        const snap = await waitFor<CandidateState>(sock, 'state:snapshot');
        const before = papers.get(s.candidateId)!;
        expect(snap.items!.map((i) => [i.stem, i.options])).toEqual(before.items!.map((i) => [i.stem, i.options]));
        const expected = new Array(before.items!.length).fill(null);
        for (const e of afterKill.repos.answers.byCandidate(s.candidateId)) if (e.kind !== 'flag' && e.kind !== 'unflag') expected[e.item] = e.choice;
        expect(snap.answers).toEqual(expected);
        const mine = acked.filter((a) => a.candidateId === s.candidateId);
        expect(snap.lastSeq).toBeGreaterThanOrEqual(Math.max(0, ...mine.map((a) => a.seq)));
        const st = starts.get(s.candidateId)!;
        expect(snap.attempt.remainingMs).toBe(st.durationMs - (snap.attempt.serverTime - st.startedAt!));
        expect(snap.attempt.remainingMs).toBeLessThan(st.durationMs - (killedAt - st.startedAt!));
        // a retry of an acknowledged change names the leaf it got the first time (read back at start)
        const last = mine.reduce<(typeof mine)[number] | null>((a, b) => (a && a.seq > b.seq ? a : b), null);
        if (last) {
          const retry = await ok<AnswerAck>(sock, 'answer:submit', { seq: last.seq, item: last.item, choice: last.choice });
          expect(retry).toMatchObject({ applied: false, logIndex: last.logIndex });
        }
        // the log goes on from where the killed server left it
        const next = await ok<AnswerAck>(sock, 'answer:submit', { seq: snap.lastSeq + 1, item: 0, choice: 1 });
        expect(next.logIndex).toBeGreaterThan(Math.max(...acked.map((a) => a.logIndex)));
      }
      // closed, the sitting's export verifies across the crash
      const proctor = await staffSocket({ url: second.baseUrl }, creds.proctor.username, creds.proctor.password);
      sockets.push(proctor.socket);
      await ok(proctor.socket, 'sitting:close', { sittingId: 'demo', reason: 'selesai' });
      const exported = (await (await fetch(`${second.baseUrl}/api/sittings/demo/export`)).json()) as unknown;
      expect(verifyExport(exported).errors).toEqual([]);
    } finally {
      afterKill.close();
      sockets.forEach((s) => s.disconnect());
      await stop(second.child);
    }
  }, 90_000);

  it('a graceful restart (SIGTERM) on the same port: candidates, proctors and viewers reconnect by themselves and carry on', async () => {
    const dir = tempDir('kaca-restart-');
    const env = { DATA_DIR: dir.dir };
    let server = await startKaca(env);
    const port = new URL(server.baseUrl).port;
    const sockets: Socket[] = [];
    try {
      const creds = JSON.parse(readFileSync(join(dir.dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
      const c = creds.candidates[0];
      const login = await candidateSession({ url: server.baseUrl }, c.registrationNumber, c.pin);
      login.socket.disconnect();
      const cand = reconnecting(server.baseUrl, '/candidate', { session: login.session });
      sockets.push(cand);
      await waitFor(cand, 'state:snapshot');
      await ok(cand, 'exam:start');
      const first = await ok<AnswerAck>(cand, 'answer:submit', { seq: 1, item: 0, choice: 1 });
      const staff = await staffSocket({ url: server.baseUrl }, creds.proctor.username, creds.proctor.password);
      staff.socket.disconnect();
      const proctor = reconnecting(server.baseUrl, '/proctor', { session: staff.session });
      sockets.push(proctor);
      await connected(proctor);
      const viewer = reconnecting(server.baseUrl, '/scoreboard');
      sockets.push(viewer);
      await connected(viewer);
      await ok(viewer, 'scoreboard:watch', { sittingId: creds.sittingId });

      // each client counts its disconnects, and why
      const reasons: string[] = [];
      for (const s of sockets) s.on('disconnect', (reason) => reasons.push(reason));
      const snapshotAgain = waitFor<CandidateState>(cand, 'state:snapshot', 30_000);
      expect(await stop(server.child, 'SIGTERM')).toBe(0);
      await eventually(() => (reasons.length === 3 ? true : undefined), 'all three clients see the server go', 10_000);
      // none was told to stay away: a transport that closed is retried
      expect(reasons.every((r) => r === 'transport close')).toBe(true);
      server = await startKaca({ ...env, PORT: port });

      const again = await snapshotAgain;
      expect(again.answers[0]).toBe(1);
      expect(again.lastSeq).toBe(1);
      const next = await ok<AnswerAck>(cand, 'answer:submit', { seq: 2, item: 1, choice: 0 });
      expect(next.logIndex).toBeGreaterThan(first.logIndex!);
      await eventually(() => (proctor.connected && viewer.connected ? true : undefined), 'the proctor and the viewer back', 10_000);
      await ok(proctor, 'sitting:watch', { sittingId: creds.sittingId });
      await ok(viewer, 'scoreboard:watch', { sittingId: creds.sittingId });
    } finally {
      for (const s of sockets) s.disconnect();
      await stop(server.child);
      dir.cleanup();
    }
  }, 90_000);
});
