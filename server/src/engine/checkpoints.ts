import { isOpen } from '../domain/catalog.js';
import { logOrigin } from '../db/sitting-log.js';
import type { KacaStore } from '../services/store.js';
import type { EngineLog, Notifier } from './notifier.js';
import type { Registry } from './registry.js';

/**
 * Signed checkpoints of the sitting logs, published on the board: every few seconds for each open
 * sitting whose log grew, and at the close (Sittings signs that one in the closing unit). Once a
 * checkpoint has been shown in the hall, no earlier leaf can be rewritten without contradicting it.
 */
export class Checkpoints {
  private readonly latest = new Map<string, string | null>();
  private readonly signing = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: KacaStore,
    private readonly registry: Registry,
    private readonly notifier: () => Notifier,
    private readonly now: () => number,
    private readonly log: EngineLog,
  ) {}

  origin(sittingId: string): string {
    return logOrigin(this.store.logKey.name, sittingId);
  }

  /** The latest checkpoint note of a sitting's log, null before its first. */
  latestFor(sittingId: string): string | null {
    let note = this.latest.get(sittingId);
    if (note === undefined) this.latest.set(sittingId, (note = this.store.repos.log.latestCheckpoint(sittingId)?.note ?? null));
    return note;
  }

  /** The latest checkpoint the writer gave (the value of a checkpoint op): shown from now on. */
  published(sittingId: string, note: string): void {
    if (note === '' || note === this.latest.get(sittingId)) return;
    this.latest.set(sittingId, note);
    this.notifier().logCheckpoint(sittingId);
  }

  /** Signs a checkpoint of one sitting's log now, if it grew since the last. */
  async sign(sittingId: string): Promise<void> {
    if (this.signing.has(sittingId)) return;
    this.signing.add(sittingId);
    try {
      const [note] = await this.store.writer.submit([{ kind: 'checkpoint', sittingId, at: this.now() }]);
      this.published(sittingId, note as string);
    } finally {
      this.signing.delete(sittingId);
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      for (const s of this.registry.allSittings()) {
        if (!isOpen(s) || !this.registry.runs(s.id)) continue;
        this.sign(s.id).catch((err: unknown) => this.log.error({ err, sittingId: s.id }, 'a log checkpoint could not be signed'));
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
