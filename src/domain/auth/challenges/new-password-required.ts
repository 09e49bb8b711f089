/**
 * NEW_PASSWORD_REQUIRED: a user with a temporary password chooses their own. An answer refused for
 * its content (the password policy or history, missing, unknown or malformed attributes, attributes
 * the client may not write, an alias another user holds) leaves the session usable, so the user
 * answers again on it, as Amplify's UI and amazon-cognito-identity-js do; the session is consumed in
 * the transaction that sets the password.
 */
import type { RequestContext } from "../../../context.ts";
import { InvalidParameterException, NotAuthorizedException } from "../../../generated/exceptions.ts";
import { newCredential } from "../../users/passwords.ts";
import { checkAttributes, claimAliases } from "../../users/users.ts";
import { checkSecretHash } from "../app-client.ts";
import { required } from "../params.ts";
import { consumeSession, readSession, sessionExpired } from "../sessions.ts";
import { completeSignIn, missingRequiredAttributes } from "../sign-in.ts";
import type { AuthCall, AuthOutcome } from "../types.ts";

export async function newPasswordRequired(
  ctx: RequestContext,
  call: AuthCall,
  responses: Record<string, string> | undefined,
  session: string | undefined,
): Promise<AuthOutcome> {
  const username = required(responses, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, responses?.SECRET_HASH);
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
    for (const name of attrs.keys())
      if (!writable.includes(name))
        throw new NotAuthorizedException(`A client attempted to write unauthorized attribute`);
  }
  const merged = { ...user, attributes: { ...user.attributes, ...Object.fromEntries(attrs) } };
  const missing = missingRequiredAttributes(call, merged);
  if (missing.length > 0)
    throw new InvalidParameterException(
      `Missing required attributes: ${missing.map((m) => `userAttributes.${m}`).join(", ")}`,
    );

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
  return completeSignIn(ctx, call, updated);
}
