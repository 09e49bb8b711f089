/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN and GetTokensFromRefreshToken: new ID and access tokens from a
 * refresh token of the same client; with refresh-token rotation, a new refresh token too, the old
 * one staying usable for the client's grace period.
 */
import type { RequestContext } from "../../../context.ts";
import { NotAuthorizedException } from "../../../generated/exceptions.ts";
import type { AuthenticationResultType } from "../../../generated/types.ts";
import { hashRefreshToken, issueTokens } from "../../tokens/issuer.ts";
import { checkSecretHash } from "../app-client.ts";
import type { AuthCall } from "../types.ts";

export function invalidRefreshToken(): NotAuthorizedException {
  return new NotAuthorizedException("Invalid Refresh Token");
}

export interface RefreshRequest {
  token: string;
  /** SECRET_HASH (InitiateAuth) or checked already (GetTokensFromRefreshToken's ClientSecret). */
  secretHash?: string;
  secretChecked?: boolean;
}

export async function refreshTokens(
  ctx: RequestContext,
  call: AuthCall,
  req: RefreshRequest,
): Promise<AuthenticationResultType> {
  const { storage } = ctx.services;
  const record = await storage.tokens.getRefreshToken(hashRefreshToken(req.token));
  if (!record || record.clientId !== call.client.clientId || record.poolId !== call.pool.id)
    throw invalidRefreshToken();
  const user = await storage.users.getUserBySub(call.pool.id, record.sub);
  if (!req.secretChecked) {
    // Clients compute SECRET_HASH for a refresh with the username, or with the sub in pools that
    // sign in by email or phone: accept either.
    await checkSecretHash(
      storage,
      call.client,
      user ? [user.username, user.sub] : [record.sub],
      req.secretHash,
    );
  }
  if (record.revokedAt !== undefined) throw new NotAuthorizedException("Refresh Token has been revoked");
  if (record.expiresAt <= ctx.now) throw new NotAuthorizedException("Refresh Token has expired");
  if (!user) throw invalidRefreshToken();
  if (!user.enabled) throw new NotAuthorizedException("User is disabled.");
  if (user.tokensValidAfter !== undefined && record.createdAt < user.tokensValidAfter)
    throw new NotAuthorizedException("Refresh Token has been revoked");

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
  });
}
