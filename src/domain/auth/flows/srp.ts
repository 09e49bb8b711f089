/** USER_SRP_AUTH: the first round trip, answered with a PASSWORD_VERIFIER challenge. */
import { randomBytes } from "node:crypto";
import type { RequestContext } from "../../../context.ts";
import { fakeVerifier, isValidSrpA, startSrp } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import { usernameKey } from "../../users.ts";
import { checkSecretHash } from "../app-client.ts";
import { checkLockout } from "../lockout.ts";
import { required } from "../params.ts";
import { openSession } from "../sessions.ts";
import { signInUser } from "../sign-in.ts";
import type { AuthCall, AuthOutcome } from "../types.ts";

export async function srpFlow(
  ctx: RequestContext,
  call: AuthCall,
  params: Record<string, string> | undefined,
): Promise<AuthOutcome> {
  const username = required(params, "USERNAME");
  await checkSecretHash(ctx.services.storage, call.client, username, params?.SECRET_HASH);
  const A = required(params, "SRP_A");
  if (!isValidSrpA(A)) throw new InvalidParameterException("Invalid SRP_A value.");
  const user = await signInUser(ctx, call, username);
  if (user) checkLockout(user, ctx.now);
  // An unknown user (only reached when the client hides user existence) gets a stable fake salt
  // and a real-looking B; the claim that follows fails like a wrong password.
  const id = user?.username ?? username;
  const material =
    user?.password?.srpVerifier && user.password.srpSalt
      ? { salt: user.password.srpSalt, verifier: user.password.srpVerifier }
      : fakeVerifier(call.pool.id, usernameKey(call.pool, id), ctx.services.serverSecret);
  const { b, B } = startSrp(material.verifier);
  // The secret block is the session: the client echoes it as PASSWORD_CLAIM_SECRET_BLOCK.
  const secretBlock = randomBytes(96).toString("base64");
  await openSession(
    ctx,
    call.client,
    {
      challenge: "PASSWORD_VERIFIER",
      sub: user?.sub ?? null,
      username: id,
      A,
      b,
      B,
      verifier: material.verifier,
      admin: call.admin,
    },
    secretBlock,
  );
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: material.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: id,
      USER_ID_FOR_SRP: id,
    },
  };
}
