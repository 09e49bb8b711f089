/** What the repositories of the SQLite backend (one file each beside this one) share. */
import type { SQLInputValue, StatementSync } from "node:sqlite";

export type Row = Record<string, SQLInputValue>;

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { errcode?: number }).errcode;
  return code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY;
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
