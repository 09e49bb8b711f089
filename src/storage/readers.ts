/**
 * The one helper that turns a backend's repositories into the storage's reader outside
 * transactions: every read of every repository (the names in contract/), each run through the
 * backend's `run` (SQLite: its exclusive lock; PostgreSQL: as is, on the batching reader). Writes
 * are not reachable from it.
 */
import type { ReadNames } from "./contract/common.ts";
import { REPOSITORIES, type Reader } from "./storage.ts";

/** Runs one read (the backend decides how: under a lock, or straight away). */
export type RunRead = <T>(read: () => Promise<T>) => Promise<T>;

type Method = (...args: unknown[]) => Promise<unknown>;

function readsOf<R extends object>(repository: R, names: ReadNames<R>, run: RunRead): R {
  const out: Record<string, Method> = {};
  for (const name of Object.keys(names)) {
    const method = (repository as unknown as Record<string, Method>)[name]!.bind(repository);
    out[name] = (...args) => run(() => method(...args));
  }
  return out as unknown as R;
}

/** The reader of a backend's repositories, each read going through `run`. */
export function readerOf(repositories: Reader, run: RunRead): Reader {
  const reader: Record<string, object> = {};
  for (const name of Object.keys(REPOSITORIES) as (keyof Reader)[])
    reader[name] = readsOf<object>(repositories[name], REPOSITORIES[name].reads as ReadNames<object>, run);
  return reader as unknown as Reader;
}
