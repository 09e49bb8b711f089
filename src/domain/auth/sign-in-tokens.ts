/**
 * The last step of every sign-in, in a file of its own so that the steps before it (sign-in.ts,
 * the MFA challenges) all end here without importing one another.
 */
import type { SignInCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import type { UserRecord } from "../../storage/records.ts";
import { issueTokens } from "../tokens/issuer.ts";
import type { AuthOutcome } from "./types.ts";

/** The last step of every sign-in: the tokens (after the password, and MFA when it was asked). */
export async function issueSignInTokens(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<AuthOutcome> {
  return {
    ChallengeParameters: {},
    AuthenticationResult: await issueTokens(ctx, {
      pool: call.pool,
      client: call.client,
      user,
      authTime: ctx.now,
      withRefreshToken: true,
    }),
  };
}
