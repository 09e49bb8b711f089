/**
 * The token endpoint's grants (`POST /oauth2/token`): authorization_code (PKCE checked, the
 * redirect URI matched), refresh_token (the API's refresh, rotation included) and
 * client_credentials (confidential clients, custom scopes). Tokens come from the one issuer.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../errors.ts";
import type { AuthenticationResultType } from "../../generated/types.ts";
import { refreshTokens } from "../auth/flows/refresh.ts";
import { revokeSignIn } from "../sessions/tracking.ts";
import { issueClientToken, issueTokens } from "../tokens/issuer.ts";
import { callerOf, isStrict, type Params } from "./authorize.ts";
import { type AuthenticatedClient, authenticateClient } from "./client-auth.ts";
import { pkceMatches, recordCodeOrigin, redeemAuthorizationCode } from "./codes.ts";
import { OAuthError } from "./errors.ts";
import { grantClientScopes, parseScope } from "./scopes.ts";

/** The token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: "Bearer";
  expires_in: number;
}

export function tokenResponse(result: AuthenticationResultType): TokenResponse {
  const out: TokenResponse = {
    access_token: result.AccessToken!,
    token_type: "Bearer",
    expires_in: result.ExpiresIn!,
  };
  if (result.IdToken !== undefined) out.id_token = result.IdToken;
  if (result.RefreshToken !== undefined) out.refresh_token = result.RefreshToken;
  return out;
}

function requireParam(form: Params, name: string): string {
  const v = form[name];
  if (v === undefined || v === "")
    throw new OAuthError("invalid_request", `The ${name} parameter is missing.`);
  return v;
}

function allowsFlow(auth: AuthenticatedClient, flow: "code" | "client_credentials"): boolean {
  const s = auth.client.settings;
  return s.AllowedOAuthFlowsUserPoolClient === true && (s.AllowedOAuthFlows ?? []).includes(flow);
}

async function authorizationCodeGrant(
  ctx: RequestContext,
  auth: AuthenticatedClient,
  form: Params,
): Promise<TokenResponse> {
  const code = requireParam(form, "code");
  const redirectUri = requireParam(form, "redirect_uri");
  if (!allowsFlow(auth, "code")) throw new OAuthError("unauthorized_client");
  const redeemed = await redeemAuthorizationCode(ctx, code);
  if (redeemed.kind === "reused" && isStrict(ctx) && redeemed.originJti !== undefined) {
    // Strict mode (RFC 6749 §4.1.2): a code presented again revokes the tokens issued for it.
    const { poolId, originJti } = redeemed;
    await ctx.services.storage.transaction((tx) => revokeSignIn(tx, poolId, originJti, ctx.now));
  }
  if (
    redeemed.kind !== "redeemed" ||
    redeemed.clientId !== auth.client.clientId ||
    redeemed.poolId !== auth.pool.id
  )
    throw new OAuthError("invalid_grant");
  const { grant } = redeemed;
  if (grant.redirectUri !== redirectUri) throw new OAuthError("invalid_grant");
  if (!pkceMatches(grant, form.code_verifier)) throw new OAuthError("invalid_grant");
  const user = await ctx.services.storage.users.getUserBySub(auth.pool.id, grant.sub);
  if (!user?.enabled) throw new OAuthError("invalid_grant");
  const originJti = randomUUID();
  await recordCodeOrigin(ctx, redeemed.codeHash, originJti);
  const result = await issueTokens(ctx, {
    pool: auth.pool,
    client: auth.client,
    user,
    authTime: grant.authTime,
    originJti,
    withRefreshToken: true,
    scope: grant.scope,
    hostedUi: grant.nonce === undefined ? {} : { nonce: grant.nonce },
    ...(grant.resource === undefined ? {} : { audience: grant.resource }),
    ...(grant.ssoSessionId === undefined ? {} : { ssoSessionId: grant.ssoSessionId }),
  });
  return tokenResponse(result);
}

async function refreshTokenGrant(
  ctx: RequestContext,
  auth: AuthenticatedClient,
  form: Params,
): Promise<TokenResponse> {
  const token = requireParam(form, "refresh_token");
  try {
    return tokenResponse(await refreshTokens(ctx, callerOf(auth), token, auth.secret, form.device_key));
  } catch (e) {
    // The API's refusals (unknown, expired, revoked, another client's, a disabled user).
    if (e instanceof AwsError && e.status < 500) throw new OAuthError("invalid_grant");
    throw e;
  }
}

async function clientCredentialsGrant(
  ctx: RequestContext,
  auth: AuthenticatedClient,
  form: Params,
): Promise<TokenResponse> {
  if (auth.secret === undefined || !allowsFlow(auth, "client_credentials"))
    throw new OAuthError("unauthorized_client");
  const scopes = grantClientScopes(auth.client, parseScope(form.scope));
  const { accessToken, expiresIn } = await issueClientToken(ctx, auth.pool, auth.client, scopes.join(" "));
  return { access_token: accessToken, token_type: "Bearer", expires_in: expiresIn };
}

const GRANTS: Record<
  string,
  (ctx: RequestContext, auth: AuthenticatedClient, form: Params) => Promise<TokenResponse>
> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

export async function tokenRequest(
  ctx: RequestContext,
  form: Params,
  authorization: string | undefined,
): Promise<TokenResponse> {
  const grantType = requireParam(form, "grant_type");
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant) throw new OAuthError("unsupported_grant_type");
  const auth = await authenticateClient(ctx, form, authorization);
  return grant(ctx, auth, form);
}
