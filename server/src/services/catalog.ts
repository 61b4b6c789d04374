import type { ExamTemplate } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import { ErrorCode } from '../contract/errors.js';
import { dealPaper, prepareDeal, type DealPlan, type PaperItem } from '../domain/deal.js';
import { KacaError } from '../domain/errors.js';
import { maxPoints } from '../domain/scoring.js';
import type { Repositories } from '../db/repositories/index.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import type { CandidateRow } from '../db/repositories/candidates.js';

/** What a sitting needs in memory to deal and score: its template, its bank and the deal plan. */
export interface SittingCatalog {
  template: ExamTemplate;
  questions: Map<string, Question>;
  plan: DealPlan;
  sectionRules: Map<string, ExamTemplate['sections'][number]['scoring']>;
  /** highest score a paper can reach per section (for scoreboards and result screens) */
  sectionMax: Record<string, number>;
}

/** Banks and templates are immutable once stored, so a catalog can be cached for good. */
export class CatalogCache {
  private readonly byKey = new Map<string, SittingCatalog>();
  constructor(private readonly repos: Repositories) {}

  forSitting(sitting: Pick<SittingRow, 'templateId' | 'bankId'>): SittingCatalog {
    const key = `${sitting.templateId}\u0000${sitting.bankId}`;
    let c = this.byKey.get(key);
    if (!c) {
      const template = this.repos.templates.get(sitting.templateId);
      if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${sitting.templateId}`);
      const list = this.repos.banks.questions(sitting.bankId);
      c = {
        template,
        questions: new Map(list.map((q) => [q.id, q])),
        plan: prepareDeal(list, template),
        sectionRules: new Map(template.sections.map((s) => [s.id, s.scoring])),
        sectionMax: Object.fromEntries(
          template.sections.map((s) => {
            const best = Math.max(0, ...list.filter((q) => q.section === s.id).map((q) => maxPoints(q, s.scoring)));
            return [s.id, best * s.questionCount];
          }),
        ),
      };
      this.byKey.set(key, c);
    }
    return c;
  }

  /** The candidate's paper: the stored one, or dealt now and stored (dealing is deterministic). */
  paperFor(sitting: SittingRow, candidate: CandidateRow, now: number): PaperItem[] {
    const stored = this.repos.papers.get(candidate.id);
    if (stored) return stored;
    const paper = dealPaper(this.forSitting(sitting).plan, sitting.seed, candidate.registrationNumber);
    this.repos.papers.insert(candidate.id, paper.items, now);
    return this.repos.papers.get(candidate.id)!;
  }
}
