/**
 * Cognito's temporary lockout: after five failed sign-ins with a password the user is locked out
 * for one second, the lockout doubling with each further failure up to about 15 minutes. Attempts
 * during a lockout are refused without checking the password and don't extend it. Fifteen minutes
 * without a failure start the count afresh.
 *
 * The count lives in a storage counter, one per subject: a user (by sub, whatever name they sign in
 * with) or, where the app client hides which users exist, a name no user has, so that an unknown
 * name locks out exactly like a real user. Each check is reserved before the password is verified:
 * in one transaction the lock is checked and the attempt counted as a failure; a correct password
 * then clears the count. So however many guesses arrive at once, on however many instances, no more
 * than the allowed number are ever verified.
 */
import type { RequestContext } from "../../context.ts";
import type { AwsError } from "../../errors.ts";
import type { CounterRecord } from "../../storage/records.ts";
import { audit } from "../audit.ts";
import { counterKey, type Subject } from "../counters.ts";
import { passwordAttemptsExceeded } from "../errors.ts";

export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 1000;
export const MAX_LOCK_MS = 15 * 60_000;
const RESET_AFTER_MS = 15 * 60_000;

export function signInCounterKey(subject: Subject): string {
  return counterKey("sign-in", subject);
}

export function isLockedOut(counter: CounterRecord, now: number): boolean {
  return counter.expiresAt > now && counter.lockedUntil !== undefined && now < counter.lockedUntil;
}

/** The counter after one more failed attempt at `now`. */
export function afterFailure(counter: CounterRecord, now: number): CounterRecord {
  const stale = counter.expiresAt <= now || now - counter.since > RESET_AFTER_MS;
  const failed = (stale ? 0 : counter.count) + 1;
  const next: CounterRecord = {
    poolId: counter.poolId,
    key: counter.key,
    count: failed,
    since: now,
    expiresAt: 0,
  };
  if (failed >= FREE_ATTEMPTS)
    next.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failed - FREE_ATTEMPTS));
  // Kept while it can still lock, or still count towards a lock (through the whole quiet period).
  next.expiresAt = Math.max(next.lockedUntil ?? 0, now + RESET_AFTER_MS + 1);
  return next;
}

/**
 * Reserves one password check for `subject`: throws `locked()` (Cognito's "Password attempts
 * exceeded" unless told otherwise) while the subject is locked out, and otherwise counts the
 * attempt as a failure before the password is verified. Call `settlePasswordCheck` with the
 * outcome once it is known.
 */
export async function reservePasswordCheck(
  ctx: RequestContext,
  poolId: string,
  subject: Subject,
  username: string,
  locked: () => AwsError = passwordAttemptsExceeded,
): Promise<void> {
  const key = signInCounterKey(subject);
  const refused = await ctx.services.storage.transaction(async (tx) => {
    const counter = await tx.codes.lockCounter(poolId, key);
    if (isLockedOut(counter, ctx.now)) return true;
    await tx.codes.putCounter(afterFailure(counter, ctx.now));
    return false;
  });
  if (refused) {
    audit(ctx, "password check refused: locked out", { poolId, username, ...subject });
    throw locked();
  }
}

/** Throws `passwordAttemptsExceeded()` while the subject is locked out (nothing is counted). */
export async function checkLockout(ctx: RequestContext, poolId: string, subject: Subject): Promise<void> {
  const key = signInCounterKey(subject);
  const counter = await ctx.services.storage.transaction((tx) => tx.codes.lockCounter(poolId, key));
  if (isLockedOut(counter, ctx.now)) throw passwordAttemptsExceeded();
}

/** A correct password starts the count afresh; a wrong one was counted when it was reserved. */
export async function settlePasswordCheck(
  ctx: RequestContext,
  poolId: string,
  subject: Subject,
  username: string,
  ok: boolean,
): Promise<void> {
  if (ok) await clearLockout(ctx, poolId, subject);
  else audit(ctx, "password check failed", { poolId, username, ...subject });
}

/** Forgets the failed sign-ins of a subject (a correct password, a password reset). */
export async function clearLockout(ctx: RequestContext, poolId: string, subject: Subject): Promise<void> {
  await ctx.services.storage.transaction((tx) => tx.codes.deleteCounter(poolId, signInCounterKey(subject)));
}
