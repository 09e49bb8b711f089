/** USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the legacy ADMIN_NO_SRP_AUTH. */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { rehashIfStale } from "../../users/passwords.ts";
import { optional, required } from "../params.ts";
import { beginSignIn, checkPlainPassword, signInUser } from "../sign-in.ts";
import type { AuthFlow, AuthParams, AuthStep } from "../types.ts";
import { checkCompromised } from "../../threats/compromised.ts";

/**
 * The password check of a USERNAME with PASSWORD (also USER_AUTH's PASSWORD first factor, whose
 * sign-in has begun already: `begin` false, no second PreAuthentication).
 */
export async function passwordFlow(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  username: string,
  begin = true,
): Promise<AuthStep> {
  const password = required(params, "PASSWORD");
  const target = begin
    ? await beginSignIn(ctx, call, username, password)
    : await signInUser(ctx, call, username);
  const checked = await checkPlainPassword(ctx, call, target, password);
  const deviceKey = optional(params, "DEVICE_KEY");
  // Threat protection's compromised-credentials check (acted on by its sign-in step).
  const compromised = await checkCompromised(ctx, call.pool, call.client.clientId, "SIGN_IN", password);
  return {
    signedIn: await rehashIfStale(ctx, checked, password),
    ...(deviceKey === undefined ? {} : { deviceKey }),
    ...(compromised.detected ? { compromisedCredentials: compromised } : {}),
  };
}

export const userPasswordAuth: AuthFlow = {
  api: "public",
  allow: "ALLOW_USER_PASSWORD_AUTH",
  username: true,
  run: (ctx, call, params, username) => passwordFlow(ctx, call, params, username),
};

export const adminUserPasswordAuth: AuthFlow = {
  api: "admin",
  allow: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  username: true,
  run: (ctx, call, params, username) => passwordFlow(ctx, call, params, username),
};
