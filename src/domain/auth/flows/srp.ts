/** USER_SRP_AUTH: the first round trip, answered with a PASSWORD_VERIFIER challenge. */
import type { SignInCaller } from "../../caller.ts";
import { createHmac } from "node:crypto";
import type { RequestContext } from "../../../context.ts";
import { fakeVerifier, isValidSrpA } from "../../../crypto/srp.ts";
import { InvalidParameterException, PasswordResetRequiredException } from "../../../generated/exceptions.ts";
import type { PoolRecord, UserRecord } from "../../../storage/records.ts";
import { usernameKey } from "../../users/users.ts";
import { issuePasswordVerifier } from "../challenges/password-verifier.ts";
import { checkLockout } from "../lockout.ts";
import { required } from "../params.ts";
import { beginSignIn, signInUser } from "../sign-in.ts";
import type { AuthFlow, AuthParams, AuthStep } from "../types.ts";

export const userSrpAuth: AuthFlow = {
  allow: "ALLOW_USER_SRP_AUTH",
  username: true,
  run: (ctx, call, params, username) => srpFlow(ctx, call, params, username),
};

/**
 * The SRP start of a USERNAME with SRP_A (also USER_AUTH's PASSWORD_SRP first factor, whose
 * sign-in has begun already: `begin` false, no second PreAuthentication).
 */
export async function srpFlow(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  username: string,
  begin = true,
): Promise<AuthStep> {
  const A = required(params, "SRP_A");
  if (!isValidSrpA(A)) throw new InvalidParameterException("Invalid SRP_A value.");
  const { user, subject } = begin
    ? await beginSignIn(ctx, call, username)
    : await signInUser(ctx, call, username);
  await checkLockout(ctx, call.pool.id, subject);
  // A user imported without a password (a CSV import job) has no verifier to prove against.
  if (user && !user.password && user.status === "RESET_REQUIRED")
    throw new PasswordResetRequiredException("Password reset required for the user");
  // An unknown user (only reached when the client hides user existence) gets a stable simulated
  // id, a stable fake salt and a real-looking B, at the cost of a real user's challenge; the claim
  // that follows fails like a wrong password.
  const id = user?.username ?? simulatedUserId(ctx, call.pool, username);
  return issuePasswordVerifier(ctx, call, {
    user,
    subject,
    id,
    A,
    material: srpMaterial(ctx, call.pool, user, id),
  });
}

/** The user's SRP salt and verifier, or a stable fake pair for `id` (an unknown name, no verifier). */
export function srpMaterial(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord | undefined,
  id: string,
): { salt: string; verifier: string } {
  return user?.password?.srpVerifier && user.password.srpSalt
    ? { salt: user.password.srpSalt, verifier: user.password.srpVerifier }
    : fakeVerifier(pool.id, usernameKey(pool, id), ctx.services.serverSecret);
}

/**
 * USER_ID_FOR_SRP for a name no user has. A real user's is their username: in pools that sign in
 * with email or phone as the username that is a generated UUID, and in alias pools a name in email
 * or phone form is an alias, never a username. There the unknown name gets a UUID derived from the
 * server secret (stable, so a repeated attempt sees the same); elsewhere the name itself, as a real
 * user who typed their username sees it.
 */
export function simulatedUserId(ctx: RequestContext, pool: PoolRecord, name: string): string {
  const s = pool.settings;
  const aliasForm = (s.AliasAttributes ?? []).length > 0 && /^\+|@/.test(name);
  if ((s.UsernameAttributes ?? []).length === 0 && !aliasForm) return name;
  const h = createHmac("sha256", ctx.services.serverSecret)
    .update(`lanyard-srp-user-id\0${pool.id}\0${usernameKey(pool, name)}`)
    .digest("hex");
  // Formatted as a version 4 UUID, like a generated username.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
