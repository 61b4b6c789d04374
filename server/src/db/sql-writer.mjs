// Plain JavaScript on purpose: the writer thread loads this without a TypeScript loader, and the
// main thread imports the same code (types in sql-writer.d.mts), so both commit alike.

/**
 * Pragmas of every connection: WAL, and a commit is on disk when it returns (synchronous=FULL).
 * No connection checkpoints when it commits: the server's checkpoint thread does it, and the
 * last connection to close checkpoints whatever is left (a command-line run included).
 */
export const CONNECTION_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000', 'wal_autocheckpoint = 0', 'journal_size_limit = 67108864'];

/**
 * Commits batches of units on one connection. A batch is one transaction, so one fsync; if it
 * fails, each unit is retried in a transaction of its own, so one bad unit fails only itself.
 * Returns { ids, errors } (see BatchResult in write-ops.ts).
 *
 * Order per key (a candidate): once a unit with a key fails, every later unit with that key is
 * refused unrun, in this batch and in the batches after it, until release(keys) says the caller
 * has reloaded that candidate from disk. Later changes were computed on top of the failed one;
 * committing them would store a candidate's seq 6 without its seq 5, and the retried seq 5 would
 * then look like a duplicate. The caller posts release after every batch it sent before it
 * learned of the failure, so those are refused too.
 */
export function createSqlWriter(sqlite, statements) {
  const prepared = new Map(Object.entries(statements).map(([name, text]) => [name, sqlite.prepare(text)]));
  const runUnit = (unit, ids) => {
    for (const [name, params] of unit) {
      const stmt = prepared.get(name);
      if (!stmt) throw new Error(`unknown statement ${name}`);
      ids.push(Number(stmt.run(params).lastInsertRowid));
    }
  };
  const runBatch = sqlite.transaction((units, ids) => {
    for (const unit of units) runUnit(unit, ids);
  });
  const runOne = sqlite.transaction(runUnit);
  /** keys with a failed unit whose caller has not reloaded yet */
  const broken = new Set();
  const isBroken = (key) => key !== null && key !== undefined && broken.has(key);
  function commit(units, keys) {
    const ids = [];
    if (broken.size === 0 || !keys || !keys.some(isBroken)) {
      try {
        runBatch(units, ids);
        return { ids, errors: null };
      } catch {
        ids.length = 0;
      }
    }
    const errors = units.map((unit, i) => {
      const key = keys ? keys[i] : null;
      const mark = ids.length;
      let error;
      if (isBroken(key)) error = 'not saved: an earlier change of the same candidate was not saved';
      else {
        try {
          runOne(unit, ids);
          return null;
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
          if (key !== null && key !== undefined) broken.add(key);
        }
      }
      ids.length = mark;
      for (let k = 0; k < unit.length; k++) ids.push(0);
      return error;
    });
    return { ids, errors };
  }
  return {
    commit,
    release(keys) {
      for (const k of keys) broken.delete(k);
    },
  };
}
