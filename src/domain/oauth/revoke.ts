/**
 * The revocation endpoint (`POST /oauth2/revoke`, RFC 7009): a refresh token and the client's
 * authentication; the refresh token's whole sign-in is revoked (its access and ID tokens with it),
 * as RevokeToken does. An unknown or already revoked token is answered with success.
 */
import type { RequestContext } from "../../context.ts";
import { decodeJwt } from "../../crypto/jwt.ts";
import { revokeSignIn } from "../sessions/tracking.ts";
import { hashRefreshToken } from "../tokens/issuer.ts";
import type { Params } from "./authorize.ts";
import { authenticateClient } from "./client-auth.ts";
import { OAuthError } from "./errors.ts";

export async function revokeRequest(
  ctx: RequestContext,
  form: Params,
  authorization: string | undefined,
): Promise<void> {
  const token = form.token;
  if (token === undefined || token === "")
    throw new OAuthError("invalid_request", "The token parameter is missing.");
  const auth = await authenticateClient(ctx, form, authorization);
  if (auth.client.settings.EnableTokenRevocation === false)
    throw new OAuthError("unauthorized_client", "Token revocation is not enabled for this app client.");
  // Access and ID tokens are JWTs and cannot be revoked on their own.
  if (decodeJwt(token)) throw new OAuthError("unsupported_token_type");
  const { storage } = ctx.services;
  const record = await storage.tokens.getRefreshToken(hashRefreshToken(token));
  if (!record) return;
  if (record.poolId !== auth.pool.id || record.clientId !== auth.client.clientId)
    throw new OAuthError("unauthorized_client", "The token was not issued to this app client.");
  await storage.transaction((tx) => revokeSignIn(tx, record.poolId, record.originJti, ctx.now));
}
