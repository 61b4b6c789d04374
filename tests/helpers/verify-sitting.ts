import type { ExamTemplate } from '../../server/src/contract/exam.js';
import type { Question } from '../../server/src/contract/question.js';
import { dealPaper, prepareDeal } from '../../server/src/domain/deal.js';
import { createRng, randomInt } from '../../server/src/domain/rng.js';
import { scoreChoice, scorePaper } from '../../server/src/domain/scoring.js';
import { answersHash, bankCommitment, mixSeed, paperHash, seedCommitment } from '../../server/src/domain/verify/commitments.js';
import { encodeLeaf, type Leaf } from '../../server/src/domain/verify/leaf.js';
import { leafHashOfText, MerkleAppender, MerkleTree } from '../../server/src/domain/verify/merkle.js';
import { signReceipt } from '../../server/src/domain/verify/receipt.js';
import { ed25519Signer, formatCheckpoint, formatVerifierKey, parseCheckpoint, parseNote, signNote, type NoteSigner } from '../../server/src/domain/verify/signed-note.js';
import type { PublicExport } from '../../server/src/domain/verify/export-format.js';
import type { AuditorInputs } from '../../server/src/domain/verify/verify.js';
import { smallTemplate, syntheticBank } from './bank.js';
import { nodeEd25519Key, type NodeEd25519Key } from './node-ed25519.js';

/**
 * A stand-in for the engine's log writer: runs a whole sitting (open, logins, start, interleaved
 * answers with changes and blanks, flags, a pause, a termination, finishes, close), appends each
 * event as the writer will (canonical leaf + MerkleAppender), signs a checkpoint every few leaves
 * with node:crypto's Ed25519 and a receipt at each finish, and returns the public export with the
 * auditor's inputs built from the real dealing and scoring code.
 */
export interface SimOptions {
  candidates?: number;
  answersPerCandidate?: number;
  flagsPerCandidate?: number;
  checkpointEvery?: number;
  template?: ExamTemplate;
  bank?: Question[];
  seed?: string;
  beacon?: { round: number; randomness: string };
  /** terminate the second candidate half way (needs at least 2 candidates) */
  terminateOne?: boolean;
  /** add one registered candidate who logs in and never starts */
  absentOne?: boolean;
  receipts?: boolean;
}

export interface SimulatedSitting {
  exported: PublicExport;
  auditor: AuditorInputs;
  key: NodeEd25519Key;
  signer: NoteSigner;
  template: ExamTemplate;
  /** signs any text with the log's key, as an operator holding it could */
  sign(text: string): string;
  /** fresh checkpoints at the same sizes over (possibly altered) leaves, signed with the log's key */
  resignCheckpoints(exported: PublicExport): string[];
}

export const ORIGIN = 'kaca.test/sitting/s1';
const T0 = 1_760_000_000_000;

/** smallTemplate, except that a blank on B earns 1 point, so a start's base is not all zeros. */
export function verifyTemplate(): ExamTemplate {
  return smallTemplate({
    sections: [
      { id: 'A', title: 'Keyed', questionCount: 4, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } },
      { id: 'B', title: 'Weighted', questionCount: 3, scoring: { kind: 'weighted', blank: 1 } },
    ],
  });
}

export function verifyBank(): Question[] {
  return syntheticBank([
    { section: 'A', topics: ['t1', 't2'], perStratum: 4 },
    { section: 'B', topics: ['w'], perStratum: 5, weighted: true },
  ]);
}

export function simulateSitting(opts: SimOptions = {}): SimulatedSitting {
  const template = opts.template ?? verifyTemplate();
  const bank = opts.bank ?? verifyBank();
  const seed = opts.seed ?? 'the-revealed-seed';
  const nCandidates = opts.candidates ?? 4;
  const answersPer = opts.answersPerCandidate ?? 12;
  const flagsPer = opts.flagsPerCandidate ?? 2;
  const every = opts.checkpointEvery ?? 10;
  const key = nodeEd25519Key();
  const signer = ed25519Signer(ORIGIN, key.publicKey, key.sign);
  const sign = (text: string) => signNote(text, [signer]);

  const rules = new Map(template.sections.map((s) => [s.id, s.scoring]));
  const questions = new Map(bank.map((q) => [q.id, q]));
  const plan = prepareDeal(bank, template);
  const auditor: AuditorInputs = {
    bank,
    dealPaper: (s, reg) => dealPaper(plan, s, reg).items,
    scoreItem: (id, index) => {
      const q = questions.get(id)!;
      return scoreChoice(q, rules.get(q.section)!, index);
    },
  };
  const dealSeed = opts.beacon ? mixSeed(seed, opts.beacon.randomness) : seed;

  const leaves: string[] = [];
  const checkpoints: string[] = [];
  const receipts: string[] = [];
  const appender = new MerkleAppender();
  const checkpoint = () => sign(formatCheckpoint({ origin: ORIGIN, size: appender.size, root: appender.root(), extensions: [] }));
  type Event = Leaf extends infer L ? (L extends Leaf ? Omit<L, 'v' | 'i' | 't'> : never) : never;
  const append = (event: Event): number => {
    const i = leaves.length;
    const text = encodeLeaf({ ...event, v: 1, i, t: T0 + i * 250 } as Leaf);
    leaves.push(text);
    appender.append(leafHashOfText(text));
    if (leaves.length % every === 0) checkpoints.push(checkpoint());
    return i;
  };

  const rng = createRng('verify-sitting', seed);
  const regs = Array.from({ length: nCandidates }, (_, k) => `2410${String(k + 1).padStart(4, '0')}`);
  append({ type: 'sitting-open', sitting: 's1', seedCommitment: seedCommitment(seed), bankCommitment: bankCommitment(bank), ...(opts.beacon ? { beaconRound: opts.beacon.round } : {}) });
  for (const reg of regs) append({ type: 'login', reg });
  if (opts.absentOne) append({ type: 'login', reg: '24109999' });
  append({ type: 'admit', reg: regs[0], reason: 'late, ID checked' });
  append({ type: 'sitting-start', ...(opts.beacon ? { beaconRandomness: opts.beacon.randomness } : {}) });

  const people = regs.map((reg) => {
    const paper = dealPaper(plan, dealSeed, reg);
    const blank = scorePaper(template, paper.items, questions, new Map());
    const points = paper.items.map((item) => auditor.scoreItem(item.questionId, null));
    append({ type: 'start', reg, paper: paperHash(paper.items), items: paper.items.length, base: blank });
    return { reg, paper, points, choices: new Map<number, number | null>(), seq: 0, done: false };
  });

  const finish = (p: (typeof people)[number], reason: 'candidate' | 'time' | 'terminated') => {
    const scores = scorePaper(template, p.paper.items, questions, p.choices);
    const leafIndex = append({ type: 'finish', reg: p.reg, reason, scores });
    p.done = true;
    if (opts.receipts === false) return;
    const finalChoices = p.paper.items.map((_, k) => p.choices.get(k) ?? null);
    receipts.push(
      signReceipt(
        {
          origin: ORIGIN,
          sittingId: 's1',
          registrationNumber: p.reg,
          paperHash: paperHash(p.paper.items),
          answersHash: answersHash(finalChoices),
          scores: template.sections.map((s) => [s.id, scores[s.id]]),
          leafIndex,
          logSize: appender.size,
          logRoot: appender.root(),
        },
        signer,
      ),
    );
  };

  for (let round = 0; round < answersPer; round++) {
    for (const [k, p] of people.entries()) {
      if (p.done) continue;
      if (k === 1 && opts.terminateOne && round === Math.floor(answersPer / 2)) {
        append({ type: 'terminate', reg: p.reg, reason: 'phone found' });
        finish(p, 'terminated');
        continue;
      }
      if (k === 0 && round === 2) {
        append({ type: 'pause', reg: p.reg, reason: 'PC failed' });
        append({ type: 'reset-login', reg: p.reg, reason: 'moved to another PC' });
        append({ type: 'login', reg: p.reg });
        append({ type: 'resume', reg: p.reg });
        append({ type: 'extend', reg: p.reg, ms: 60_000, reason: 'time lost' });
      }
      const item = randomInt(rng, p.paper.items.length);
      const shown = p.paper.items[item].optionOrder.length;
      const choice = rng() < 0.1 ? null : randomInt(rng, shown);
      const bankIndex = choice === null ? null : p.paper.items[item].optionOrder[choice];
      const now = auditor.scoreItem(p.paper.items[item].questionId, bankIndex);
      const delta = now - p.points[item];
      p.points[item] = now;
      p.choices.set(item, choice);
      append({ type: 'answer', reg: p.reg, item, section: p.paper.items[item].section, choice, delta, seq: ++p.seq });
      if (round % Math.max(1, Math.floor(answersPer / Math.max(1, flagsPer))) === 1) {
        append({ type: 'flag', reg: p.reg, item, flagged: round % 2 === 1, seq: ++p.seq });
      }
    }
  }
  people.forEach((p, k) => {
    if (!p.done) finish(p, k % 2 === 0 ? 'candidate' : 'time');
  });
  append({ type: 'sitting-close' });
  if (leaves.length % every !== 0) checkpoints.push(checkpoint());

  const exported: PublicExport = {
    format: 'kaca-export@1',
    origin: ORIGIN,
    publicKey: formatVerifierKey(ORIGIN, key.publicKey),
    sitting: { id: 's1', name: 'Sesi 1', seedCommitment: seedCommitment(seed), seed, bankCommitment: bankCommitment(bank), ...(opts.beacon ? { beacon: opts.beacon } : {}) },
    checkpoints,
    leaves,
    ...(opts.receipts === false ? {} : { receipts }),
  };
  const resignCheckpoints = (ex: PublicExport) => {
    const tree = new MerkleTree(ex.leaves.map(leafHashOfText));
    return ex.checkpoints.map((note) => {
      const { size } = parseCheckpoint(parseNote(note).text);
      return sign(formatCheckpoint({ origin: ORIGIN, size, root: tree.root(size), extensions: [] }));
    });
  };
  return { exported, auditor, key, signer, template, sign, resignCheckpoints };
}
