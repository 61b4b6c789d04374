import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Many rows in one statement on PostgreSQL, written from the drizzle schema (schema-pg.ts): one
 * array parameter per column, spread back into rows by unnest(). A batch of a hall's answers is
 * one INSERT, one round trip, however many rows it has; a statement per row would cost a round
 * trip each (node-postgres does not pipeline).
 */

/** What the statements need of a connection: node-postgres's Client has it. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

function column(table: Table, key: string): PgColumn {
  const c = (getTableColumns(table) as Record<string, PgColumn>)[key];
  if (!c) throw new Error(`${getTableName(table)} has no column ${key}`);
  return c;
}

/** The element type of a column's array parameter: serial columns are integers. */
function arrayType(c: PgColumn): string {
  const t = c.getSQLType();
  return t === 'serial' ? 'integer' : t === 'bigserial' ? 'bigint' : t;
}

const compareKeys = (a: unknown, b: unknown): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Rows gathered column by column, then sent as one statement. `text` is the statement, with $1..$n
 * the columns' arrays in `keys` order. JSON columns are sent as their text.
 */
export class RowBuffer<R extends Record<string, unknown>> {
  private cols: unknown[][];
  private readonly json: boolean[];
  /** rows by key, for buffers that keep one row per key (the last, or the first) */
  private readonly byKey: Map<unknown, number> | null;
  length = 0;

  constructor(
    readonly text: string,
    readonly keys: readonly (keyof R & string)[],
    table: Table,
    private readonly unique: { key: keyof R & string; keep: 'first' | 'last' } | null = null,
  ) {
    this.cols = keys.map(() => []);
    this.json = keys.map((k) => ['json', 'jsonb'].includes(column(table, k).getSQLType()));
    this.byKey = unique ? new Map() : null;
  }

  push(row: R): void {
    let at = this.length;
    if (this.unique) {
      const seen = this.byKey!.get(row[this.unique.key]);
      if (seen !== undefined) {
        if (this.unique.keep === 'first') return;
        at = seen;
      } else this.byKey!.set(row[this.unique.key], at);
    }
    for (let i = 0; i < this.keys.length; i++) {
      const v = row[this.keys[i]] ?? null;
      this.cols[i][at] = this.json[i] && v !== null ? JSON.stringify(v) : v;
    }
    if (at === this.length) this.length++;
  }

  async flush(client: PgQueryable): Promise<void> {
    if (this.length === 0) return;
    let values = this.cols;
    if (this.unique && this.length > 1) {
      // rows that lock an existing row (an upsert, an update) go in key order: two writers locking
      // the same candidates lock them in the same order and cannot deadlock
      const k = this.keys.indexOf(this.unique.key);
      const order = Array.from({ length: this.length }, (_, i) => i).sort((a, b) => compareKeys(values[k][a], values[k][b]));
      values = values.map((col) => order.map((i) => col[i]));
    }
    this.clear();
    await client.query(this.text, values);
  }

  clear(): void {
    this.cols = this.keys.map(() => []);
    this.byKey?.clear();
    this.length = 0;
  }
}

function unnest(table: Table, keys: readonly string[]): { names: string; from: string } {
  const cols = keys.map((k) => column(table, k));
  return {
    names: cols.map((c) => quote(c.name)).join(', '),
    from: `unnest(${cols.map((c, i) => `$${i + 1}::${arrayType(c)}[]`).join(', ')})`,
  };
}

/**
 * INSERT of many rows. `conflict`: nothing (a duplicate fails the statement), 'nothing' (a row
 * whose key exists is skipped), or the key columns for an upsert that takes every other column.
 */
export function bulkInsert<R extends Record<string, unknown>>(table: Table, keys: readonly (keyof R & string)[], conflict: { key: keyof R & string; action: 'nothing' | 'update' } | null = null): RowBuffer<R> {
  const { names, from } = unnest(table, keys);
  let text = `insert into ${quote(getTableName(table))} (${names}) select * from ${from}`;
  if (conflict) {
    const target = quote(column(table, conflict.key).name);
    const set = keys.filter((k) => k !== conflict.key).map((k) => `${quote(column(table, k).name)} = excluded.${quote(column(table, k).name)}`);
    text += conflict.action === 'nothing' ? ` on conflict (${target}) do nothing` : ` on conflict (${target}) do update set ${set.join(', ')}`;
  }
  // an upsert may not touch a row twice in one statement: the last row of a key stands for it;
  // a row that is written once keeps the first, as one statement per row would
  return new RowBuffer<R>(text, keys, table, conflict ? { key: conflict.key, keep: conflict.action === 'nothing' ? 'first' : 'last' } : null);
}

/** UPDATE of many rows, each by its key: the last row given for a key wins. */
export function bulkUpdate<R extends Record<string, unknown>>(table: Table, key: keyof R & string, set: readonly (keyof R & string)[]): RowBuffer<R> {
  const keys = [key, ...set];
  const cols = keys.map((k) => column(table, k));
  const alias = cols.map((c) => quote(c.name)).join(', ');
  const assignments = cols.slice(1).map((c) => `${quote(c.name)} = u.${quote(c.name)}`);
  const text = `update ${quote(getTableName(table))} as t set ${assignments.join(', ')} from ${unnest(table, keys).from} as u(${alias}) where t.${quote(cols[0].name)} = u.${quote(cols[0].name)}`;
  return new RowBuffer<R>(text, keys, table, { key, keep: 'last' });
}
