/**
 * Cognito's temporary lockout: after five failed sign-ins with a password the user is locked out
 * for one second, the lockout doubling with each further failure up to about 15 minutes. Attempts
 * during a lockout are refused without checking the password and don't extend it. Fifteen minutes
 * without a failure start the count afresh.
 */
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import type { UserRecord } from "../../storage/records.ts";

export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 1000;
export const MAX_LOCK_MS = 15 * 60_000;
const RESET_AFTER_MS = 15 * 60_000;

export function passwordAttemptsExceeded(): NotAuthorizedException {
  return new NotAuthorizedException("Password attempts exceeded");
}

export function isLockedOut(user: UserRecord, now: number): boolean {
  return user.lockedUntil !== undefined && now < user.lockedUntil;
}

/** Throws while the user is locked out. */
export function checkLockout(user: UserRecord, now: number): void {
  if (isLockedOut(user, now)) throw passwordAttemptsExceeded();
}

/** The user after one more failed attempt at `now`. */
export function afterFailure(user: UserRecord, now: number): UserRecord {
  const stale = user.lastFailedSignIn === undefined || now - user.lastFailedSignIn > RESET_AFTER_MS;
  const failed = (stale ? 0 : (user.failedSignIns ?? 0)) + 1;
  const next: UserRecord = { ...user, failedSignIns: failed, lastFailedSignIn: now };
  if (failed >= FREE_ATTEMPTS) {
    next.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failed - FREE_ATTEMPTS));
  } else {
    delete next.lockedUntil;
  }
  return next;
}

/** The user after a successful sign-in: the count starts afresh. */
export function afterSuccess(user: UserRecord): UserRecord | undefined {
  if (user.failedSignIns === undefined && user.lockedUntil === undefined) return undefined;
  const next = { ...user };
  delete next.failedSignIns;
  delete next.lastFailedSignIn;
  delete next.lockedUntil;
  return next;
}
