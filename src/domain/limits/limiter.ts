/**
 * The request-rate limiter: token buckets in memory, one per (region, category) for the account's
 * category quotas, one per (region, pool, operation) for the per-pool quota of the UserPool*
 * categories, and the challenge bucket of RespondToAuthChallenge (three times UserAuthentication,
 * beyond which challenges count against UserAuthentication itself).
 *
 * Each bucket refills at its rate and holds one second's worth. Several instances on one database
 * share each limit: every instance enforces `limit / live instances` (LimitsSync counts them), so
 * the service as a whole stays within the limit when requests are spread across the instances.
 */
import type { RequestLimiter } from "../../context.ts";
import {
  CATEGORIES,
  type Category,
  CHALLENGE_MULTIPLIER,
  CHALLENGE_OPERATIONS,
  isCategory,
  OPERATION_CATEGORY,
  PER_POOL_OPERATION_RPS,
} from "./categories.ts";
import type { RateLimitRates } from "./settings.ts";

interface Bucket {
  tokens: number;
  /** When tokens were last counted, in milliseconds. */
  at: number;
}

/** Buckets not touched for this long are dropped (they would be full again anyway). */
const IDLE_MS = 60_000;

export class RateLimiter implements RequestLimiter {
  private readonly free: RateLimitRates;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  /** Provisioned limits by `<region>\0<category>`. */
  private provisionedLimits = new Map<string, number>();
  private share = 1;
  private lastSweep = 0;
  /** Run when the instance stops (LimitsSync's leave). */
  onClose: () => Promise<void> = async () => {};

  constructor(free: RateLimitRates, now: () => number = () => performance.now()) {
    this.free = free;
    this.now = now;
  }

  /** The rate a category is held to in a region, for the whole service. */
  limitOf(region: string, category: Category): number {
    const provisioned = this.provisionedLimits.get(`${region}\0${category}`);
    return provisioned !== undefined && CATEGORIES[category].adjustable ? provisioned : this.free[category];
  }

  admit(operation: string, region: string, poolId: string | undefined): boolean {
    const category = (OPERATION_CATEGORY as Record<string, Category | null | undefined>)[operation];
    if (!category) return true;
    const t = this.now();
    this.sweep(t);
    const limit = this.limitOf(region, category) / this.share;
    if (CHALLENGE_OPERATIONS.has(operation)) {
      const challenge = this.bucket(`${region}\0challenge`, limit * CHALLENGE_MULTIPLIER, t);
      if (challenge.tokens >= 1) {
        challenge.tokens -= 1;
        return true;
      }
    }
    const account = this.bucket(`${region}\0${category}`, limit, t);
    let pool: Bucket | undefined;
    if ("perPool" in CATEGORIES[category] && poolId !== undefined)
      pool = this.bucket(`${region}\0${poolId}\0${operation}`, PER_POOL_OPERATION_RPS / this.share, t);
    if (account.tokens < 1 || (pool && pool.tokens < 1)) return false;
    account.tokens -= 1;
    if (pool) pool.tokens -= 1;
    return true;
  }

  provisioned(region: string, category: string, value: number): void {
    this.provisionedLimits.set(`${region}\0${category}`, value);
  }

  /** The provisioned limits and the number of live instances, as LimitsSync last read them. */
  update(provisioned: ReadonlyArray<{ region: string; category: string; value: number }>, instances: number) {
    const next = new Map<string, number>();
    for (const p of provisioned) if (isCategory(p.category)) next.set(`${p.region}\0${p.category}`, p.value);
    this.provisionedLimits = next;
    this.share = Math.max(1, instances);
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /** The bucket, refilled to now at `rate` per second; it holds one second's worth (at least one request). */
  private bucket(key: string, rate: number, t: number): Bucket {
    const capacity = Math.max(1, rate);
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, at: t };
      this.buckets.set(key, b);
      return b;
    }
    // Refilled at the rate in force now: a limit raised (or shared anew) applies to the time since the last count.
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    return b;
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < IDLE_MS) return;
    this.lastSweep = t;
    for (const [key, b] of this.buckets) if (t - b.at > IDLE_MS) this.buckets.delete(key);
  }
}
