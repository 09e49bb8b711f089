/**
 * Confirmation and verification codes: six random digits, kept only as an HMAC keyed with the
 * server secret (a database dump reveals no code), single use, replaced by the next code of the
 * same user and purpose, void after expiry or after too many wrong guesses.
 *
 * Two per-user limits bound guessing whatever the caller does (Cognito documents none; these are
 * Lanyard's, configurable as `codeLimits`): codes sent per window, and wrong codes entered per
 * window across all of a user's codes. Where the app client hides which users exist, a name no
 * user has is counted the same way, so the answers match.
 */
import { createHmac, randomInt } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import { CodeMismatchException, ExpiredCodeException } from "../../generated/exceptions.ts";
import type { AwsError } from "../../errors.ts";
import type { Transaction } from "../../storage/storage.ts";
import { audit } from "../audit.ts";
import { counterKey, countInWindow, type Subject, windowFull } from "../counters.ts";
import { attemptLimitExceeded } from "../errors.ts";

/** What a code is for: "signup", "forgot_password", or "verify:<attribute>". */
export type CodePurpose =
  | "signup"
  | "forgot_password"
  | `verify:${"email" | "phone_number"}`
  /** A sign-in code (MFA or a one-time-password first factor), by its channel: see auth/otp.ts. */
  | `sign_in:${"SMS" | "EMAIL"}`;

const HOUR = 60 * 60_000;
/** Sign-in codes (SMS and email MFA, email and SMS one-time passwords): three minutes, as Cognito's. */
export const SIGN_IN_CODE_MS = 3 * 60_000;

/**
 * How long a code stays valid. Cognito: sign-up confirmation and attribute verification codes are
 * valid for 24 hours, a forgot-password code for one hour.
 */
export function codeValidityMs(purpose: CodePurpose): number {
  if (purpose.startsWith("sign_in:")) return SIGN_IN_CODE_MS;
  return purpose === "forgot_password" ? HOUR : 24 * HOUR;
}

/** Wrong guesses a code survives; after that it is void until a new code replaces it. */
export const MAX_WRONG_GUESSES = 5;

export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function hashCode(
  secret: Buffer,
  poolId: string,
  sub: string,
  purpose: CodePurpose,
  code: string,
): string {
  return createHmac("sha256", secret).update(`${poolId}\0${sub}\0${purpose}\0${code}`).digest("base64url");
}

/** Counts one event in the window of the code limits. */
const countCode = (tx: Transaction, ctx: RequestContext, poolId: string, key: string, limit: number) =>
  countInWindow(tx, ctx.now, poolId, key, limit, ctx.services.config.codeLimits.windowSeconds * 1000);

/** Counts a code sent to `subject`; throws LimitExceededException past the limit. */
async function countCodeSend(tx: Transaction, ctx: RequestContext, poolId: string, subject: Subject) {
  const limit = ctx.services.config.codeLimits.sends;
  if (!(await countCode(tx, ctx, poolId, counterKey("code-send", subject), limit))) {
    audit(ctx, "code send refused: limit reached", { poolId, ...subject });
    throw attemptLimitExceeded();
  }
}

/**
 * A simulated code send (PreventUserExistenceErrors, for a name no user has or a user who gets no
 * code): counted like a real one, and it leaves a simulated code behind, whose wrong guesses are
 * counted like a real code's, so that every limit is reached alike.
 */
export async function simulateCodeSend(
  ctx: RequestContext,
  poolId: string,
  subject: Subject,
  purpose: CodePurpose,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await countCodeSend(tx, ctx, poolId, subject);
    const key = counterKey(`code-simulated:${purpose}`, subject);
    await tx.codes.putCounter({
      poolId,
      key,
      count: 0,
      since: ctx.now,
      expiresAt: ctx.now + codeValidityMs(purpose),
    });
  });
}

/**
 * A code entered where no real code is pending: wrong, and counted as a guess (against the
 * simulated code, if one was "sent", and against the user's or name's window).
 */
async function guessWithoutCode(
  tx: Transaction,
  ctx: RequestContext,
  poolId: string,
  subject: Subject,
  purpose: CodePurpose,
): Promise<"mismatch" | "exhausted"> {
  const guesses = counterKey("code-guess", subject);
  const limit = ctx.services.config.codeLimits.wrongGuesses;
  if (await windowFull(tx, ctx.now, poolId, guesses, limit)) return "exhausted";
  const simulated = await tx.codes.lockCounter(poolId, counterKey(`code-simulated:${purpose}`, subject));
  if (simulated.expiresAt > ctx.now) {
    if (simulated.count >= MAX_WRONG_GUESSES) return "exhausted";
    await tx.codes.putCounter({ ...simulated, count: simulated.count + 1 });
  }
  await countCode(tx, ctx, poolId, guesses, limit);
  return "mismatch";
}

/**
 * What a code entered for a name no user has, or for a user who must not be told apart from one,
 * answers (PreventUserExistenceErrors): a wrong code, counted like a real user's.
 */
export async function simulateWrongCode(
  ctx: RequestContext,
  poolId: string,
  subject: Subject,
  purpose: CodePurpose,
): Promise<never> {
  const outcome = await ctx.services.storage.transaction((tx) =>
    guessWithoutCode(tx, ctx, poolId, subject, purpose),
  );
  throw codeError(outcome);
}

/**
 * Stores a new code for the user and purpose (replacing any earlier one) and returns it in clear.
 * Throws LimitExceededException once the user was sent the most codes a window allows.
 */
export async function issueCode(
  tx: Transaction,
  ctx: RequestContext,
  poolId: string,
  sub: string,
  purpose: CodePurpose,
): Promise<string> {
  await countCodeSend(tx, ctx, poolId, { sub });
  const code = generateCode();
  await tx.codes.putCode({
    poolId,
    sub,
    purpose,
    codeHash: hashCode(ctx.services.serverSecret, poolId, sub, purpose, code),
    expiresAt: ctx.now + codeValidityMs(purpose),
    attempts: 0,
    createdAt: ctx.now,
  });
  return code;
}

export type CodeOutcome = "ok" | "missing" | "expired" | "mismatch" | "exhausted";

/**
 * Checks a code and, when it is right, consumes it (exactly one concurrent caller succeeds). A
 * wrong guess is counted. The caller must let the transaction commit before it throws
 * `codeError(outcome)`, or the count is rolled back with it: see `redeemCodeOrThrow`.
 */
export async function redeemCode(
  tx: Transaction,
  ctx: RequestContext,
  poolId: string,
  sub: string,
  purpose: CodePurpose,
  given: string,
): Promise<CodeOutcome> {
  const stored = await tx.codes.getCode(poolId, sub, purpose);
  // A code entered where none was sent is a guess too.
  if (!stored) {
    const outcome = await guessWithoutCode(tx, ctx, poolId, { sub }, purpose);
    return outcome === "exhausted" ? outcome : "missing";
  }
  const guesses = counterKey("code-guess", { sub });
  const limit = ctx.services.config.codeLimits.wrongGuesses;
  if (await windowFull(tx, ctx.now, poolId, guesses, limit)) return "exhausted";
  if (stored.expiresAt <= ctx.now) return "expired";
  if (stored.attempts >= MAX_WRONG_GUESSES) return "exhausted";
  const hash = hashCode(ctx.services.serverSecret, poolId, sub, purpose, given);
  if (!safeEqual(hash, stored.codeHash)) {
    await tx.codes.countCodeAttempt(poolId, sub, purpose);
    await countCode(tx, ctx, poolId, guesses, limit);
    return "mismatch";
  }
  return (await tx.codes.consumeCode(poolId, sub, purpose, hash)) ? "ok" : "missing";
}

export function codeMismatch(): CodeMismatchException {
  return new CodeMismatchException("Invalid verification code provided, please try again.");
}

/**
 * Cognito's answers: a wrong code is CodeMismatchException; an expired code, or none requested,
 * ExpiredCodeException; a code after too many wrong guesses LimitExceededException.
 */
export function codeError(outcome: Exclude<CodeOutcome, "ok">): AwsError {
  switch (outcome) {
    case "mismatch":
      return codeMismatch();
    case "exhausted":
      return attemptLimitExceeded();
    default:
      return new ExpiredCodeException("Invalid code provided, please request a code again.");
  }
}

/**
 * Redeems a code and, when it is right, runs `apply` in the same transaction (so a failure there
 * leaves the code unused). A wrong code is counted (committed) and then thrown as Cognito does.
 * With `hideUsers` (PreventUserExistenceErrors), no code at all is answered as a wrong code, as for a
 * name no user has.
 */
export async function redeemCodeOrThrow<T>(
  ctx: RequestContext,
  poolId: string,
  sub: string,
  purpose: CodePurpose,
  given: string,
  apply: (tx: Transaction) => Promise<T>,
  hideUsers = false,
): Promise<T> {
  const result = await ctx.services.storage.transaction(
    async (tx): Promise<{ outcome: "ok"; value: T } | { outcome: Exclude<CodeOutcome, "ok"> }> => {
      const outcome = await redeemCode(tx, ctx, poolId, sub, purpose, given);
      if (outcome !== "ok") return { outcome };
      return { outcome, value: await apply(tx) };
    },
  );
  if (result.outcome === "missing" && hideUsers) throw codeMismatch();
  if (result.outcome !== "ok") throw codeError(result.outcome);
  return result.value;
}
