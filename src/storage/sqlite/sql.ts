/** What the repositories of the SQLite backend (one file each beside this one) share. */
import type { SQLInputValue, StatementSync } from "node:sqlite";
import { encodeCursor } from "../cursor.ts";
import type { Page } from "../storage.ts";

export type Row = Record<string, SQLInputValue>;

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { errcode?: number }).errcode;
  return code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY;
}

export function page<T>(
  rows: Row[],
  limit: number,
  map: (r: Row) => T,
  key: (r: Row) => (string | number | null)[],
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const result: Page<T> = { items: kept.map(map) };
  if (more) result.next = encodeCursor(key(kept[kept.length - 1]!));
  return result;
}

/** The connection's statements, and what a repository tells the storage. */
export interface SqliteContext {
  /** The prepared statement of this SQL (prepared once). */
  q(sql: string): StatementSync;
  /** Called whenever a pool row changes (settings, tags, user count, deletion). */
  poolChanged(poolId: string): void;
}

/** The base of every repository: the statements, handed to transactions and to reads outside them. */
export abstract class SqliteRepository {
  protected readonly q: (sql: string) => StatementSync;
  protected readonly poolChanged: (poolId: string) => void;
  constructor(context: SqliteContext) {
    this.q = (sql) => context.q(sql);
    this.poolChanged = (poolId) => context.poolChanged(poolId);
  }
}
