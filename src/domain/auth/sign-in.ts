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
import { issueTokens } from "../tokens/issuer.ts";
import { findUser, subjectOf } from "../users/users.ts";
import { migratedUser } from "../users/migration.ts";
import type { Subject } from "../counters.ts";
import { reservePasswordCheck, settlePasswordCheck } from "./lockout.ts";
import { issueNewPasswordRequired } from "./challenges/new-password-required.ts";
import { deviceChallenge } from "./challenges/device-srp-auth.ts";
import { deviceSkipsMfa, trackSignInDevice } from "../devices/sign-in.ts";
import { mfaStep } from "./challenges/mfa.ts";
import type { AuthOutcome, SignedIn } from "./types.ts";
import { userNotFound } from "../lookups.ts";
import { incorrectCredentials, userDisabled } from "../errors.ts";
import { postAuthentication, preAuthentication } from "../triggers/authentication.ts";
import { API_SIGN_IN_END, guardSignIn, recordFailedSignIn } from "../threats/risk.ts";

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
 * The start of a sign-in (InitiateAuth's first step, the managed login's form): whom the name
 * names (signInUser), a user the pool's UserMigration function vouches for when a password names
 * an unknown user, then PreAuthentication, which may deny the sign-in before anything is checked.
 * The later steps of the same sign-in (challenge answers) use signInUser and fire neither.
 */
export async function beginSignIn(
  ctx: RequestContext,
  call: SignInCaller,
  username: string,
  password?: string,
): Promise<SignInTarget> {
  let user = await findUser(ctx.services.storage, call.pool, username);
  // A sign-in with a password names an unknown user: the pool's UserMigration function may vouch for it.
  if (!user && password !== undefined)
    user = await migratedUser(
      ctx,
      call.pool,
      "UserMigration_Authentication",
      username,
      call.client.clientId,
      password,
      call.validationData,
      hidesUsers(call),
    );
  if (!user && !hidesUsers(call)) throw userNotFound();
  // PreAuthentication may deny the sign-in before anything is checked.
  await preAuthentication(
    ctx,
    call.pool,
    call.client.clientId,
    hidesUsers(call),
    username,
    user,
    call.validationData,
  );
  if (user) return { name: username, user, subject: { sub: user.sub } };
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
  // A user imported without a password (a CSV import job) has none to check: Cognito answers any
  // password with the reset it needs.
  if (user && !user.password && user.status === "RESET_REQUIRED")
    throw new PasswordResetRequiredException("Password reset required for the user");
  if (!ok && user) await recordFailedSignIn(ctx, call, user);
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
 * After a correct password: the user's state decides between tokens and a challenge, in Cognito's
 * order: the user's state, a remembered device standing in for MFA (DEVICE_SRP_AUTH), MFA, then
 * issueSignInTokens.
 */
export async function completeSignIn(
  ctx: RequestContext,
  call: SignInCaller,
  step: SignedIn,
): Promise<AuthOutcome> {
  const challenge = await nextSignInStep(ctx, call, step.signedIn);
  if (challenge) return challenge;
  // Threat protection (domain/threats/) judges and records the sign-in; it may block it or ask for MFA.
  return guardSignIn(
    ctx,
    call,
    step,
    async () => {
      const device = await deviceChallenge(ctx, call, step, "instead-of-mfa");
      if (device) return device;
      // MFA (challenges/mfa.ts), unless answered already or replaced by a remembered device.
      if (!step.mfaSettled && !(await deviceSkipsMfa(ctx, call.pool, step.signedIn, step))) {
        const mfa = await mfaStep(ctx, call, step.signedIn, step.deviceKey);
        if (mfa) return mfa;
      }
      return issueSignInTokens(ctx, call, step);
    },
    API_SIGN_IN_END,
  );
}

/**
 * The end of every sign-in (MFA answers end here too): a tracked device that has not proved itself
 * yet does so now (DEVICE_SRP_AUTH); then the tokens, with NewDeviceMetadata for a sign-in without
 * a device key in a pool that tracks devices.
 */
export async function issueSignInTokens(
  ctx: RequestContext,
  call: SignInCaller,
  step: SignedIn,
): Promise<AuthOutcome> {
  const device = await deviceChallenge(ctx, call, step, "after-mfa");
  if (device) return device;
  const user = step.signedIn;
  const tracked = await trackSignInDevice(ctx, call.pool, user, step);
  // The sign-in is complete (password, MFA, device): PostAuthentication, then the tokens.
  await postAuthentication(
    ctx,
    call.pool,
    call.client.clientId,
    user,
    tracked.newDevice !== undefined,
    call.clientMetadata,
  );
  const result = await issueTokens(ctx, {
    pool: call.pool,
    client: call.client,
    user,
    authTime: ctx.now,
    withRefreshToken: true,
    ...(tracked.deviceKey === undefined ? {} : { deviceKey: tracked.deviceKey }),
    ...(step.completedBy === undefined
      ? {}
      : { tokenSource: `TokenGeneration_${step.completedBy}` as const }),
    clientMetadata: call.clientMetadata,
  });
  if (tracked.newDevice) result.NewDeviceMetadata = tracked.newDevice;
  return { ChallengeParameters: {}, AuthenticationResult: result };
}
