/**
 * Counting events per subject of a pool, in storage counters (see CounterRecord): who a count is
 * about, and fixed-window counts. The lockout (auth/lockout.ts) and the code limits (codes.ts) are
 * built on these.
 */
import type { Transaction } from "../storage/storage.ts";

/** Whom an attempt counts against: a user, or (where users are hidden) a name no user has. */
export type Subject = { sub: string } | { unknownName: string };

/** The counter key of what is counted (`what`) for a subject. */
export function counterKey(what: string, subject: Subject): string {
  return "sub" in subject ? `${what}:${subject.sub}` : `${what}:name:${subject.unknownName}`;
}

/**
 * Counts one event against a fixed-window counter (the window opens at its first event); false,
 * and nothing counted, when the window already holds `limit` events.
 */
export async function countInWindow(
  tx: Transaction,
  now: number,
  poolId: string,
  key: string,
  limit: number,
  windowMs: number,
): Promise<boolean> {
  const c = await tx.codes.lockCounter(poolId, key);
  const live = c.expiresAt > now;
  if (live && c.count >= limit) return false;
  await tx.codes.putCounter(
    live ? { ...c, count: c.count + 1 } : { poolId, key, count: 1, since: now, expiresAt: now + windowMs },
  );
  return true;
}

/** True while the window of `key` holds `limit` events. */
export async function windowFull(
  tx: Transaction,
  now: number,
  poolId: string,
  key: string,
  limit: number,
): Promise<boolean> {
  const c = await tx.codes.lockCounter(poolId, key);
  return c.expiresAt > now && c.count >= limit;
}
