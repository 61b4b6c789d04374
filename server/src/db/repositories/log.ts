import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { logCheckpoints, logHeads, sittingLog } from '../schema.js';

/** The sitting logs, written only by the writer (db/sitting-log.ts); triggers keep leaves and checkpoints append-only. */
export function logRepository(db: Db) {
  return {
    size(sittingId: string): number {
      return db.select({ size: logHeads.size }).from(logHeads).where(eq(logHeads.sittingId, sittingId)).get()?.size ?? 0;
    },
    latestCheckpoint(sittingId: string): { size: number; note: string } | undefined {
      return db.select({ size: logCheckpoints.size, note: logCheckpoints.note }).from(logCheckpoints).where(eq(logCheckpoints.sittingId, sittingId)).orderBy(desc(logCheckpoints.size)).limit(1).get();
    },
    checkpoints(sittingId: string): string[] {
      return db
        .select({ note: logCheckpoints.note })
        .from(logCheckpoints)
        .where(eq(logCheckpoints.sittingId, sittingId))
        .orderBy(asc(logCheckpoints.size))
        .all()
        .map((r) => r.note);
    },
    /** leaves [from, to) as stored (canonical JSON), one bounded query each so a long read never holds the connection */
    leaves(sittingId: string, from: number, to: number): string[] {
      return db
        .select({ leaf: sittingLog.leaf })
        .from(sittingLog)
        .where(and(eq(sittingLog.sittingId, sittingId), gte(sittingLog.idx, from), lt(sittingLog.idx, to)))
        .orderBy(asc(sittingLog.idx))
        .all()
        .map((r) => r.leaf);
    },
    /** leaf hashes [from, to), base64 */
    hashes(sittingId: string, from: number, to: number): string[] {
      return db
        .select({ hash: sittingLog.hash })
        .from(sittingLog)
        .where(and(eq(sittingLog.sittingId, sittingId), gte(sittingLog.idx, from), lt(sittingLog.idx, to)))
        .orderBy(asc(sittingLog.idx))
        .all()
        .map((r) => r.hash);
    },
  };
}
