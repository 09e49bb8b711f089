/**
 * Ending sessions: every session of a user at once (GlobalSignOut, AdminUserGlobalSignOut,
 * AdminDisableUser), or one sign-in by its refresh token (RevokeToken).
 *
 * A user's sessions end in two ways at once: every refresh token is revoked (so are the access
 * tokens of those sign-ins, through their origin_jti), and `tokensValidAfter` voids every token
 * issued before the current second, whatever its origin.
 */
import type { RequestContext } from "../../context.ts";
import { decodeJwt } from "../../crypto/jwt.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import {
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
} from "../../generated/exceptions.ts";
import type { RevokeTokenRequest } from "../../generated/types.ts";
import type { UserRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { revokeSignIn } from "../sessions/tracking.ts";
import { hashRefreshToken } from "./issuer.ts";

/**
 * Revokes every refresh token of the user and returns the user with `tokensValidAfter` set (the
 * caller stores it in the same transaction). Token `iat` claims count whole seconds, so the
 * cut-off is the start of the current second: a sign-in later in this second still works, and an
 * earlier token of this second is caught by its revoked origin.
 */
export async function endAllSessions(tx: Transaction, user: UserRecord, now: number): Promise<UserRecord> {
  await tx.tokens.revokeUserTokens(user.poolId, user.sub, now);
  await tx.sessions.deleteUserSessions(user.poolId, user.sub);
  return { ...user, tokensValidAfter: Math.floor(now / 1000) * 1000 };
}

/**
 * RevokeToken: revokes the refresh token's whole sign-in (origin), so the access and ID tokens
 * issued with it stop working at once. As RFC 7009 and Cognito's revocation endpoint do, a token
 * that is unknown, expired or already revoked is answered with success; a token of another app
 * client is refused.
 */
export async function revokeRefreshToken(ctx: RequestContext, input: RevokeTokenRequest): Promise<void> {
  const { storage } = ctx.services;
  const client = await storage.pools.getClientById(input.ClientId);
  if (!client) throw new UnauthorizedException(`Invalid client id: ${input.ClientId}`);
  const secrets = await storage.pools.listClientSecrets(client.poolId, client.clientId);
  if (secrets.length > 0) {
    if (!input.ClientSecret)
      throw new UnauthorizedException(
        `Client ${client.clientId} is configured for secret but secret was not received`,
      );
    if (!secrets.some((s) => safeEqual(s.secret, input.ClientSecret ?? "")))
      throw new UnauthorizedException(`Unable to verify secret for client ${client.clientId}`);
  }
  if (client.settings.EnableTokenRevocation === false)
    throw new UnsupportedOperationException("Token revocation is not enabled for this app client.");
  // Lanyard's refresh tokens are opaque; a JWT is an access or ID token, which cannot be revoked.
  if (decodeJwt(input.Token)) throw new UnsupportedTokenTypeException("Only refresh tokens can be revoked.");
  const record = await storage.tokens.getRefreshToken(hashRefreshToken(input.Token));
  if (!record) return;
  if (record.poolId !== client.poolId || record.clientId !== client.clientId)
    throw new UnauthorizedException("The token was not issued to this app client.");
  // LINKED: the SSO session the sign-in came through ends too (session tracking).
  const linked = input.RevokeAssociatedSessions === "LINKED";
  await storage.transaction((tx) => revokeSignIn(tx, record.poolId, record.originJti, ctx.now, linked));
}
