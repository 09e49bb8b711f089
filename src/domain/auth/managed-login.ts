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
import { InvalidParameterException } from "../../generated/exceptions.ts";
import { otpauthUri } from "../../crypto/totp.ts";
import { associateSoftwareToken, verifySoftwareToken } from "../mfa/software-token.ts";
import { emailOtp, mfaSetup, mfaStep, selectMfaType, smsMfa, softwareTokenMfa } from "./challenges/mfa.ts";
import { newPasswordRequired } from "./challenges/new-password-required.ts";
import { checkPlainPassword, nextSignInStep, signInUser } from "./sign-in.ts";
import type { AuthChallenge, AuthOutcome, AuthStep } from "./types.ts";
import { postAuthentication } from "../triggers/authentication.ts";

/** A signed-in user, or the challenge the user must answer first. */
export type ManagedLoginStep = { user: UserRecord } | { challenge: AuthOutcome };

async function settle(ctx: RequestContext, call: ClientCaller, user: UserRecord): Promise<ManagedLoginStep> {
  const challenge = await nextSignInStep(ctx, call, user);
  if (challenge) return { challenge };
  // The same MFA step as the API's (challenges/mfa.ts): its challenge becomes the next page.
  const mfa = await mfaStep(ctx, call, user);
  if (mfa) return { challenge: mfa };
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
  const target = await signInUser(ctx, call, username);
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

/** A challenge answered: a signed-in user (PostAuthentication runs), or the next challenge. */
async function settleAnswer(
  ctx: RequestContext,
  call: ClientCaller,
  step: AuthStep,
): Promise<ManagedLoginStep> {
  if (!("signedIn" in step)) return { challenge: step };
  await postAuthentication(ctx, call.pool, call.client.clientId, step.signedIn, false, undefined);
  return { user: step.signedIn };
}

/** The MFA challenges the pages answer, with the API's own answers (challenges/mfa.ts). */
const MFA_CHALLENGES = {
  SMS_MFA: { challenge: smsMfa, response: "SMS_MFA_CODE" },
  EMAIL_OTP: { challenge: emailOtp, response: "EMAIL_OTP_CODE" },
  SOFTWARE_TOKEN_MFA: { challenge: softwareTokenMfa, response: "SOFTWARE_TOKEN_MFA_CODE" },
  SELECT_MFA_TYPE: { challenge: selectMfaType, response: "ANSWER" },
  MFA_SETUP: { challenge: mfaSetup, response: "EMAIL" },
} as const satisfies Record<string, { challenge: AuthChallenge; response: string }>;

export type ManagedMfaChallenge = keyof typeof MFA_CHALLENGES;

export function isManagedMfaChallenge(name: string): name is ManagedMfaChallenge {
  return Object.hasOwn(MFA_CHALLENGES, name);
}

async function runChallenge(
  ctx: RequestContext,
  call: ClientCaller,
  challenge: AuthChallenge,
  responses: Record<string, string>,
  session: string,
): Promise<AuthStep> {
  // The session names the user (the page carries no USERNAME of its own to check against it).
  return challenge.username
    ? challenge.run(ctx, call, responses, session, "")
    : challenge.run(ctx, call, responses, session);
}

/**
 * The answer to an MFA challenge the pages showed: the code (SMS_MFA, EMAIL_OTP,
 * SOFTWARE_TOKEN_MFA), the chosen factor (SELECT_MFA_TYPE) or the email address to set up email MFA
 * with (MFA_SETUP). Throws the API's errors; a wrong code leaves the session usable, as the API's.
 */
export async function answerMfa(
  ctx: RequestContext,
  call: ClientCaller,
  name: ManagedMfaChallenge,
  session: string,
  answer: string,
): Promise<ManagedLoginStep> {
  const { challenge, response } = MFA_CHALLENGES[name];
  return settleAnswer(ctx, call, await runChallenge(ctx, call, challenge, { [response]: answer }, session));
}

/** MFA_SETUP with an authenticator app: the secret, its otpauth:// URI, and the session to go on with. */
export async function beginTotpSetup(
  ctx: RequestContext,
  call: ClientCaller,
  session: string,
  account: string,
): Promise<{ secret: string; uri: string; session: string }> {
  const associated = await associateSoftwareToken(ctx, { Session: session });
  if (!associated.SecretCode || !associated.Session) throw new InvalidParameterException("Invalid session.");
  return {
    secret: associated.SecretCode,
    uri: otpauthUri(associated.SecretCode, call.pool.name, account),
    session: associated.Session,
  };
}

/**
 * MFA_SETUP with an authenticator app, finished: VerifySoftwareToken with the app's code on the
 * session, then MFA_SETUP answered with the session it returned (as a client of the API does).
 */
export async function finishTotpSetup(
  ctx: RequestContext,
  call: ClientCaller,
  session: string,
  code: string,
): Promise<ManagedLoginStep> {
  const verified = await verifySoftwareToken(ctx, { Session: session, UserCode: code });
  if (!verified.Session) throw new InvalidParameterException("Invalid session.");
  return settleAnswer(ctx, call, await runChallenge(ctx, call, mfaSetup, {}, verified.Session));
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
