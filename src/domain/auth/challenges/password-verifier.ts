/** PASSWORD_VERIFIER: the second round trip of USER_SRP_AUTH, the claim signature checked. */
import type { RequestContext } from "../../../context.ts";
import { checkTimestamp, verifySrpClaim } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import { poolName } from "../../users/passwords.ts";
import { checkSecretHash } from "../app-client.ts";
import type { Subject } from "../../counters.ts";
import { reservePasswordCheck, settlePasswordCheck } from "../lockout.ts";
import { required } from "../params.ts";
import { takeSession } from "../sessions.ts";
import { completeSignIn, incorrectCredentials } from "../sign-in.ts";
import type { AuthCall, AuthOutcome } from "../types.ts";

export async function passwordVerifier(
  ctx: RequestContext,
  call: AuthCall,
  responses: Record<string, string> | undefined,
): Promise<AuthOutcome> {
  const username = required(responses, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, responses?.SECRET_HASH);
  const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = required(responses, "TIMESTAMP");
  const state = await takeSession(ctx, call.client, secretBlock);
  if (state.challenge !== "PASSWORD_VERIFIER") throw incorrectCredentials();
  const when = checkTimestamp(timestamp, new Date(ctx.now));
  if (when === "malformed")
    throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
  const subject = state.subject as Subject;
  // The check is reserved before the claim is verified (see lockout.ts).
  await reservePasswordCheck(ctx, call.pool.id, subject, username);
  const sub = typeof state.sub === "string" ? state.sub : undefined;
  const user = sub ? await ctx.services.storage.users.getUserBySub(call.pool.id, sub) : undefined;
  const claimOk =
    when === "ok" &&
    username === state.username &&
    verifySrpClaim({
      poolName: poolName(call.pool.id),
      username: String(state.username),
      A: String(state.A),
      b: String(state.b),
      B: String(state.B),
      verifier: String(state.verifier),
      secretBlock,
      timestamp,
      signature,
    });
  // Password sign-in turned off by AdminDisableProviderForUser (ProviderName Cognito) fails too.
  const ok = claimOk && user !== undefined && !user.passwordSignInDisabled;
  await settlePasswordCheck(ctx, call.pool.id, subject, username, ok);
  if (!ok || !user) throw incorrectCredentials();
  return completeSignIn(ctx, call, user);
}
