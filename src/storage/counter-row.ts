/** The one mapping between a counter row (either backend) and its record. */
import type { CounterRecord } from "./records.ts";

export function counterFromRow(r: Record<string, unknown>): CounterRecord {
  const c: CounterRecord = {
    poolId: r.pool_id as string,
    key: r.key as string,
    count: Number(r.count),
    since: Number(r.since),
    expiresAt: Number(r.expires_at),
  };
  if (r.locked_until !== null && r.locked_until !== undefined) c.lockedUntil = Number(r.locked_until);
  return c;
}
