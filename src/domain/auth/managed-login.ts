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
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { rehashIfStale } from "../users/passwords.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import { otpauthUri } from "../../crypto/totp.ts";
import { associateSoftwareToken, verifySoftwareToken } from "../mfa/software-token.ts";
import type { ChallengeNameType } from "../../generated/types.ts";
import { allowedFirstFactors } from "../passkeys/config.ts";
import { mfaStep } from "./challenges/mfa.ts";
import { challengeNamed } from "./engine.ts";
import { userAuth } from "./flows/user-auth.ts";
import { newPasswordRequired } from "./challenges/new-password-required.ts";
import { beginSignIn, checkPlainPassword, nextSignInStep } from "./sign-in.ts";
import type { AuthOutcome, AuthStep, SignedIn } from "./types.ts";
import { postAuthentication } from "../triggers/authentication.ts";
import { checkCompromised } from "../threats/compromised.ts";
import { guardSignIn, type SignInEnd } from "../threats/risk.ts";

/** A signed-in user, or the challenge the user must answer first. */
export type ManagedLoginStep = { user: UserRecord } | { challenge: AuthOutcome };

/**
 * A user who proved a factor: the user's state (a temporary password), then MFA (the API's
 * challenges/mfa.ts, unless the factor settled it), then PostAuthentication.
 */
async function settle(ctx: RequestContext, call: ClientCaller, step: SignedIn): Promise<ManagedLoginStep> {
  const user = step.signedIn;
  const challenge = await nextSignInStep(ctx, call, user);
  if (challenge) return { challenge };
  // Threat protection (domain/threats/) judges and records the sign-in; it may block it or ask for MFA.
  return guardSignIn(
    ctx,
    call,
    step,
    async (): Promise<ManagedLoginStep> => {
      if (!step.mfaSettled) {
        const mfa = await mfaStep(ctx, call, user);
        if (mfa) return { challenge: mfa };
      }
      await postAuthentication(ctx, call.pool, call.client.clientId, user, false, undefined);
      return { user };
    },
    MANAGED_LOGIN_END,
  );
}

const MANAGED_LOGIN_END: SignInEnd<ManagedLoginStep> = {
  ended: (s) => "user" in s,
  challenge: (challenge) => ({ challenge }),
};

const settleStep = (ctx: RequestContext, call: ClientCaller, step: AuthStep): Promise<ManagedLoginStep> =>
  "signedIn" in step ? settle(ctx, call, step) : Promise.resolve({ challenge: step });

/** Username and password: throws the API's errors (incorrect credentials, lockout, unconfirmed). */
export async function passwordSignIn(
  ctx: RequestContext,
  call: ClientCaller,
  username: string,
  password: string,
): Promise<ManagedLoginStep> {
  const target = await beginSignIn(ctx, call, username, password);
  const checked = await checkPlainPassword(ctx, call, target, password);
  // Threat protection's compromised-credentials check (acted on by its sign-in step).
  const compromised = await checkCompromised(ctx, call.pool, call.client.clientId, "SIGN_IN", password);
  return settle(ctx, call, {
    signedIn: await rehashIfStale(ctx, checked, password),
    ...(compromised.detected ? { compromisedCredentials: compromised } : {}),
  });
}

/**
 * Whether the pool signs in by choice (its AllowedFirstAuthFactors name more than PASSWORD): the
 * pages then ask for the username first, and offer the user's factors after it.
 */
export function choiceBased(pool: PoolRecord): boolean {
  return [...allowedFirstFactors(pool)].some((f) => f !== "PASSWORD");
}

/**
 * Choice-based sign-in, the username given: USER_AUTH's first step (the API's flows/user-auth.ts),
 * usually SELECT_CHALLENGE with the factors the user can use. The pages are the pool's own, so the
 * client's ExplicitAuthFlows do not apply.
 */
export async function choiceSignIn(
  ctx: RequestContext,
  call: ClientCaller,
  username: string,
): Promise<ManagedLoginStep> {
  if (!userAuth.username) throw new Error("USER_AUTH starts with a username");
  return settleStep(ctx, call, await userAuth.run(ctx, call, {}, username));
}

/** The answer each challenge the pages show is given in. */
const RESPONSES = {
  SMS_MFA: "SMS_MFA_CODE",
  EMAIL_OTP: "EMAIL_OTP_CODE",
  SMS_OTP: "SMS_OTP_CODE",
  SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE",
  SELECT_MFA_TYPE: "ANSWER",
  MFA_SETUP: "EMAIL",
  SELECT_CHALLENGE: "ANSWER",
  WEB_AUTHN: "CREDENTIAL",
} as const satisfies Partial<Record<ChallengeNameType, string>>;

export type PageChallenge = keyof typeof RESPONSES;

export function isPageChallenge(name: string): name is PageChallenge {
  return Object.hasOwn(RESPONSES, name);
}

async function respond(
  ctx: RequestContext,
  call: ClientCaller,
  name: ChallengeNameType,
  responses: Record<string, string>,
  session: string,
  username: string,
): Promise<ManagedLoginStep> {
  const challenge = challengeNamed(name);
  if (!challenge) throw new InvalidParameterException(`The challenge ${name} is not supported.`);
  const step = challenge.username
    ? await challenge.run(ctx, call, responses, session, username)
    : await challenge.run(ctx, call, responses, session);
  return settleStep(ctx, call, step);
}

/**
 * The answer to a challenge the pages showed, through the engine's own answer of it: a code
 * (SMS_MFA, EMAIL_OTP, SMS_OTP, SOFTWARE_TOKEN_MFA), the chosen MFA factor (SELECT_MFA_TYPE), the
 * email address to set up email MFA with (MFA_SETUP), the chosen first factor (SELECT_CHALLENGE,
 * with the PASSWORD when that is the choice) or a passkey's assertion (WEB_AUTHN). The session
 * names the user; `username` (what the user typed, or empty) must name the same one. Throws the
 * API's errors; a wrong code leaves the session usable, as the API's does.
 */
export async function answerChallenge(
  ctx: RequestContext,
  call: ClientCaller,
  name: PageChallenge,
  session: string,
  answer: string,
  username: string,
  extra: Record<string, string> = {},
): Promise<ManagedLoginStep> {
  return respond(ctx, call, name, { ...extra, [RESPONSES[name]]: answer }, session, username);
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
  username: string,
): Promise<ManagedLoginStep> {
  const verified = await verifySoftwareToken(ctx, { Session: session, UserCode: code });
  if (!verified.Session) throw new InvalidParameterException("Invalid session.");
  return respond(ctx, call, "MFA_SETUP", {}, verified.Session, username);
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
  return settleStep(ctx, call, step);
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
