import type { ExamTemplate } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import { prepareDeal, type DealPlan } from './deal.js';
import { maxPoints, sectionRules, type SectionRules, type SectionScores } from './scoring.js';

/** What a sitting needs to deal and score: its template, its bank and the deal plan. Immutable. */
export interface Catalog {
  template: ExamTemplate;
  questions: ReadonlyMap<string, Question>;
  /** the questions papers are dealt from (the bank less the retired): what the bank commitment covers */
  dealt: readonly Question[];
  /** the ids left out of `dealt` */
  retired: ReadonlySet<string>;
  plan: DealPlan;
  rules: SectionRules;
  /** highest score a paper can reach per section (for boards and result screens) */
  sectionMax: SectionScores;
  /** items on every paper: the sum of the template's question counts */
  itemCount: number;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A template and its bank made ready to deal and score; fails with BANK_TOO_SMALL if the bank
 * cannot fill the template. Retired questions are dealt no more but still score the papers that
 * hold them (domain/setup.ts says when they may be retired).
 */
export function buildCatalog(template: ExamTemplate, bank: readonly Question[], retired: ReadonlySet<string> = NONE): Catalog {
  const dealt = retired.size > 0 ? bank.filter((q) => !retired.has(q.id)) : bank;
  return {
    template,
    questions: new Map(bank.map((q) => [q.id, q])),
    dealt,
    retired,
    plan: prepareDeal(dealt, template),
    rules: sectionRules(template),
    sectionMax: Object.fromEntries(
      template.sections.map((s) => {
        const best = Math.max(0, ...bank.filter((q) => q.section === s.id).map((q) => maxPoints(q, s.scoring)));
        return [s.id, best * s.questionCount];
      }),
    ),
    itemCount: template.sections.reduce((n, s) => n + s.questionCount, 0),
  };
}

/** A sitting as the rules see it (db/schema.ts `sittings`, read back). */
export interface Sitting {
  id: string;
  name: string;
  templateId: string;
  bankId: string;
  site: string;
  room: string;
  scheduledStart: number;
  seed: string;
  status: SittingStatus;
  requireToken: boolean;
  requireAdmission: boolean;
  practice: boolean;
  revealPolicy: RevealPolicy;
  /** the room's seat grid, when the roster gives seats in it */
  roomRows: number | null;
  roomCols: number | null;
  /** IANA zone of the site (WIB, WITA, WIT): printed times use it */
  timezone: string;
  /** the drand quicknet round named at creation (domain/verify/beacon.ts), its signature entered at the start, and the randomness derived from it */
  beaconRound: number | null;
  beaconRandomness: string | null;
  beaconSignature: string | null;
  /** the questions retired when the sitting opened (null before it opened) */
  dealtWithout: string[] | null;
  tokenSecret: string;
  tokenIntervalSec: number;
  vacancies: Record<string, number>;
  createdAt: number;
  openedAt: number | null;
  startedAt: number | null;
  closedAt: number | null;
}

export type SittingStatus = 'scheduled' | 'open' | 'running' | 'closed';

/**
 * What the public board shows of a candidate's scores. on-finish: progress while they sit, scores
 * and verdict the moment they finish, so no single answer can be read off the board. live: every
 * answer's score at once, only for a tryout whose items are not secret.
 */
export type RevealPolicy = 'on-finish' | 'live';

/** Sittings candidates can log in to and whose candidates the server keeps in memory. */
export function isOpen(s: Pick<Sitting, 'status'>): boolean {
  return s.status === 'open' || s.status === 'running';
}
