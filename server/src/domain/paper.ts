import type { Question } from '../contract/question.js';
import type { PaperItem } from './deal.js';

/** Option positions kept per item: no question has more (OPTION_LETTERS). */
const WIDTH = 6;

/**
 * A candidate's paper held compactly: the bank's own (shared, immutable) question objects plus a
 * byte per option position, so a hall of thousands of candidates stays small in memory.
 */
export class LivePaper {
  private constructor(
    readonly questions: readonly Question[],
    private readonly order: Uint8Array,
    /** options per item, kept here: every answer checks it, and the bank's objects differ in shape */
    private readonly counts: Uint8Array,
  ) {}

  static from(items: readonly PaperItem[], questions: ReadonlyMap<string, Question>): LivePaper {
    const order = new Uint8Array(items.length * WIDTH).fill(255);
    const counts = new Uint8Array(items.length);
    const qs = items.map((it, i) => {
      const q = questions.get(it.questionId);
      if (!q) throw new Error(`paper refers to question ${it.questionId}, which is not in the bank`);
      it.optionOrder.forEach((o, k) => (order[i * WIDTH + k] = o));
      counts[i] = q.options.length;
      return q;
    });
    return new LivePaper(qs, order, counts);
  }

  get length(): number {
    return this.questions.length;
  }

  optionCount(i: number): number {
    return this.counts[i];
  }

  /** Bank option index shown at position `shown` of item i. */
  bankIndex(i: number, shown: number): number {
    return this.order[i * WIDTH + shown];
  }

  optionOrder(i: number): number[] {
    return Array.from({ length: this.optionCount(i) }, (_, k) => this.order[i * WIDTH + k]);
  }

  items(): PaperItem[] {
    return this.questions.map((q, i) => ({ questionId: q.id, section: q.section, optionOrder: this.optionOrder(i) }));
  }
}
