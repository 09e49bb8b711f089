/**
 * What a signed-in user does with their access token: read their profile (GetUser), delete their
 * account (DeleteUser), change their password (ChangePassword) and sign out everywhere
 * (GlobalSignOut); and the administrator's AdminUserGlobalSignOut.
 */
import { recordPasswordEvent } from "../threats/auth-events.ts";
import { screenNewPassword } from "../threats/compromised.ts";
import type { RequestContext } from "../../context.ts";
import type { GetUserResponse } from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import type { TokenCaller } from "../caller.ts";
import type { Transaction } from "../../storage/storage.ts";
import { readableAttributes } from "./attribute-updates.ts";
import { reservePasswordCheck, settlePasswordCheck } from "../auth/lockout.ts";
import { checkPassword } from "./password-policy.ts";
import { newCredential, verifyPassword } from "./passwords.ts";
import { endAllSessions } from "../tokens/revocation.ts";
import { wireAttributes } from "./users.ts";
import { userMfa, wireMfa } from "../mfa/user-mfa.ts";
import { requirePool, requireUser, userNotFound } from "../lookups.ts";
import { attemptLimitExceeded, incorrectCredentials } from "../errors.ts";

/** The signed-in user re-read inside a transaction (what `LocateUser` of attribute updates wants). */
export function locateSignedIn(caller: TokenCaller) {
  return async (tx: Transaction): Promise<{ pool: PoolRecord; user: UserRecord }> => {
    const user = await tx.users.getUserBySub(caller.pool.id, caller.user.sub);
    if (!user) throw userNotFound();
    return { pool: caller.pool, user };
  };
}

/** GetUser: the attributes the app client may read, and the user's MFA settings. */
export async function getUser(ctx: RequestContext, caller: TokenCaller): Promise<GetUserResponse> {
  const { pool, client, user } = caller;
  return {
    Username: user.username,
    UserAttributes: wireAttributes(user, readableAttributes(pool, client, user)),
    ...wireMfa(await userMfa(ctx.services.storage, user)),
  };
}

/** DeleteUser: the account goes, and with it every token and code (storage cascades). */
export async function deleteSelf(ctx: RequestContext, caller: TokenCaller): Promise<void> {
  const { pool, user } = caller;
  await ctx.services.storage.transaction((tx) => tx.users.deleteUser(pool.id, user.sub));
}

/**
 * ChangePassword. The proposed password must meet the policy (checked first: a malformed request
 * counts as no attempt). The previous password is checked against its Argon2id hash and counts
 * like a sign-in for the lockout (reserved before it is verified, see auth/lockout.ts): a wrong one
 * is NotAuthorizedException, and while the user is locked out ChangePassword answers
 * LimitExceededException, as Cognito does. The history policy
 * is checked once the previous password is proven. Other sessions stay signed in.
 */
export async function changePassword(
  ctx: RequestContext,
  caller: TokenCaller,
  previous: string | undefined,
  proposed: string,
): Promise<void> {
  const { pool, user } = caller;
  checkPassword(proposed, pool.settings.Policies?.PasswordPolicy);
  if (user.password) {
    const subject = { sub: user.sub };
    await reservePasswordCheck(ctx, pool.id, subject, user.username, attemptLimitExceeded);
    const ok = previous !== undefined && (await verifyPassword(previous, user.password.hash));
    await settlePasswordCheck(ctx, pool.id, subject, user.username, ok);
    if (!ok) throw incorrectCredentials();
  }
  // Threat protection's compromised-credentials check (PASSWORD_CHANGE).
  const compromised = await screenNewPassword(ctx, pool, caller.clientId, "PASSWORD_CHANGE", proposed);
  // Hash outside the transaction: it is the slow part.
  const { credential, history } = await newCredential(pool, user, proposed, false, ctx.now);
  await ctx.services.storage.transaction(async (tx) => {
    const current = await tx.users.getUserBySub(pool.id, user.sub);
    if (!current) throw userNotFound();
    const next: UserRecord = { ...current, password: credential, updatedAt: ctx.now };
    if (history) next.passwordHistory = history;
    await tx.users.updateUser(next);
  });
  await recordPasswordEvent(ctx, pool, user, "PasswordChange", compromised);
}

/** GlobalSignOut: every session of the calling user ends, this one included. */
export async function globalSignOut(ctx: RequestContext, caller: TokenCaller): Promise<void> {
  const { pool, user } = caller;
  await ctx.services.storage.transaction(async (tx) => {
    const current = await tx.users.getUserBySub(pool.id, user.sub);
    if (!current) throw userNotFound();
    await tx.users.updateUser(await endAllSessions(tx, current, ctx.now));
  });
}

/** AdminUserGlobalSignOut: the same for a user an administrator names. */
export async function adminUserGlobalSignOut(
  ctx: RequestContext,
  poolId: string,
  username: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const user = await requireUser(tx, pool, username);
    await tx.users.updateUser(await endAllSessions(tx, user, ctx.now));
  });
}
