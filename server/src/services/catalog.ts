import { ErrorCode } from '../contract/errors.js';
import { buildCatalog, type Catalog, type SittingStatus } from '../domain/catalog.js';
import { KacaError } from '../domain/errors.js';
import type { ReadRepositories } from '../db/repositories/index.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * A sitting's catalog, cached per template and bank. Templates change only while no sitting uses
 * them and questions are retired only while no sitting that uses their bank deals (domain/setup.ts);
 * whoever makes such a change calls forget(). A closed sitting deals no more, so its catalog
 * ignores retirement (its plan is never used; building it must not fail).
 */
export class CatalogCache {
  private readonly byKey = new Map<string, Catalog>();
  /** several nodes: told of every forget() made here, for the other nodes to forget too */
  onForget: ((changed: { bankId?: string; templateId?: string }) => void) | null = null;
  constructor(private readonly repos: ReadRepositories) {}

  forSitting(sitting: { templateId: string; bankId: string; status?: SittingStatus; dealtWithout?: string[] | null }): Catalog {
    // from its opening on, a sitting deals from the bank as it was then (sittings.dealt_without)
    const fixed = sitting.dealtWithout ?? null;
    const dealing = sitting.status !== 'closed';
    const key = `${sitting.templateId}\u0000${sitting.bankId}\u0000${fixed ? `fixed:${fixed.join(',')}` : dealing}`;
    let c = this.byKey.get(key);
    if (!c) {
      const template = this.repos.templates.get(sitting.templateId);
      if (!template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${sitting.templateId}`);
      const retired = fixed ? new Set(fixed) : dealing ? this.repos.banks.retiredIds(sitting.bankId) : NONE;
      this.byKey.set(key, (c = buildCatalog(template, this.repos.banks.questions(sitting.bankId), retired)));
    }
    return c;
  }

  /** Drops the catalogs built from a bank or a template that changed. */
  forget(changed: { bankId?: string; templateId?: string }, elsewhere = false): void {
    if (!elsewhere) this.onForget?.(changed);
    for (const key of [...this.byKey.keys()]) {
      const [templateId, bankId] = key.split('\u0000');
      if (templateId === changed.templateId || bankId === changed.bankId) this.byKey.delete(key);
    }
  }
}
