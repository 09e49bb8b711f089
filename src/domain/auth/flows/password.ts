/** USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the legacy ADMIN_NO_SRP_AUTH. */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { rehashIfStale } from "../../users/passwords.ts";
import { optional, required } from "../params.ts";
import { checkPlainPassword, signInUser } from "../sign-in.ts";
import type { AuthFlow, AuthParams, AuthStep } from "../types.ts";

async function passwordFlow(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  username: string,
): Promise<AuthStep> {
  const password = required(params, "PASSWORD");
  const target = await signInUser(ctx, call, username, password);
  const checked = await checkPlainPassword(ctx, call, target, password);
  const deviceKey = optional(params, "DEVICE_KEY");
  return {
    signedIn: await rehashIfStale(ctx, checked, password),
    ...(deviceKey === undefined ? {} : { deviceKey }),
  };
}

export const userPasswordAuth: AuthFlow = {
  api: "public",
  allow: "ALLOW_USER_PASSWORD_AUTH",
  username: true,
  run: passwordFlow,
};

export const adminUserPasswordAuth: AuthFlow = {
  api: "admin",
  allow: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  username: true,
  run: passwordFlow,
};
