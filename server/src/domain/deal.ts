import type { ExamTemplate } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';
import { createRng, randomInt, shuffle, type Rng } from './rng.js';

export interface PaperItem {
  questionId: string;
  section: string;
  /** optionOrder[shown position] = index of the option in the bank question */
  optionOrder: number[];
}
export interface Paper {
  items: PaperItem[];
}

interface Stratum {
  key: string;
  questions: Question[];
}
interface SectionPlan {
  id: string;
  count: number;
  total: number;
  strata: Stratum[];
}
/** Everything about a bank that does not depend on the candidate, computed once per sitting. */
export interface DealPlan {
  sections: SectionPlan[];
}

const byId = (a: Question, b: Question) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Groups the bank into strata (section, topic, difficulty); fails if a section is short. */
export function prepareDeal(bank: readonly Question[], template: ExamTemplate): DealPlan {
  const shortfalls: string[] = [];
  const sections = template.sections.map((section): SectionPlan => {
    // Sorting by id makes the deal independent of the order the bank was stored in.
    const pool = bank.filter((q) => q.section === section.id).sort(byId);
    if (pool.length < section.questionCount) {
      shortfalls.push(`section ${section.id} needs ${section.questionCount} questions but the bank has ${pool.length} (short by ${section.questionCount - pool.length})`);
    }
    const strata = new Map<string, Question[]>();
    for (const q of pool) {
      const key = `${q.topic}\u0000${q.difficulty ?? ''}`;
      let list = strata.get(key);
      if (!list) strata.set(key, (list = []));
      list.push(q);
    }
    return {
      id: section.id,
      count: section.questionCount,
      total: pool.length,
      strata: [...strata.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, questions]) => ({ key, questions })),
    };
  });
  if (shortfalls.length) throw new KacaError(ErrorCode.BANK_TOO_SMALL, `the bank cannot fill the template: ${shortfalls.join('; ')}`, { shortfalls });
  return { sections };
}

/**
 * How many questions each stratum gives: its proportional share count*size/total, rounded by
 * systematic sampling so every question of the section has the same chance count/total.
 */
function allocate(rng: Rng, plan: SectionPlan): number[] {
  const n = plan.total;
  const order = shuffle(rng, plan.strata.map((_, i) => i));
  const quota = new Array<number>(plan.strata.length).fill(0);
  const offset = randomInt(rng, n);
  let cum = 0;
  for (const i of order) {
    const num = plan.count * plan.strata[i].questions.length;
    const rem = num % n;
    // systematic points at offset, offset+n, ...; count those in [cum, cum+rem)
    const extra = Math.ceil((cum + rem - offset) / n) - Math.ceil((cum - offset) / n);
    quota[i] = Math.floor(num / n) + extra;
    cum += rem;
  }
  return quota;
}

/** k distinct indices of [0, n), Floyd's algorithm: O(k) whatever the size of the stratum. */
function sampleIndices(rng: Rng, n: number, k: number): number[] {
  const chosen = new Set<number>();
  const out: number[] = [];
  for (let j = n - k; j < n; j++) {
    const t = randomInt(rng, j + 1);
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    out.push(pick);
  }
  return out;
}

/**
 * The candidate's paper: the same sitting seed and candidate always give the same paper on any
 * machine. Sections keep the template's order; questions are shuffled within a section and
 * options within a question.
 */
export function dealPaper(plan: DealPlan, sittingSeed: string, candidateKey: string): Paper {
  const rng = createRng('kaca-deal-v1', sittingSeed, candidateKey);
  const items: PaperItem[] = [];
  for (const section of plan.sections) {
    const quota = allocate(rng, section);
    const picked: Question[] = [];
    section.strata.forEach((stratum, i) => {
      for (const idx of sampleIndices(rng, stratum.questions.length, quota[i])) picked.push(stratum.questions[idx]);
    });
    shuffle(rng, picked);
    for (const q of picked) {
      items.push({ questionId: q.id, section: section.id, optionOrder: shuffle(rng, q.options.map((_, i) => i)) });
    }
  }
  return { items };
}

export function deal(bank: readonly Question[], template: ExamTemplate, sittingSeed: string, candidateKey: string): Paper {
  return dealPaper(prepareDeal(bank, template), sittingSeed, candidateKey);
}
