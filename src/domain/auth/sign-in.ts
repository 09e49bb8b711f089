/**
 * What happens once a password (plain or SRP) has been checked: lockout bookkeeping, the user's
 * state, then tokens or the next challenge. Shared by every password flow.
 */

import type { RequestContext } from "../../context.ts";
import { decoyHash, verifyPassword } from "../../crypto/password-hash.ts";
import {
  NotAuthorizedException,
  PasswordResetRequiredException,
  UserNotConfirmedException,
} from "../../generated/exceptions.ts";
import type { UserRecord } from "../../storage/records.ts";
import { issueTokens } from "../tokens/issuer.ts";
import { findUser, userNotFound } from "../users.ts";
import { afterFailure, afterSuccess, checkLockout } from "./lockout.ts";
import { openSession } from "./sessions.ts";
import type { AuthCall, AuthOutcome } from "./types.ts";

export function incorrectCredentials(): NotAuthorizedException {
  return new NotAuthorizedException("Incorrect username or password.");
}

/** True when the client hides whether a user exists (PreventUserExistenceErrors ENABLED). */
export function hidesUsers(call: AuthCall): boolean {
  return call.client.settings.PreventUserExistenceErrors === "ENABLED";
}

/** The user a USERNAME names (aliases included), or the error Cognito gives for an unknown one. */
export async function signInUser(
  ctx: RequestContext,
  call: AuthCall,
  username: string,
): Promise<UserRecord | undefined> {
  const user = await findUser(ctx.services.storage, call.pool, username);
  if (user) return user;
  if (!hidesUsers(call)) throw userNotFound();
  return undefined;
}

/**
 * Checks a plain password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), lockout included. A user
 * whose password sign-in an administrator turned off (AdminDisableProviderForUser with ProviderName
 * `Cognito`) is answered as for a wrong password, whatever the password.
 */
export async function checkPlainPassword(
  ctx: RequestContext,
  call: AuthCall,
  user: UserRecord | undefined,
  password: string,
): Promise<UserRecord> {
  if (!user) {
    await verifyPassword(password, decoyHash());
    throw incorrectCredentials();
  }
  if (user.passwordSignInDisabled) {
    await verifyPassword(password, decoyHash());
    throw incorrectCredentials();
  }
  checkLockout(user, ctx.now);
  const ok = user.password !== undefined && (await verifyPassword(password, user.password.hash));
  return settleAttempt(ctx, user, ok);
}

/**
 * Counts a password check for the lockout (a failure, or a success that starts the count afresh)
 * and returns the user as stored afterwards. Sign-in and ChangePassword both count this way.
 */
export async function recordPasswordAttempt(
  ctx: RequestContext,
  user: UserRecord,
  ok: boolean,
): Promise<UserRecord> {
  return ctx.services.storage.transaction(async (tx) => {
    const current = (await tx.getUserBySub(user.poolId, user.sub)) ?? user;
    const next = ok ? afterSuccess(current) : afterFailure(current, ctx.now);
    if (next) await tx.updateUser(next);
    return next ?? current;
  });
}

/** Records the outcome of a sign-in's password check; throws for a wrong password. */
export async function settleAttempt(ctx: RequestContext, user: UserRecord, ok: boolean): Promise<UserRecord> {
  const latest = await recordPasswordAttempt(ctx, user, ok);
  if (!ok) throw incorrectCredentials();
  return latest;
}

/** After a correct password: the user's state decides between tokens and a challenge. */
export async function completeSignIn(
  ctx: RequestContext,
  call: AuthCall,
  user: UserRecord,
): Promise<AuthOutcome> {
  if (!user.enabled) throw new NotAuthorizedException("User is disabled.");
  switch (user.status) {
    case "UNCONFIRMED":
      throw new UserNotConfirmedException("User is not confirmed.");
    case "RESET_REQUIRED":
      throw new PasswordResetRequiredException("Password reset required for the user");
    case "FORCE_CHANGE_PASSWORD":
      return newPasswordRequired(ctx, call, user);
    default:
      return {
        ChallengeParameters: {},
        AuthenticationResult: await issueTokens(ctx, {
          pool: call.pool,
          client: call.client,
          user,
          authTime: ctx.now,
          withRefreshToken: true,
        }),
      };
  }
}

/** Attributes a user must supply with a new password: the pool's required ones they lack. */
export function missingRequiredAttributes(call: AuthCall, user: UserRecord): string[] {
  return (call.pool.settings.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name !== "sub" && user.attributes[a.Name!] === undefined)
    .map((a) => a.Name!);
}

async function newPasswordRequired(
  ctx: RequestContext,
  call: AuthCall,
  user: UserRecord,
): Promise<AuthOutcome> {
  const days = call.pool.settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
  if (user.password?.temporary && ctx.now > user.password.setAt + days * 86_400_000)
    throw new NotAuthorizedException("Temporary password has expired and must be reset by an administrator.");
  const Session = await openSession(ctx, call.client, {
    challenge: "NEW_PASSWORD_REQUIRED",
    sub: user.sub,
    admin: call.admin,
  });
  return {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    Session,
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(
        missingRequiredAttributes(call, user).map((n) => `userAttributes.${n}`),
      ),
      userAttributes: JSON.stringify(user.attributes),
    },
  };
}
