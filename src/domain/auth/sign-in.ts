/**
 * What every password flow (plain or SRP) shares: whom the USERNAME names, the password check with
 * its lockout, then the user's state decides between tokens and the next challenge.
 */

import { hidesUsers, type SignInCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import { decoyHash } from "../../crypto/password-hash.ts";
import { verifyPassword } from "../users/passwords.ts";
import { PasswordResetRequiredException, UserNotConfirmedException } from "../../generated/exceptions.ts";
import type { UserRecord } from "../../storage/records.ts";
import { findUser, subjectOf } from "../users/users.ts";
import type { Subject } from "../counters.ts";
import { reservePasswordCheck, settlePasswordCheck } from "./lockout.ts";
import { issueNewPasswordRequired } from "./challenges/new-password-required.ts";
import type { AuthOutcome } from "./types.ts";
import { mfaStep } from "./challenges/mfa.ts";
import { issueSignInTokens } from "./sign-in-tokens.ts";

export { issueSignInTokens };
import { userNotFound } from "../lookups.ts";
import { incorrectCredentials, userDisabled } from "../errors.ts";

/**
 * Whom a sign-in names: the user a USERNAME names (aliases included), and what its attempts count
 * against. An unknown name gets Cognito's error, unless the client hides which users exist: then
 * it is signed in like a user who gets every password wrong, and counted under its name.
 */
export interface SignInTarget {
  /** The USERNAME as given. */
  name: string;
  user: UserRecord | undefined;
  subject: Subject;
}

export async function signInUser(
  ctx: RequestContext,
  call: SignInCaller,
  username: string,
): Promise<SignInTarget> {
  const user = await findUser(ctx.services.storage, call.pool, username);
  if (user) return { name: username, user, subject: { sub: user.sub } };
  if (!hidesUsers(call)) throw userNotFound();
  return { name: username, user: undefined, subject: subjectOf(call.pool, undefined, username) };
}

/**
 * Checks a plain password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), lockout included: the
 * check is reserved first, so concurrent guesses never get more checks than the lockout allows. A
 * user whose password sign-in an administrator turned off (AdminDisableProviderForUser with
 * ProviderName `Cognito`) is answered as for a wrong password, whatever the password; so is an
 * unknown name (same work: one Argon2id verification).
 */
export async function checkPlainPassword(
  ctx: RequestContext,
  call: SignInCaller,
  target: SignInTarget,
  password: string,
): Promise<UserRecord> {
  const { name, user, subject } = target;
  await reservePasswordCheck(ctx, call.pool.id, subject, name);
  const hash = user && !user.passwordSignInDisabled ? user.password?.hash : undefined;
  const ok = (await verifyPassword(password, hash ?? decoyHash())) && hash !== undefined;
  await settlePasswordCheck(ctx, call.pool.id, subject, name, ok);
  if (!ok || !user) throw incorrectCredentials();
  return user;
}

/**
 * After a correct password: refuses a user who may not sign in (disabled, unconfirmed, reset
 * required); answers the challenge a user must meet first (a temporary password); undefined when
 * tokens may be issued. The API and the managed login pages both decide here.
 */
export async function nextSignInStep(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<AuthOutcome | undefined> {
  if (!user.enabled) throw userDisabled();
  switch (user.status) {
    case "UNCONFIRMED":
      throw new UserNotConfirmedException("User is not confirmed.");
    case "RESET_REQUIRED":
      throw new PasswordResetRequiredException("Password reset required for the user");
    case "FORCE_CHANGE_PASSWORD":
      return issueNewPasswordRequired(ctx, call, user);
    default:
      return undefined;
  }
}

/**
 * After a correct password: the user's state decides between tokens and a challenge (the user's
 * state, then MFA: domain/auth/challenges/mfa.ts).
 */
export async function completeSignIn(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<AuthOutcome> {
  const challenge = await nextSignInStep(ctx, call, user);
  if (challenge) return challenge;
  const mfa = await mfaStep(ctx, call, user);
  if (mfa) return mfa;
  return issueSignInTokens(ctx, call, user);
}
