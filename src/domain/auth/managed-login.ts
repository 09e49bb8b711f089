/**
 * Sign-in on the managed login pages: the same steps as the API's USER_PASSWORD_AUTH (whom the name
 * names, the password check with its lockout, PreventUserExistenceErrors, the user's state, the
 * NEW_PASSWORD_REQUIRED challenge), ending in a signed-in user instead of tokens: the OAuth
 * endpoints then issue an authorization code or tokens for the request being answered. The pages
 * are Cognito's own, so the client's ExplicitAuthFlows and SECRET_HASH do not apply.
 */
import { secretHash } from "../../crypto/secret-hash.ts";
import type { ClientCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import type { UserRecord } from "../../storage/records.ts";
import { rehashIfStale } from "../users/passwords.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import { requiresMfa } from "./challenges/mfa.ts";
import { newPasswordRequired } from "./challenges/new-password-required.ts";
import { beginSignIn, checkPlainPassword, nextSignInStep } from "./sign-in.ts";
import type { AuthOutcome } from "./types.ts";
import { postAuthentication } from "../triggers/authentication.ts";

/** A signed-in user, or the challenge the user must answer first. */
export type ManagedLoginStep = { user: UserRecord } | { challenge: AuthOutcome };

async function settle(ctx: RequestContext, call: ClientCaller, user: UserRecord): Promise<ManagedLoginStep> {
  const challenge = await nextSignInStep(ctx, call, user);
  if (challenge) return { challenge };
  // The pages have no MFA steps yet: a user who must pass MFA is refused, never signed in without it.
  if (await requiresMfa(ctx, call, user))
    throw new NotAuthorizedException(
      "Multi-factor authentication is required for this user; sign in through the API (the managed login pages do not offer MFA yet).",
    );
  await postAuthentication(ctx, call.pool, call.client.clientId, user, false, undefined);
  return { user };
}

/** Username and password: throws the API's errors (incorrect credentials, lockout, unconfirmed). */
export async function passwordSignIn(
  ctx: RequestContext,
  call: ClientCaller,
  username: string,
  password: string,
): Promise<ManagedLoginStep> {
  const target = await beginSignIn(ctx, call, username, password);
  const checked = await checkPlainPassword(ctx, call, target, password);
  return settle(ctx, call, await rehashIfStale(ctx, checked, password));
}

/** The answer to NEW_PASSWORD_REQUIRED: the new password and the required attributes it asked for. */
export async function answerNewPassword(
  ctx: RequestContext,
  call: ClientCaller,
  session: string,
  newPassword: string,
  attributes: Record<string, string>,
): Promise<ManagedLoginStep> {
  const responses: Record<string, string> = { NEW_PASSWORD: newPassword };
  for (const [name, value] of Object.entries(attributes)) responses[`userAttributes.${name}`] = value;
  const step = await newPasswordRequired.run(ctx, call, responses, session, "");
  return "signedIn" in step ? settle(ctx, call, step.signedIn) : { challenge: step };
}

/**
 * The SECRET_HASH the self-service operations (SignUp, ConfirmSignUp, ForgotPassword, ...) want
 * from a client with a secret: the managed login pages are the user pool's own, so they compute it
 * themselves (with the client's first secret); undefined for clients without one.
 */
export async function managedSecretHash(
  ctx: RequestContext,
  call: ClientCaller,
  username: string,
): Promise<string | undefined> {
  const [first] = await ctx.services.storage.pools.listClientSecrets(call.pool.id, call.client.clientId);
  return first ? secretHash(first.secret, username, call.client.clientId) : undefined;
}
