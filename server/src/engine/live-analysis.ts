import { ErrorCode } from '../contract/errors.js';
import type { Question } from '../contract/question.js';
import type { Catalog } from '../domain/catalog.js';
import { KacaError } from '../domain/errors.js';
import type { Examinee } from '../domain/examinee.js';
import type { ItemEntry } from '../domain/item-analysis.js';
import { ItemAnalysisAccumulator } from '../domain/item-analysis-live.js';
import { maxPoints, scoreChoice } from '../domain/scoring.js';
import { itemMeta } from '../services/analysis-input.js';
import { itemReport, type ItemAnalysisReport } from '../services/analysis.js';
import type { Registry } from './registry.js';

/** An admin who has not asked for a sitting's live figures for this long stops the upkeep. */
const WATCH_MS = 15 * 60_000;
/**
 * A snapshot goes over every entry (tens of ms for 2,000 papers, on the event loop of a running
 * sitting): it is made at most this often per sitting, however many admins are watching.
 */
const SNAPSHOT_MS = 5_000;

interface Watched {
  catalog: Catalog;
  sections: Map<string, ItemAnalysisAccumulator>;
  /** per candidate in the figures: the shown option per item as last counted (-1 blank) */
  counted: Map<number, Int8Array>;
  askedAt: number;
  /** bumped by every change to the figures (not by a flag or a reconnect); the last report and the version it was made at */
  version: number;
  last: { version: number; at: number; report: ItemAnalysisReport } | null;
}

/**
 * Item analysis of a running sitting kept as running sums (domain/item-analysis-live.ts), for
 * admins: the first request builds it from the committed state in memory, and from then on each
 * committed change of a candidate moves only the items that changed. Nothing of it is public;
 * nothing is kept for a sitting nobody watches.
 */
export class LiveAnalysis {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly registry: Registry,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The figures of a running (or open) sitting now. */
  report(sittingId: string): ItemAnalysisReport {
    const t = performance.now();
    const sitting = this.registry.sitting(sittingId);
    if (sitting.status !== 'running' && sitting.status !== 'open') throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${sittingId} is ${sitting.status}: live figures are for a sitting under way`);
    let w = this.watched.get(sittingId);
    if (!w) this.watched.set(sittingId, (w = this.build(sittingId)));
    const now = this.now();
    w.askedAt = now;
    if (w.last && (w.last.version === w.version || now - w.last.at < SNAPSHOT_MS)) return w.last.report;
    const sections = [...w.sections.values()].map((acc) => acc.snapshot());
    const covered = [{ id: sitting.id, name: sitting.name, status: sitting.status, candidates: w.counted.size }];
    const report = itemReport(sitting.bankId, true, covered, sections, w.catalog.questions, t);
    w.last = { version: w.version, at: now, report };
    return report;
  }

  /**
   * A candidate's committed state changed (called by the engine's notifier, after the real
   * notification went out). A failure here must never reach the answer path: the watch is
   * dropped and rebuilt on the next request.
   */
  changed(sittingId: string, candidateId: number): void {
    const w = this.watched.get(sittingId);
    if (!w) return;
    try {
      this.count(w, this.registry.examinee(candidateId));
    } catch (err) {
      this.watched.delete(sittingId);
      this.onError(err);
    }
  }

  /** The sitting changed (opened, started, closed): a sitting no longer under way is dropped. */
  sittingChanged(sittingId: string): void {
    if (!this.watched.has(sittingId)) return;
    const status = this.registry.sitting(sittingId).status;
    if (status !== 'open' && status !== 'running') this.watched.delete(sittingId);
  }

  /** Drops the watches nobody asked for lately (the engine's sweep calls this). */
  expire(): void {
    const now = this.now();
    for (const [id, w] of this.watched) if (now - w.askedAt > WATCH_MS) this.watched.delete(id);
  }

  /** Sittings with live figures kept (tests, metrics). */
  get watching(): number {
    return this.watched.size;
  }

  private build(sittingId: string): Watched {
    const catalog = this.registry.catalog(sittingId);
    const meta = itemMeta(catalog.questions.values());
    const sections = new Map<string, ItemAnalysisAccumulator>();
    for (const [section, rule] of catalog.rules) sections.set(section, new ItemAnalysisAccumulator(section, rule.kind === 'keyed' ? 'keyed' : 'weighted', meta));
    const w: Watched = { catalog, sections, counted: new Map(), askedAt: this.now(), version: 0, last: null };
    for (const e of this.registry.examineesOf(sittingId)) this.count(w, e);
    return w;
  }

  private entry(w: Watched, q: Question, e: Examinee, i: number, shown: number): ItemEntry {
    const rule = w.catalog.rules.get(q.section)!;
    const option = shown < 0 ? null : e.paper!.bankIndex(i, shown);
    return { option, score: scoreChoice(q, rule, option), max: maxPoints(q, rule) };
  }

  /** Brings one candidate's figures up to their committed answers. */
  private count(w: Watched, e: Examinee): void {
    const id = e.profile.id;
    const sitting = e.attempt && (e.attempt.state === 'in_progress' || e.attempt.state === 'finished') && e.paper;
    const before = w.counted.get(id);
    if (!sitting) {
      if (before) {
        for (const acc of w.sections.values()) acc.removeCandidate(id);
        w.counted.delete(id);
        w.version++;
      }
      return;
    }
    const paper = e.paper!;
    if (!before || before.length !== paper.length) {
      const now = new Int8Array(paper.length);
      const bySection = new Map<string, Map<string, ItemEntry>>();
      for (let i = 0; i < paper.length; i++) {
        const q = paper.questions[i];
        now[i] = e.answers.get(i);
        let m = bySection.get(q.section);
        if (!m) bySection.set(q.section, (m = new Map()));
        m.set(q.id, this.entry(w, q, e, i, now[i]));
      }
      for (const [section, entries] of bySection) w.sections.get(section)?.setCandidate(id, entries);
      w.counted.set(id, now);
      w.version++;
      return;
    }
    for (let i = 0; i < paper.length; i++) {
      const shown = e.answers.get(i);
      if (shown === before[i]) continue;
      before[i] = shown;
      w.version++;
      const q = paper.questions[i];
      w.sections.get(q.section)?.set(id, q.id, this.entry(w, q, e, i, shown));
    }
  }
}
