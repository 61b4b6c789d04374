import seedrandom from 'seedrandom';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { CandidateState } from '../../server/src/contract/candidate.js';
import type { Question } from '../../server/src/contract/question.js';
import type { IssuedPin } from '../../server/src/services/admin.js';
import { candidateSession, ok, type TestServer } from './server.js';

/** Simulated candidates answering a real sitting over real sockets (item analysis tests). */

export interface Person {
  socket: Socket;
  state: CandidateState;
  seq: number;
}

/**
 * Honest candidates: each knows a share of the items (their ability); an item they do not know
 * gets a wrong option drawn by how attractive each distractor is (fixed per question), so
 * identical wrong answers happen between honest candidates too, as in a real hall.
 */
export function honestChoice(q: Question, ability: number, rnd: () => number, attraction: Map<string, number[]>): number {
  if (q.weights) {
    // TKP: better candidates lean to the heavier options
    const order = q.weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0]);
    return order[Math.min(order.length - 1, Math.floor((1 - ability) * rnd() * order.length))][1];
  }
  if (rnd() < ability) return q.key!;
  let a = attraction.get(q.id);
  if (!a) attraction.set(q.id, (a = q.options.map((_, i) => (i === q.key ? 0 : 0.2 + rnd()))));
  let r = rnd() * a.reduce((s, x) => s + x, 0);
  for (let i = 0; i < a.length; i++) if ((r -= a[i]) <= 0 && i !== q.key) return i;
  return (q.key! + 1) % q.options.length;
}

/**
 * The way a candidate gets to their final answer varies as in a hall: sometimes another option
 * first (a change), sometimes a choice cleared and made again, sometimes marked unsure and
 * unmarked; the final choice is the same, and the analyses must read it through all of these.
 */
export async function answerWithDetours(s: TestServer, p: Person, item: number, bankOption: number, q: Question): Promise<void> {
  const other = (bankOption + 1) % q.options.length;
  if (item % 7 === 3) await answer(s, p, item, other, q);
  if (item % 11 === 5) {
    await answer(s, p, item, other, q);
    s.clock.advance(200);
    await ok(p.socket, 'answer:submit', { seq: ++p.seq, item, choice: null });
  }
  if (item % 5 === 1) {
    s.clock.advance(200);
    await ok(p.socket, 'flag:set', { seq: ++p.seq, item, flagged: true });
  }
  await answer(s, p, item, bankOption, q);
  if (item % 10 === 1) await ok(p.socket, 'flag:set', { seq: ++p.seq, item, flagged: false });
}

export async function answer(s: TestServer, p: Person, item: number, bankOption: number, q: Question): Promise<void> {
  // time passes on the server's clock between answers (a fifth of a second, so that 4,400 answers
  // stay inside a staff session's idle limit): answer times and their order mean something
  s.clock.advance(200);
  const shown = p.state.items![item].options.indexOf(q.options[bankOption]);
  expect(shown).toBeGreaterThanOrEqual(0);
  await ok(p.socket, 'answer:submit', { seq: ++p.seq, item, choice: shown });
}


/** Logs every candidate in and starts their exam. */
export async function seatEveryone(s: TestServer, pins: IssuedPin[], sockets: Socket[]): Promise<Person[]> {
  const people: Person[] = [];
  for (const c of pins) {
    const session = await candidateSession(s, c.registrationNumber, c.pin);
    sockets.push(session.socket);
    people.push({ socket: session.socket, state: await ok<CandidateState>(session.socket, 'exam:start'), seq: 0 });
  }
  return people;
}

/** Every candidate answers every item honestly (abilities spread from 0.3 to 0.9). */
export async function answerHonestly(s: TestServer, people: Person[], bankId: string, seed: string): Promise<void> {
  const bank = new Map(s.store.repos.banks.questions(bankId).map((q) => [q.stem, q]));
  const rnd = seedrandom(seed);
  const attraction = new Map<string, number[]>();
  for (const p of people) {
    const ability = 0.3 + 0.6 * rnd();
    for (let item = 0; item < p.state.items!.length; item++) {
      const q = bank.get(p.state.items![item].stem)!;
      await answer(s, p, item, honestChoice(q, ability, rnd, attraction), q);
    }
  }
}
