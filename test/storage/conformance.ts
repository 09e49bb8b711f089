/**
 * What the conformance suites of test/storage (one file per repository of the storage contract,
 * src/storage/contract/) share. Each suite runs on every backend of backends.ts: SQLite always,
 * PostgreSQL when LANYARD_TEST_POSTGRES_URL is set (scripts/test.ts sets it).
 */
import type { UserRecord } from "../../src/storage/records.ts";
import type { Page, Storage } from "../../src/storage/storage.ts";
import type { Opened } from "./backends.ts";
import * as f from "./fixtures.ts";

/** Every item of a listing, following `next` cursors. */
export async function all<T>(list: (after?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** Byte order of UTF-8, as both backends compare text keys. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export async function insertUsers(s: Storage, users: UserRecord[]): Promise<void> {
  await s.transaction(async (tx) => {
    for (const u of users) await tx.users.insertUser(u);
  });
}

/** A new pool (with one app client) for one test. */
export async function newPool(s: Storage): Promise<{ poolId: string; clientId: string }> {
  const p = f.pool();
  const c = f.client(p.id);
  await s.transaction(async (tx) => {
    await tx.pools.insertPool(p);
    await tx.pools.insertClient(c);
  });
  return { poolId: p.id, clientId: c.clientId };
}

/** How many callers a race has. */
export const N = 8;

/** Runs fn N times at once, alternating between the two instances. */
export function race<T>(
  db: Opened,
  fn: (storage: Storage, i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: N }, (_, i) => fn(i % 2 ? db.peer : db.storage, i)));
}

export const values = <T>(results: PromiseSettledResult<T>[]): T[] =>
  results.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });
