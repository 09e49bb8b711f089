/**
 * The one auth engine behind InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
 * AdminRespondToAuthChallenge (and, later, the hosted login pages). Each flow and each challenge
 * lives in a file of its own.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType } from "../../generated/types.ts";
import { allowedFlows } from "./app-client.ts";
import { newPasswordRequired } from "./challenges/new-password-required.ts";
import { passwordVerifier } from "./challenges/password-verifier.ts";
import { passwordFlow } from "./flows/password.ts";
import { refreshTokens } from "./flows/refresh.ts";
import { srpFlow } from "./flows/srp.ts";
import { required } from "./params.ts";
import type { AuthCall, AuthOutcome } from "./types.ts";

function requireFlow(call: AuthCall, flow: AuthFlowType, allow: ExplicitAuthFlowsType): void {
  if (!allowedFlows(call.client).has(allow))
    throw new InvalidParameterException(`${flow} flow not enabled for this client`);
}

export async function initiateAuth(
  ctx: RequestContext,
  call: AuthCall,
  flow: AuthFlowType,
  params: Record<string, string> | undefined,
): Promise<AuthOutcome> {
  switch (flow) {
    case "USER_PASSWORD_AUTH":
      if (call.admin) throw new InvalidParameterException("Initiate Auth method not supported.");
      requireFlow(call, flow, "ALLOW_USER_PASSWORD_AUTH");
      return passwordFlow(ctx, call, params);
    case "ADMIN_USER_PASSWORD_AUTH":
    case "ADMIN_NO_SRP_AUTH":
      if (!call.admin) throw new InvalidParameterException("Initiate Auth method not supported.");
      requireFlow(call, flow, "ALLOW_ADMIN_USER_PASSWORD_AUTH");
      return passwordFlow(ctx, call, params);
    case "USER_SRP_AUTH":
      requireFlow(call, flow, "ALLOW_USER_SRP_AUTH");
      return srpFlow(ctx, call, params);
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN": {
      requireFlow(call, flow, "ALLOW_REFRESH_TOKEN_AUTH");
      const token = required(params, "REFRESH_TOKEN");
      const result = await refreshTokens(ctx, call, { token, secretHash: params?.SECRET_HASH });
      return { ChallengeParameters: {}, AuthenticationResult: result };
    }
    case "CUSTOM_AUTH":
      requireFlow(call, flow, "ALLOW_CUSTOM_AUTH");
      throw new InvalidParameterException("Custom auth lambda trigger is not configured for the user pool.");
    default:
      throw new InvalidParameterException(`${flow} is not supported by Lanyard yet.`);
  }
}

export async function respondToAuthChallenge(
  ctx: RequestContext,
  call: AuthCall,
  challenge: ChallengeNameType,
  responses: Record<string, string> | undefined,
  session: string | undefined,
): Promise<AuthOutcome> {
  switch (challenge) {
    case "PASSWORD_VERIFIER":
      return passwordVerifier(ctx, call, responses);
    case "NEW_PASSWORD_REQUIRED":
      return newPasswordRequired(ctx, call, responses, session);
    default:
      throw new InvalidParameterException(`The challenge ${challenge} is not supported by Lanyard yet.`);
  }
}
