/**
 * The one token issuer: API sign-in, refresh and (later) OAuth grants all come through here.
 * ID and access tokens are RS256 JWTs signed with the pool's keys; refresh tokens are opaque random
 * strings of which only a hash is stored.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { RequestContext, Services } from "../../context.ts";
import { signJwt } from "../../crypto/jwt.ts";
import type { AuthenticationResultType } from "../../generated/types.ts";
import type { ClientRecord, PoolRecord, RefreshTokenRecord, UserRecord } from "../../storage/records.ts";
import { tokenLifetimes } from "../clients/settings.ts";
import { accessTokenClaims, idTokenClaims, type TokenEvent } from "./claims.ts";

export const API_SCOPE = "aws.cognito.signin.user.admin";

/**
 * The `iss` of a pool's tokens and of its OpenID configuration, by the `issuer` setting: `self`
 * is `<publicUrl>/<poolId>`; `aws` is Cognito's own `https://cognito-idp.<region>.amazonaws.com/<poolId>`,
 * the region being the pool id's prefix.
 */
export function poolIssuer(services: Pick<Services, "config" | "publicUrl">, poolId: string): string {
  if (services.config.issuer === "aws") {
    const region = poolId.slice(0, poolId.indexOf("_"));
    return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
  }
  return `${services.publicUrl()}/${poolId}`;
}

export function issuerFor(ctx: RequestContext, poolId: string): string {
  return poolIssuer(ctx.services, poolId);
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function newRefreshToken(): string {
  return randomBytes(48).toString("base64url");
}

export interface IssueRequest {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** Epoch ms of the sign-in; refreshes keep the original. */
  authTime: number;
  /** Present on refresh: the sign-in's origin. */
  originJti?: string;
  /** Issue a refresh token (sign-in, or refresh with rotation). */
  withRefreshToken: boolean;
  scope?: string;
}

/** Signs the tokens and stores the refresh token's hash. */
export async function issueTokens(ctx: RequestContext, req: IssueRequest): Promise<AuthenticationResultType> {
  const { pool, client, user } = req;
  const db = ctx.services.storage;
  const lifetimes = tokenLifetimes(client.settings);
  const groups = (await db.groups.listGroupsForUser(pool.id, user.sub, 100)).items;
  const issuer = issuerFor(ctx, pool.id);
  const ev: TokenEvent = {
    authTime: Math.floor(req.authTime / 1000),
    originJti: req.originJti ?? randomUUID(),
    eventId: randomUUID(),
    iat: Math.floor(ctx.now / 1000),
  };
  const [idKey, accessKey] = await Promise.all([
    ctx.services.keys.signingKey(pool.id, "id", ctx.now),
    ctx.services.keys.signingKey(pool.id, "access", ctx.now),
  ]);
  const [IdToken, AccessToken] = await Promise.all([
    signJwt(idTokenClaims(issuer, client, user, groups, ev, lifetimes.id), idKey.kid, idKey.privateKey),
    signJwt(
      accessTokenClaims(issuer, client, user, groups, ev, lifetimes.access, req.scope ?? API_SCOPE),
      accessKey.kid,
      accessKey.privateKey,
    ),
  ]);
  const result: AuthenticationResultType = {
    AccessToken,
    ExpiresIn: lifetimes.access,
    TokenType: "Bearer",
    IdToken,
  };
  if (!req.withRefreshToken) return result;
  const token = newRefreshToken();
  const refresh: RefreshTokenRecord = {
    tokenHash: hashRefreshToken(token),
    poolId: pool.id,
    clientId: client.clientId,
    sub: user.sub,
    originJti: ev.originJti,
    authTime: req.authTime,
    createdAt: ctx.now,
    expiresAt: ctx.now + lifetimes.refresh * 1000,
  };
  await db.transaction((tx) => tx.tokens.insertRefreshToken(refresh));
  result.RefreshToken = token;
  return result;
}
