/**
 * Checks an access token presented to a token-authorised operation (GetUser, ChangePassword, ...):
 * signature with the pool's key, expiry, token use, revocation (RevokeToken, GlobalSignOut), and a
 * user who still exists and is enabled.
 */
import type { RequestContext } from "../../context.ts";
import type { TokenCaller } from "../caller.ts";
import { decodeJwt, verifyTokenSignature } from "../../crypto/jwt.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { userNotFound } from "../lookups.ts";
import { accessTokenRevoked, userDisabled } from "../errors.ts";
import { API_SCOPE, issuerFor } from "./issuer.ts";

export interface AccessTokenCaller {
  pool: PoolRecord;
  user: UserRecord;
  clientId: string;
  claims: Record<string, unknown>;
}

const INVALID = "Invalid Access Token";

export async function authenticateAccessToken(
  ctx: RequestContext,
  token: string,
): Promise<AccessTokenCaller> {
  const jwt = decodeJwt(token);
  if (!jwt) throw new NotAuthorizedException(INVALID);
  const { claims } = jwt;
  const iss = typeof claims.iss === "string" ? claims.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  // Only the issuer of the current `issuer` mode: a token of the other mode is not this server's.
  if (!poolId.includes("_") || iss !== issuerFor(ctx, poolId)) throw new NotAuthorizedException(INVALID);
  const { storage } = ctx.services;
  // The pool first: a token naming no pool costs one lookup, and never touches keys.
  const pool = await storage.pools.getPool(poolId);
  if (!pool) throw new NotAuthorizedException(INVALID);
  const key = await ctx.services.keys.verificationKey(poolId, String(jwt.header.kid)).catch(() => undefined);
  if (key?.use !== "access" || !verifyTokenSignature(token, jwt, key.publicKey))
    throw new NotAuthorizedException(INVALID);
  if (claims.token_use !== "access") throw new NotAuthorizedException(INVALID);
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= ctx.now)
    throw new NotAuthorizedException("Access Token has expired");
  const originJti = typeof claims.origin_jti === "string" ? claims.origin_jti : "";
  if (originJti && (await storage.tokens.isOriginRevoked(poolId, originJti))) throw accessTokenRevoked();
  const user = await storage.users.getUserBySub(poolId, String(claims.sub));
  if (!user) throw userNotFound();
  if (user.tokensValidAfter !== undefined && Number(claims.iat) * 1000 < user.tokensValidAfter)
    throw accessTokenRevoked();
  if (!user.enabled) throw userDisabled();
  return { pool, user, clientId: String(claims.client_id), claims };
}

/**
 * The caller of a token-authorised operation, resolved once by the protocol layer: the access
 * token checked as above, carrying the scope the user pools API requires, its app client still there.
 */
export async function tokenCaller(ctx: RequestContext, accessToken: string): Promise<TokenCaller> {
  const caller = await authenticateAccessToken(ctx, accessToken);
  const scopes = typeof caller.claims.scope === "string" ? caller.claims.scope.split(" ") : [];
  if (!scopes.includes(API_SCOPE))
    throw new NotAuthorizedException("Access Token does not have required scopes");
  const client = await ctx.services.storage.pools.getClient(caller.pool.id, caller.clientId);
  if (!client) throw new NotAuthorizedException("Invalid Access Token");
  return { kind: "token", ...caller, client };
}
