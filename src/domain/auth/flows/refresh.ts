/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN and GetTokensFromRefreshToken: new ID and access tokens from a
 * refresh token of the same client; with refresh-token rotation, a new refresh token too, the old
 * one staying usable for the client's grace period. A token issued to a tracked device refreshes
 * only with that device's DEVICE_KEY (devices/sign-in.ts).
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { NotAuthorizedException } from "../../../generated/exceptions.ts";
import type { AuthenticationResultType } from "../../../generated/types.ts";
import { hashRefreshToken, issueTokens } from "../../tokens/issuer.ts";
import { checkClientSecret, checkSecretHash } from "../app-client.ts";
import type { RefreshTokenRecord, UserRecord } from "../../../storage/records.ts";
import { checkRefreshDevice } from "../../devices/sign-in.ts";
import { optional, required } from "../params.ts";
import type { AuthFlow } from "../types.ts";
import { refreshTokenRevoked, userDisabled } from "../../errors.ts";

export function invalidRefreshToken(): NotAuthorizedException {
  return new NotAuthorizedException("Invalid Refresh Token");
}

/** A refresh token of the calling client, and the user it was issued to (if they still exist). */
interface FoundToken {
  record: RefreshTokenRecord;
  user: UserRecord | undefined;
}

async function findToken(ctx: RequestContext, call: SignInCaller, token: string): Promise<FoundToken> {
  const { storage } = ctx.services;
  const record = await storage.tokens.getRefreshToken(hashRefreshToken(token));
  if (!record || record.clientId !== call.client.clientId || record.poolId !== call.pool.id)
    throw invalidRefreshToken();
  return { record, user: await storage.users.getUserBySub(call.pool.id, record.sub) };
}

/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN. Its SECRET_HASH is checked once the token is found: clients
 * compute it with the username, or with the sub in pools that sign in by email or phone, so either
 * is accepted.
 */
export const refreshTokenAuth: AuthFlow = {
  allow: "ALLOW_REFRESH_TOKEN_AUTH",
  username: false,
  run: async (ctx, call, params) => {
    const found = await findToken(ctx, call, required(params, "REFRESH_TOKEN"));
    const { record, user } = found;
    await checkSecretHash(
      ctx.services.storage,
      call.client,
      user ? [user.username, user.sub] : [record.sub],
      params?.SECRET_HASH,
    );
    return {
      ChallengeParameters: {},
      AuthenticationResult: await refresh(ctx, call, found, optional(params, "DEVICE_KEY")),
    };
  },
};

/** GetTokensFromRefreshToken: its client secret is given as is (ClientSecret), not as SECRET_HASH. */
export async function refreshTokens(
  ctx: RequestContext,
  call: SignInCaller,
  token: string,
  clientSecret: string | undefined,
  deviceKey?: string,
): Promise<AuthenticationResultType> {
  await checkClientSecret(ctx.services.storage, call.client, clientSecret);
  return refresh(ctx, call, await findToken(ctx, call, token), deviceKey || undefined);
}

async function refresh(
  ctx: RequestContext,
  call: SignInCaller,
  { record, user }: FoundToken,
  deviceKey: string | undefined,
): Promise<AuthenticationResultType> {
  const { storage } = ctx.services;
  if (record.revokedAt !== undefined) throw refreshTokenRevoked();
  if (record.expiresAt <= ctx.now) throw new NotAuthorizedException("Refresh Token has expired");
  if (!user) throw invalidRefreshToken();
  if (!user.enabled) throw userDisabled();
  if (user.tokensValidAfter !== undefined && record.createdAt < user.tokensValidAfter)
    throw refreshTokenRevoked();
  if (!(await checkRefreshDevice(ctx, call.pool, user, record, deviceKey))) throw invalidRefreshToken();

  const rotation = call.client.settings.RefreshTokenRotation;
  const rotate = rotation?.Feature === "ENABLED";
  const grace = (rotation?.RetryGracePeriodSeconds ?? 0) * 1000;
  if (record.replacedAt !== undefined) {
    if (ctx.now > record.replacedAt + grace) throw invalidRefreshToken();
  } else if (
    rotate &&
    !(await storage.transaction((tx) => tx.tokens.replaceRefreshToken(record.tokenHash, ctx.now)))
  ) {
    // Another request rotated this token a moment ago; only the grace period lets this one through.
    const again = await storage.tokens.getRefreshToken(record.tokenHash);
    if (!again?.replacedAt || ctx.now > again.replacedAt + grace) throw invalidRefreshToken();
  }
  return issueTokens(ctx, {
    pool: call.pool,
    client: call.client,
    user,
    authTime: record.authTime,
    originJti: record.originJti,
    withRefreshToken: rotate,
    ...(record.scope === undefined ? {} : { scope: record.scope }),
    ...(record.deviceKey === undefined ? {} : { deviceKey: record.deviceKey }),
  });
}
