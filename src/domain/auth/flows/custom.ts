/**
 * CUSTOM_AUTH: a sign-in driven by the pool's three challenge triggers (the rounds are in
 * custom-rounds.ts). With AuthParameters CHALLENGE_NAME SRP_A the session starts with SRP_A, and
 * the define trigger may ask for PASSWORD_VERIFIER next: the password is then proved by SRP as in
 * USER_SRP_AUTH before the custom challenges.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { isValidSrpA } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import { userDisabled } from "../../errors.ts";
import { checkSecretHash } from "../app-client.ts";
import { issuePasswordVerifier } from "../challenges/password-verifier.ts";
import { customRound, type CustomState, notConfigured, type SessionEntry } from "../custom-rounds.ts";
import { checkLockout } from "../lockout.ts";
import { optional, required } from "../params.ts";
import { beginSignIn, type SignInTarget } from "../sign-in.ts";
import type { AuthFlow, AuthParams, AuthStep } from "../types.ts";
import { simulatedUserId, srpMaterial } from "./srp.ts";

async function customFlow(ctx: RequestContext, call: SignInCaller, params: AuthParams): Promise<AuthStep> {
  if (!call.pool.settings.LambdaConfig?.DefineAuthChallenge) throw notConfigured();
  const username = required(params, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, params?.SECRET_HASH);
  const target = await beginSignIn(ctx, call, username);
  if (target.user && !target.user.enabled) throw userDisabled();
  const who = { user: target.user, name: username };
  // Without CHALLENGE_NAME SRP_A (none, or CUSTOM_CHALLENGE as the developer guide shows) the
  // session starts empty.
  if (optional(params, "CHALLENGE_NAME") !== "SRP_A") return customRound(ctx, call, who, []);
  const A = required(params, "SRP_A");
  if (!isValidSrpA(A)) throw new InvalidParameterException("Invalid SRP_A value.");
  const history: SessionEntry[] = [
    { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
  ];
  return customRound(ctx, call, who, history, () => srpPasswordVerifier(ctx, call, target, A, history));
}

/** PASSWORD_VERIFIER after SRP_A, as USER_SRP_AUTH issues it, carrying the custom sign-in along. */
async function srpPasswordVerifier(
  ctx: RequestContext,
  call: SignInCaller,
  target: SignInTarget,
  A: string,
  history: SessionEntry[],
): Promise<AuthStep> {
  const { user, subject, name } = target;
  await checkLockout(ctx, call.pool.id, subject);
  const id = user?.username ?? simulatedUserId(ctx, call.pool, name);
  const material = srpMaterial(ctx, call.pool, user, id);
  const custom: CustomState = { name, history };
  return issuePasswordVerifier(ctx, call, { user, subject, id, A, material, custom });
}

export const customAuth: AuthFlow = {
  allow: "ALLOW_CUSTOM_AUTH",
  username: false,
  run: customFlow,
};
