import type { Sitting } from '../domain/catalog.js';
import type { WriteOp } from '../db/write-ops.js';
import type { KacaStore } from '../services/store.js';
import { withLocks } from './lock.js';
import type { Notifier } from './notifier.js';
import type { Registry } from './registry.js';

/**
 * Admin changes to what sittings deal from: a scheduled sitting, the questions of a bank, a
 * template. Each holds the locks of the sittings it touches (so it falls before or after a
 * sitting's opening, never inside it), commits through the writer, and then drops what memory
 * kept of the old state. The rules of when each is allowed are in domain/setup.ts; the writer
 * checks the sitting's status again inside the transaction.
 */
export class Setup {
  constructor(
    private readonly registry: Registry,
    private readonly store: KacaStore,
    private readonly getNotifier: () => Notifier,
  ) {}

  /** `decide` sees the sitting as it stands under its lock and returns the unit to commit. */
  async changeSitting(sittingId: string, decide: (s: Sitting) => WriteOp[]): Promise<Sitting> {
    const s = await withLocks([this.registry.sittingLock(sittingId)], async () => {
      const unit = decide(this.registry.sitting(sittingId));
      await this.store.writer.submit(unit);
      this.registry.forgetSitting(sittingId);
      return this.registry.sitting(sittingId);
    });
    this.getNotifier().sittingChanged(sittingId);
    return s;
  }

  /** Retires or restores questions of a bank: `decide` sees every sitting dealing from it, under their locks. */
  async changeBank(bankId: string, decide: (users: Sitting[]) => WriteOp[]): Promise<void> {
    const ids = this.store.repos.sittings.using({ bankId }).map((s) => s.id);
    await withLocks(
      ids.map((id) => this.registry.sittingLock(id)),
      async () => {
        const unit = decide(ids.map((id) => this.registry.sitting(id)));
        await this.store.writer.submit(unit);
        this.store.catalog.forget({ bankId });
        for (const id of ids) if (this.registry.sitting(id).status === 'scheduled' || this.registry.sitting(id).status === 'closed') this.registry.forgetSitting(id);
      },
    );
    for (const id of ids) this.getNotifier().sittingChanged(id);
  }

  /** A template no sitting uses was changed. */
  templateChanged(templateId: string): void {
    this.store.catalog.forget({ templateId });
  }
}
