import { ErrorCode } from '../contract/errors.js';
import { buildCatalog, type Catalog } from '../domain/catalog.js';
import { KacaError } from '../domain/errors.js';
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
      this.byKey.set(key, (c = buildCatalog(template, this.repos.banks.questions(sitting.bankId))));
    }
    return c;
  }
}
