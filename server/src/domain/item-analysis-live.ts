import { finishSection, type AnalysisOptions, type CandidateId, type ItemEntry, type ItemMeta, type SectionAnalysis, type SectionKind } from './item-analysis.js';
import { addToSums, checkEntry, figuresFromSums, sumsFor, type ItemSums, type LiveItemFigures } from './item-sums.js';

interface LiveCell {
  entry: ItemEntry;
  /** the item's sums, held here so an update does not look every item up again */
  sums: ItemSums;
}
interface LiveRow {
  cells: Map<string, LiveCell>;
  total: number;
}

/**
 * Item analysis kept up to date while a sitting runs. A changed answer moves the candidate's
 * section total, which is part of the sums of every item on their paper, so an update costs one
 * pass over that paper (45 items at most under SKD); p and the item-rest r of any item are then
 * read in O(1). Groups, shares, times and reliability come from `snapshot()`, which recomputes
 * them from the rows it holds, exactly as the batch function does.
 */
export class ItemAnalysisAccumulator {
  private readonly rows = new Map<CandidateId, LiveRow>();
  private readonly sums = new Map<string, ItemSums>();

  constructor(
    readonly section: string,
    readonly kind: SectionKind,
    private readonly items?: ReadonlyMap<string, ItemMeta>,
    private readonly options: AnalysisOptions = {},
  ) {}

  /** Sets one candidate's entry on one item; null takes the item off their paper. */
  set(candidateId: CandidateId, questionId: string, entry: ItemEntry | null): void {
    if (entry) checkEntry(questionId, entry);
    let row = this.rows.get(candidateId);
    if (!row) {
      if (!entry) return;
      this.rows.set(candidateId, (row = { cells: new Map(), total: 0 }));
    }
    // Validate the max before anything moves, so a refused update leaves the sums untouched.
    const sums = entry ? sumsFor(this.sums, questionId, entry.max) : null;
    this.withdraw(row);
    const old = row.cells.get(questionId);
    if (old) row.total -= old.entry.score;
    if (entry) {
      row.cells.set(questionId, { entry, sums: sums! });
      row.total += entry.score;
    } else row.cells.delete(questionId);
    this.deposit(row);
    if (row.cells.size === 0) this.rows.delete(candidateId);
  }

  /** Replaces a candidate's whole section, e.g. when a paper is dealt (all blank) or reloaded. */
  setCandidate(candidateId: CandidateId, entries: ReadonlyMap<string, ItemEntry>): void {
    const cells = new Map<string, LiveCell>();
    for (const [q, e] of entries) {
      checkEntry(q, e);
      cells.set(q, { entry: e, sums: sumsFor(this.sums, q, e.max) });
    }
    this.removeCandidate(candidateId);
    if (cells.size === 0) return;
    const row: LiveRow = { cells, total: 0 };
    for (const e of entries.values()) row.total += e.score;
    this.rows.set(candidateId, row);
    this.deposit(row);
  }

  removeCandidate(candidateId: CandidateId): void {
    const row = this.rows.get(candidateId);
    if (!row) return;
    this.withdraw(row);
    this.rows.delete(candidateId);
  }

  /** p and the item-rest r now; undefined for an item no current paper holds. */
  live(questionId: string): LiveItemFigures | undefined {
    const s = this.sums.get(questionId);
    return s && s.n > 0 ? figuresFromSums(s) : undefined;
  }

  /** Every figure of the batch analysis over the current rows (O(entries)). */
  snapshot(): SectionAnalysis {
    const sums = new Map([...this.sums].filter(([, s]) => s.n > 0));
    return finishSection(this.section, this.kind, this.items, sums, [...this.rows.values()].map((r) => new Map([...r.cells].map(([q, c]) => [q, c.entry]))), this.options);
  }

  private withdraw(row: LiveRow): void {
    for (const c of row.cells.values()) addToSums(c.sums, c.entry.score, row.total, -1);
  }

  private deposit(row: LiveRow): void {
    for (const c of row.cells.values()) addToSums(c.sums, c.entry.score, row.total, 1);
  }
}
