/**
 * Opens the storage the configuration names: PostgreSQL for a postgres:// URL, otherwise the
 * embedded SQLite database (in a data directory, or in memory).
 */
import type { Config } from "../config/config.ts";
import type { Storage } from "./storage.ts";

export { DataDirError } from "./sqlite/data-dir.ts";

export type StorageConfig = Pick<Config, "storage" | "dataDir" | "memory">;

/** True when the storage setting names a PostgreSQL database. */
export function isPostgresUrl(storage: string): boolean {
  return /^postgres(ql)?:\/\//i.test(storage);
}

/**
 * The storage, opened but not yet migrated. Throws DataDirError when the SQLite data directory or
 * its files are open to others. Only the chosen backend is loaded: the PostgreSQL driver alone
 * would add about 10 MB to an embedded server's memory.
 */
export async function openStorage(config: StorageConfig, onError?: (e: Error) => void): Promise<Storage> {
  if (isPostgresUrl(config.storage)) {
    const { PostgresStorage } = await import("./postgres/postgres-storage.ts");
    return new PostgresStorage({ url: config.storage, onError });
  }
  const { SqliteStorage } = await import("./sqlite/sqlite-storage.ts");
  return new SqliteStorage(config.memory ? { memory: true } : { dir: config.dataDir });
}

/** Where the data lives, for the start-up line (never shows a password). */
export function describeStorage(config: StorageConfig): string {
  if (isPostgresUrl(config.storage)) {
    const u = new URL(config.storage);
    return `PostgreSQL at ${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  }
  return config.memory ? "SQLite in memory" : `SQLite in ${config.dataDir}`;
}
