/**
 * The one token issuer: API sign-in, refresh and the OAuth grants all come through here.
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
import {
  customizeAccessClaims,
  customizeIdClaims,
  preTokenGeneration,
  type TokenGenerationSource,
} from "../triggers/pre-token-generation.ts";
import { trackTokenSession } from "../sessions/tracking.ts";

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
  /** The sign-in's origin: kept on refresh; chosen by the code grant (to revoke a reused code's tokens). */
  originJti?: string;
  /** Issue a refresh token (sign-in, or refresh with rotation). */
  withRefreshToken: boolean;
  /**
   * The granted scopes (OAuth grants, and refreshes of their sign-ins): the access token's `scope`,
   * and an ID token only with `openid`. Unset for API sign-ins (aws.cognito.signin.user.admin).
   */
  scope?: string;
  /** The managed login's extra ID-token claims: `at_hash`, and the request's `nonce`. */
  hostedUi?: { nonce?: string };
  /** RFC 8707 `resource`: the access token's `aud`. */
  audience?: string;
  /** The tracked device of the sign-in: the access token's `device_key`, and its refresh token's device. */
  deviceKey?: string;
  /**
   * PreTokenGeneration's triggerSource; by default TokenGeneration_HostedAuth for the managed login,
   * TokenGeneration_RefreshTokens for a refresh (an originJti kept), else TokenGeneration_Authentication.
   */
  tokenSource?: TokenGenerationSource;
  /** The request's ClientMetadata, for PreTokenGeneration. */
  clientMetadata?: Record<string, string> | undefined;
  /** The managed login SSO session the sign-in came through (session tracking). */
  ssoSessionId?: string;
}

function tokenSourceOf(req: IssueRequest): TokenGenerationSource {
  if (req.tokenSource) return req.tokenSource;
  if (req.hostedUi) return "TokenGeneration_HostedAuth";
  if (req.originJti !== undefined) return "TokenGeneration_RefreshTokens";
  return "TokenGeneration_Authentication";
}

/** OIDC `at_hash`: the left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}

/** Signs the tokens and stores the refresh token's hash. */
export async function issueTokens(ctx: RequestContext, req: IssueRequest): Promise<AuthenticationResultType> {
  const { pool, client, user } = req;
  ctx.services.metrics.tokensIssued("user");
  const db = ctx.services.storage;
  const lifetimes = tokenLifetimes(client.settings);
  const groups = (await db.groups.listGroupsForUser(pool.id, user.sub, 100)).items;
  const issuer = issuerFor(ctx, pool.id);
  const ev: TokenEvent = {
    authTime: Math.floor(req.authTime / 1000),
    originJti: req.originJti ?? randomUUID(),
    eventId: randomUUID(),
    iat: Math.floor(ctx.now / 1000),
    ...(req.deviceKey === undefined ? {} : { deviceKey: req.deviceKey }),
  };
  const [idKey, accessKey] = await Promise.all([
    ctx.services.keys.signingKey(pool.id, "id", ctx.now),
    ctx.services.keys.signingKey(pool.id, "access", ctx.now),
  ]);
  const scope = req.scope ?? API_SCOPE;
  const custom = await preTokenGeneration(ctx, {
    pool,
    clientId: client.clientId,
    source: tokenSourceOf(req),
    user,
    groups,
    scopes: scope.split(" "),
    clientMetadata: req.clientMetadata,
  });
  const access = accessTokenClaims(issuer, client, user, groups, ev, lifetimes.access, scope);
  if (custom) customizeAccessClaims(access, custom);
  if (req.audience !== undefined) access.aud = req.audience;
  const AccessToken = await signJwt(access, accessKey.kid, accessKey.privateKey);
  const result: AuthenticationResultType = { AccessToken, ExpiresIn: lifetimes.access, TokenType: "Bearer" };
  if (req.scope === undefined || req.scope.split(" ").includes("openid")) {
    const id = idTokenClaims(issuer, client, user, groups, ev, lifetimes.id);
    if (custom) customizeIdClaims(id, custom);
    if (req.hostedUi) {
      id.at_hash = atHash(AccessToken);
      if (req.hostedUi.nonce !== undefined) id.nonce = req.hostedUi.nonce;
    }
    result.IdToken = await signJwt(id, idKey.kid, idKey.privateKey);
  }
  const session = {
    pool,
    client,
    user,
    originJti: ev.originJti,
    refresh: tokenSourceOf(req) === "TokenGeneration_RefreshTokens",
    ...(req.ssoSessionId === undefined ? {} : { ssoSessionId: req.ssoSessionId }),
  };
  if (!req.withRefreshToken) {
    await trackTokenSession(ctx, session);
    return result;
  }
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
    ...(req.scope === undefined ? {} : { scope: req.scope }),
    ...(req.deviceKey === undefined ? {} : { deviceKey: req.deviceKey }),
  };
  await db.transaction((tx) => tx.tokens.insertRefreshToken(refresh));
  await trackTokenSession(ctx, { ...session, refreshExpiresAt: refresh.expiresAt });
  result.RefreshToken = token;
  return result;
}

/**
 * The client credentials grant's access token: the app client itself is the subject; no ID or
 * refresh token.
 */
export async function issueClientToken(
  ctx: RequestContext,
  pool: PoolRecord,
  client: ClientRecord,
  scope: string,
  clientMetadata?: Record<string, string>,
): Promise<{ accessToken: string; expiresIn: number }> {
  ctx.services.metrics.tokensIssued("client");
  const lifetimes = tokenLifetimes(client.settings);
  const key = await ctx.services.keys.signingKey(pool.id, "access", ctx.now);
  const iat = Math.floor(ctx.now / 1000);
  // V3_0 functions see the client credentials grant too (V1_0 and V2_0 are not called for it).
  const custom = await preTokenGeneration(ctx, {
    pool,
    clientId: client.clientId,
    source: "TokenGeneration_ClientCredentials",
    groups: [],
    scopes: scope.split(" ").filter((s) => s !== ""),
    clientMetadata,
  });
  const claims: Record<string, unknown> = {
    sub: client.clientId,
    token_use: "access",
    scope,
    auth_time: iat,
    iss: issuerFor(ctx, pool.id),
    exp: iat + lifetimes.access,
    iat,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  };
  if (custom) customizeAccessClaims(claims, custom);
  return { accessToken: await signJwt(claims, key.kid, key.privateKey), expiresIn: lifetimes.access };
}
