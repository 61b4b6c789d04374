import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { candidateSession, ok, staffSocket, startTestServer, connect, waitFor, type TestServer } from '../helpers/server.js';
import type { CandidateState } from '../../server/src/contract/candidate.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});

const FORBIDDEN_KEYS = ['key', 'weights', 'optionOrder', 'optionIndex', 'questionId', 'scoreDelta', 'pinHash', 'tokenSecret', 'seed'];

function forbiddenKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => forbiddenKeys(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...(FORBIDDEN_KEYS.includes(k) ? [`${path}.${k}`] : []), ...forbiddenKeys(v, `${path}.${k}`)]);
  }
  return [];
}

describe('the candidate namespace never sends keys or weights', () => {
  it('scans every push and ack of a whole sitting, including proctor actions and a reconnect', async () => {
    server = await startTestServer({ requireAdmission: true });
    const received: unknown[] = [];
    const c = server.candidates[0];
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    received.push(cand.snapshot);
    cand.socket.onAny((_e, payload) => received.push(payload));
    const call = async (event: string, payload?: unknown) => {
      const r = await cand.socket.timeout(5000).emitWithAck(event, payload);
      received.push(r);
      return r;
    };
    const ids = { sittingId: server.sittingId, candidateId: cand.candidateId };
    await ok(proctor.socket, 'candidate:admit', { ...ids, reason: 'identitas sesuai' });
    const start = (await call('exam:start')) as { data: CandidateState };
    let seq = 0;
    for (const item of start.data.items!) {
      for (let choice = 0; choice < item.options.length; choice++) await call('answer:submit', { seq: ++seq, item: item.n, choice });
      await call('flag:set', { seq: ++seq, item: item.n, flagged: true });
    }
    await call('answer:submit', { seq: 1, item: 0, choice: 0 }); // a retry
    await call('answer:submit', { seq: ++seq, item: 99, choice: 0 }); // an error
    await ok(proctor.socket, 'candidate:extend', { ...ids, minutes: 1, reason: 'x y z' });
    await ok(proctor.socket, 'candidate:pause', { ...ids, reason: 'x y z' });
    await ok(proctor.socket, 'candidate:resume', { ...ids, reason: 'x y z' });
    await call('state:get');
    cand.socket.disconnect();
    const again = connect(server.url, '/candidate', { session: cand.session });
    sockets.push(again);
    again.onAny((_e, payload) => received.push(payload));
    received.push(await waitFor(again, 'state:snapshot'));
    const finishedPush = waitFor(again, 'exam:finished');
    received.push(await again.timeout(5000).emitWithAck('exam:finish', undefined));
    await finishedPush;

    expect(received.length).toBeGreaterThan(40);
    expect(forbiddenKeys(received)).toEqual([]);
    // the options the candidate saw are the bank's options, but nothing marks which one is right
    const text = JSON.stringify(received);
    for (const q of server.store.catalog.forSitting({ templateId: server.template.id, bankId: 'bank1' }).questions.values()) {
      expect(text).not.toContain(`"${q.id}"`);
    }
  });
});
