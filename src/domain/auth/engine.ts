/**
 * The one auth engine behind InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
 * AdminRespondToAuthChallenge (and, later, the hosted login pages). The flows and the challenges
 * are tables: each lives in a file of its own (a challenge's file both issues and answers it) and
 * declares what the engine checks first: the API and ALLOW_* flow, then USERNAME and SECRET_HASH.
 */
import type { SignInCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { AuthFlowType, ChallengeNameType } from "../../generated/types.ts";
import { allowedFlows, checkSecretHash } from "./app-client.ts";
import { emailOtp, mfaSetup, selectMfaType, smsMfa, softwareTokenMfa } from "./challenges/mfa.ts";
import { devicePasswordVerifier } from "./challenges/device-password-verifier.ts";
import { deviceSrpAuth } from "./challenges/device-srp-auth.ts";
import { newPasswordRequired } from "./challenges/new-password-required.ts";
import { signInCodeChallenge } from "./challenges/otp-first-factor.ts";
import { passwordVerifier } from "./challenges/password-verifier.ts";
import { customAuth } from "./flows/custom.ts";
import { adminUserPasswordAuth, userPasswordAuth } from "./flows/password.ts";
import { refreshTokenAuth } from "./flows/refresh.ts";
import { userSrpAuth } from "./flows/srp.ts";
import { selectChallenge, userAuth } from "./flows/user-auth.ts";
import { webAuthnChallenge } from "./challenges/web-authn.ts";
import { required } from "./params.ts";
import { completeSignIn } from "./sign-in.ts";
import { customChallenge } from "./challenges/custom-challenge.ts";
import type { AuthChallenge, AuthFlow, AuthOutcome, AuthParams, AuthStep } from "./types.ts";

const FLOWS: Partial<Record<AuthFlowType, AuthFlow>> = {
  USER_PASSWORD_AUTH: userPasswordAuth,
  ADMIN_USER_PASSWORD_AUTH: adminUserPasswordAuth,
  ADMIN_NO_SRP_AUTH: adminUserPasswordAuth,
  USER_SRP_AUTH: userSrpAuth,
  REFRESH_TOKEN_AUTH: refreshTokenAuth,
  REFRESH_TOKEN: refreshTokenAuth,
  CUSTOM_AUTH: customAuth,
  USER_AUTH: userAuth,
};

const CHALLENGES: Partial<Record<ChallengeNameType, AuthChallenge>> = {
  PASSWORD_VERIFIER: passwordVerifier,
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  SMS_MFA: smsMfa,
  EMAIL_OTP: signInCodeChallenge("EMAIL", emailOtp),
  SMS_OTP: signInCodeChallenge("SMS"),
  SOFTWARE_TOKEN_MFA: softwareTokenMfa,
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
  DEVICE_SRP_AUTH: deviceSrpAuth,
  DEVICE_PASSWORD_VERIFIER: devicePasswordVerifier,
  SELECT_CHALLENGE: selectChallenge,
  WEB_AUTHN: webAuthnChallenge,
  CUSTOM_CHALLENGE: customChallenge,
};

/**
 * The answer of a challenge, as the table has it: the managed login pages answer their challenges
 * through the same code (managed-login.ts), without the API's SECRET_HASH.
 */
export function challengeNamed(name: ChallengeNameType): AuthChallenge | undefined {
  return CHALLENGES[name];
}

/** USERNAME, and SECRET_HASH checked for it (for clients with a secret). */
async function usernameWithSecret(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
): Promise<string> {
  const username = required(params, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, params?.SECRET_HASH);
  return username;
}

/** A user who proved their password: their state decides between tokens and the next challenge. */
async function finish(ctx: RequestContext, call: SignInCaller, step: AuthStep): Promise<AuthOutcome> {
  return "signedIn" in step ? completeSignIn(ctx, call, step) : step;
}

export async function initiateAuth(
  ctx: RequestContext,
  call: SignInCaller,
  flowType: AuthFlowType,
  params: AuthParams,
  session?: string,
): Promise<AuthOutcome> {
  const flow = FLOWS[flowType];
  if (!flow) throw new InvalidParameterException(`${flowType} is not supported by Lanyard yet.`);
  if (flow.api !== undefined && flow.api !== (call.kind === "adminClient" ? "admin" : "public"))
    throw new InvalidParameterException("Initiate Auth method not supported.");
  if (!allowedFlows(call.client).has(flow.allow))
    throw new InvalidParameterException(`${flowType} flow not enabled for this client`);
  let step: AuthStep;
  if (!flow.username) step = await flow.run(ctx, call, params);
  else {
    const username = await usernameWithSecret(ctx, call, params);
    step =
      session && flow.resume
        ? await flow.resume(ctx, call, params, session, username)
        : await flow.run(ctx, call, params, username);
  }
  return finish(ctx, call, step);
}

export async function respondToAuthChallenge(
  ctx: RequestContext,
  call: SignInCaller,
  name: ChallengeNameType,
  responses: AuthParams,
  session: string | undefined,
): Promise<AuthOutcome> {
  const challenge = CHALLENGES[name];
  if (!challenge)
    throw new InvalidParameterException(`The challenge ${name} is not supported by Lanyard yet.`);
  const step = challenge.username
    ? await challenge.run(ctx, call, responses, session, await usernameWithSecret(ctx, call, responses))
    : await challenge.run(ctx, call, responses, session);
  return finish(ctx, call, step);
}
