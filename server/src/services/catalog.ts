import { ErrorCode } from '../contract/errors.js';
import type { Catalog } from '../domain/catalog.js';
import { prepareDeal } from '../domain/deal.js';
import { KacaError } from '../domain/errors.js';
import { maxPoints, sectionRules } from '../domain/scoring.js';
import type { Repositories } from '../db/repositories/index.js';

/** Banks and templates are immutable once stored, so a sitting's catalog is cached for good. */
export class CatalogCache {
  private readonly byKey = new Map<string, Catalog>();
  constructor(private readonly repos: Repositories) {}

  forSitting(sitting: { templateId: string; bankId: string }): Catalog {
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
        rules: sectionRules(template),
        sectionMax: Object.fromEntries(
          template.sections.map((s) => {
            const best = Math.max(0, ...list.filter((q) => q.section === s.id).map((q) => maxPoints(q, s.scoring)));
            return [s.id, best * s.questionCount];
          }),
        ),
        itemCount: template.sections.reduce((n, s) => n + s.questionCount, 0),
      };
      this.byKey.set(key, c);
    }
    return c;
  }
}
