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
  return function commit(units) {
    const ids = [];
    try {
      runBatch(units, ids);
      return { ids, errors: null };
    } catch {
      ids.length = 0;
      const errors = units.map((unit) => {
        const mark = ids.length;
        try {
          runOne(unit, ids);
          return null;
        } catch (err) {
          ids.length = mark;
          for (let i = 0; i < unit.length; i++) ids.push(0);
          return err instanceof Error ? err.message : String(err);
        }
      });
      return { ids, errors };
    }
  };
}
