/**
 * What the repositories of the PostgreSQL backend (one file each beside this one) share: reads for
 * the pool, reads and writes for a transaction.
 * Statements are prepared once per connection (parsed and planned once), except the list queries
 * whose best plan depends on the values (planned each time).
 *
 * Inside a transaction, reads of one pool, client, user, group or code lock that row
 * (FOR NO KEY UPDATE) until commit: the domain reads a record and writes it back changed, and under
 * READ COMMITTED two instances doing that at once would otherwise lose one of the changes. The lock
 * does not block inserts that merely reference the row (refresh tokens, codes, memberships).
 * Inserts that may meet a unique key use ON CONFLICT DO NOTHING and report the conflict themselves,
 * so the transaction stays usable after a DuplicateKeyError, as on SQLite.
 */
import { decodeCursor } from "../cursor.ts";
import type { Row } from "../rows.ts";
import { DuplicateKeyError } from "../storage.ts";
import { ReadBatcher } from "./batch.ts";
import type { Param } from "./rows.ts";

/** Something that runs one statement: the pool (reads) or one connection (a transaction). */
export interface Db {
  /**
   * Runs one statement, prepared once per connection (its plan reused), unless `planEachTime`:
   * statements whose best plan depends on the values (how many users a filter matches) are
   * planned for the values at hand every time.
   */
  query(
    sql: string,
    params: readonly Param[],
    planEachTime?: boolean,
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown }).code === UNIQUE_VIOLATION;
}

export const seqOf = (after: string | undefined): number => (after ? Number(decodeCursor(after, 1)[0]) : 0);
export const nameOf = (after: string | undefined): string => (after ? String(decodeCursor(after, 1)[0]) : "");

const NUL = "\u0000";

/**
 * A batcher of lookups by (pool_id, column): one key alone goes through `single` (its own prepared
 * statement); several, through one statement joining the keys (an unnest of two arrays).
 */
export function pairBatcher(
  db: Db,
  table: string,
  column: string,
  single: string,
): ReadBatcher<[string, string]> {
  const many = `SELECT t.* FROM unnest($1::text[], $2::text[]) AS k(pool_id, value) JOIN ${table} t ON t.pool_id = k.pool_id AND t.${column} = k.value`;
  return new ReadBatcher<[string, string]>({
    id: ([a, b]) => a + NUL + b,
    rowId: (r) => `${r.pool_id as string}${NUL}${r[column] as string}`,
    fetch: async (keys) =>
      keys.length === 1
        ? (await db.query(single, keys[0]!)).rows
        : (await db.query(many, [keys.map((k) => k[0]), keys.map((k) => k[1])])).rows,
  });
}

export function singleBatcher(db: Db, table: string, column: string, single: string): ReadBatcher<string> {
  const many = `SELECT * FROM ${table} WHERE ${column} = ANY($1::text[])`;
  return new ReadBatcher<string>({
    id: (k) => k,
    rowId: (r) => r[column] as string,
    fetch: async (keys) =>
      keys.length === 1 ? (await db.query(single, [keys[0]!])).rows : (await db.query(many, [keys])).rows,
  });
}

/** The base of every repository: one statement runner, and the row lock of its reads. */
export abstract class PgRepository {
  protected readonly db: Db;
  /** " FOR NO KEY UPDATE" inside a transaction, "" for reads outside one. */
  protected readonly lock: string;

  constructor(db: Db, inTransaction: boolean) {
    this.db = db;
    this.lock = inTransaction ? " FOR NO KEY UPDATE" : "";
  }

  protected async rows(sql: string, params: readonly Param[], planEachTime = false): Promise<Row[]> {
    return (await this.db.query(sql, params, planEachTime)).rows;
  }
  protected async one(sql: string, params: readonly Param[]): Promise<Row | undefined> {
    return (await this.db.query(sql, params)).rows[0];
  }
  protected async run(sql: string, params: readonly Param[]): Promise<number> {
    return (await this.db.query(sql, params)).rowCount;
  }
  /**
   * Runs several statements as one: when one meets a unique key, all of them are undone (back to a
   * savepoint) and DuplicateKeyError thrown, and the transaction goes on usable.
   */
  protected async atomically(what: string, fn: () => Promise<void>): Promise<void> {
    await this.run("SAVEPOINT lanyard_write", []);
    try {
      await fn();
    } catch (e) {
      await this.run("ROLLBACK TO SAVEPOINT lanyard_write", []);
      if (isUniqueViolation(e)) throw new DuplicateKeyError(what);
      throw e;
    }
    await this.run("RELEASE SAVEPOINT lanyard_write", []);
  }
}
