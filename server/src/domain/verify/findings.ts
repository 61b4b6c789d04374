/** The named checks of a verification report, in the order the report lists them. */
export const CHECKS = {
  format: 'export format',
  signatures: 'checkpoint signatures',
  leaves: 'leaf format',
  roots: 'checkpoint roots',
  consistency: 'checkpoint consistency',
  seed: 'seed commitment',
  sitting: 'sitting events',
  candidates: 'candidate events',
  scores: 'scores',
  receipts: 'receipts',
  bank: 'bank commitment',
  papers: 'papers',
  deltas: 'answer deltas',
} as const;
export type CheckName = (typeof CHECKS)[keyof typeof CHECKS];

// A systematic fault can fail every leaf; the report keeps the first ones and counts the rest.
const MAX_MESSAGES_PER_CHECK = 50;

/** Problems found so far, by check, remembering the lowest leaf index any of them names. */
export class Findings {
  readonly #byCheck = new Map<CheckName, { count: number; messages: string[] }>();
  #firstBadLeaf: number | undefined;

  add(check: CheckName, message: string, leaf?: number): void {
    let entry = this.#byCheck.get(check);
    if (!entry) this.#byCheck.set(check, (entry = { count: 0, messages: [] }));
    entry.count++;
    if (entry.messages.length < MAX_MESSAGES_PER_CHECK) entry.messages.push(message);
    if (leaf !== undefined && (this.#firstBadLeaf === undefined || leaf < this.#firstBadLeaf)) this.#firstBadLeaf = leaf;
  }

  count(check: CheckName): number {
    return this.#byCheck.get(check)?.count ?? 0;
  }

  messages(check: CheckName): string[] {
    const entry = this.#byCheck.get(check);
    if (!entry) return [];
    const more = entry.count - entry.messages.length;
    return more > 0 ? [...entry.messages, `${check}: ... and ${more} more`] : entry.messages;
  }

  get firstBadLeaf(): number | undefined {
    return this.#firstBadLeaf;
  }

  /**
   * The signed roots place the first changed leaf in [from, to]: a leaf named before `to` is the
   * first bad one (an earlier flaw was signed as it is; one inside the range is the change);
   * otherwise the range's start is.
   */
  narrow(from: number, to: number): void {
    if (this.#firstBadLeaf === undefined || this.#firstBadLeaf > to) this.#firstBadLeaf = from;
  }
}

/** Scores are sums of deltas: exact for integer marks, with rounding slack for fractional ones. */
export function samePoints(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
