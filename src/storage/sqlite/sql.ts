/** What the repositories of the SQLite backend (one file each beside this one) share. */
import type { SQLInputValue, StatementSync } from "node:sqlite";

export type Row = Record<string, SQLInputValue>;

/** A row read as its values, in the order of the SELECT's columns. */
export type Values = unknown[];

/** A prepared statement that returns rows as arrays (node:sqlite's setReturnArrays). */
export interface ArrayStatement {
  get(...params: SQLInputValue[] | [Row]): Values | undefined;
  all(...params: SQLInputValue[] | [Row]): Values[];
}

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
  /** The prepared statement of this SQL returning rows as arrays of values (no property names to make). */
  qa(sql: string): ArrayStatement;
  /** Called whenever a pool row changes (settings, tags, user count, deletion). */
  poolChanged(poolId: string): void;
}

/** The base of every repository: the statements, handed to transactions and to reads outside them. */
export abstract class SqliteRepository {
  protected readonly q: (sql: string) => StatementSync;
  protected readonly qa: (sql: string) => ArrayStatement;
  protected readonly poolChanged: (poolId: string) => void;
  constructor(context: SqliteContext) {
    this.q = (sql) => context.q(sql);
    this.qa = (sql) => context.qa(sql);
    this.poolChanged = (poolId) => context.poolChanged(poolId);
  }
}
