/** USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the legacy ADMIN_NO_SRP_AUTH. */
import type { RequestContext } from "../../../context.ts";
import { rehashIfStale } from "../../users/passwords.ts";
import { checkSecretHash } from "../app-client.ts";
import { required } from "../params.ts";
import { checkPlainPassword, completeSignIn, signInUser } from "../sign-in.ts";
import type { AuthCall, AuthOutcome } from "../types.ts";

export async function passwordFlow(
  ctx: RequestContext,
  call: AuthCall,
  params: Record<string, string> | undefined,
): Promise<AuthOutcome> {
  const username = required(params, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, params?.SECRET_HASH);
  const password = required(params, "PASSWORD");
  const target = await signInUser(ctx, call, username);
  const checked = await checkPlainPassword(ctx, call, target, password);
  return completeSignIn(ctx, call, await rehashIfStale(ctx, checked, password));
}
