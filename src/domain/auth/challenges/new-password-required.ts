/**
 * NEW_PASSWORD_REQUIRED: issued when a user signs in with a temporary password, answered with the
 * password they choose. An answer refused for
 * its content (the password policy or history, missing, unknown or malformed attributes, attributes
 * the client may not write, an alias another user holds) leaves the session usable, so the user
 * answers again on it, as Amplify's UI and amazon-cognito-identity-js do; the session is consumed in
 * the transaction that sets the password.
 */
import { screenNewPassword } from "../../threats/compromised.ts";
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { InvalidParameterException, NotAuthorizedException } from "../../../generated/exceptions.ts";
import { newCredential } from "../../users/passwords.ts";
import { checkAttributes, claimAliases } from "../../users/users.ts";
import { required } from "../params.ts";
import { consumeSession, openSession, readSession } from "../sessions.ts";
import type { UserRecord } from "../../../storage/records.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep } from "../types.ts";
import { sessionExpired, unauthorizedAttribute } from "../../errors.ts";

/** Attributes a user must supply with a new password: the pool's required ones they lack. */
function missingRequiredAttributes(call: SignInCaller, user: UserRecord): string[] {
  return (call.pool.settings.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name !== "sub" && user.attributes[a.Name!] === undefined)
    .map((a) => a.Name!);
}

/** Issued when a user signs in with a temporary password (FORCE_CHANGE_PASSWORD). */
export async function issueNewPasswordRequired(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<AuthOutcome> {
  const days = call.pool.settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
  if (user.password?.temporary && ctx.now > user.password.setAt + days * 86_400_000)
    throw new NotAuthorizedException("Temporary password has expired and must be reset by an administrator.");
  const Session = await openSession(ctx, call.client, {
    challenge: "NEW_PASSWORD_REQUIRED",
    sub: user.sub,
    admin: call.kind === "adminClient",
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

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
): Promise<AuthStep> {
  const newPassword = required(responses, "NEW_PASSWORD");
  if (!session) throw sessionExpired();
  const state = await readSession(ctx, call.client, session);
  if (state.challenge !== "NEW_PASSWORD_REQUIRED") throw sessionExpired();
  const { storage } = ctx.services;
  const user = await storage.users.getUserBySub(call.pool.id, String(state.sub));
  if (user?.status !== "FORCE_CHANGE_PASSWORD") throw sessionExpired();

  const attrs = new Map<string, string>();
  for (const [key, value] of Object.entries(responses ?? {}))
    if (key.startsWith("userAttributes.")) attrs.set(key.slice("userAttributes.".length), value);
  checkAttributes(call.pool, attrs, "update");
  const writable = call.client.settings.WriteAttributes;
  if (writable?.length) {
    for (const name of attrs.keys()) if (!writable.includes(name)) throw unauthorizedAttribute();
  }
  const merged = { ...user, attributes: { ...user.attributes, ...Object.fromEntries(attrs) } };
  const missing = missingRequiredAttributes(call, merged);
  if (missing.length > 0)
    throw new InvalidParameterException(
      `Missing required attributes: ${missing.map((m) => `userAttributes.${m}`).join(", ")}`,
    );

  // Threat protection's compromised-credentials check (PASSWORD_CHANGE).
  await screenNewPassword(ctx, call.pool, call.client.clientId, "PASSWORD_CHANGE", newPassword);
  const { credential, history } = await newCredential(call.pool, user, newPassword, false, ctx.now);
  const updated = await storage.transaction(async (tx) => {
    await consumeSession(tx, ctx, call.client, session);
    const current = await tx.users.getUserBySub(call.pool.id, user.sub);
    if (current?.status !== "FORCE_CHANGE_PASSWORD") throw sessionExpired();
    const next = {
      ...current,
      attributes: { ...current.attributes, ...Object.fromEntries(attrs) },
      password: credential,
      passwordHistory: history,
      status: "CONFIRMED",
      updatedAt: ctx.now,
    };
    await claimAliases(tx, call.pool, next, false, ctx.now);
    await tx.users.updateUser(next);
    return next;
  });
  return { signedIn: updated, completedBy: "NewPasswordChallenge" };
}

export const newPasswordRequired: AuthChallenge = { username: true, run: answer };
