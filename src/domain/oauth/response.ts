/**
 * The authorization response: where the browser goes once the user signed in. The code grant gets
 * `code` and `state` in the query; the implicit grant gets the tokens in the fragment (no refresh
 * token). Errors go to the same place the same way (RFC 6749 §4.1.2.1, §4.2.2.1).
 */
import type { RequestContext } from "../../context.ts";
import type { UserRecord } from "../../storage/records.ts";
import { issueTokens, issuerFor } from "../tokens/issuer.ts";
import { type AuthorizationRequest, isStrict } from "./authorize.ts";
import { issueAuthorizationCode } from "./codes.ts";
import type { ErrorRedirect, OAuthError } from "./errors.ts";

function withParams(base: string, params: Record<string, string>, fragment: boolean): string {
  const encoded = new URLSearchParams(params).toString();
  if (fragment) return `${base}#${encoded}`;
  return `${base}${base.includes("?") ? "&" : "?"}${encoded}`;
}

export function errorRedirectUrl(redirect: ErrorRedirect, error: OAuthError): string {
  const params: Record<string, string> = { error: error.code };
  if (error.description !== undefined) params.error_description = error.description;
  if (redirect.state !== undefined) params.state = redirect.state;
  if (redirect.iss !== undefined) params.iss = redirect.iss;
  return withParams(redirect.redirectUri, params, redirect.fragment);
}

/**
 * The redirect that answers `request` for `user`, signed in at `authTime` (epoch ms), through the
 * SSO session `ssoSessionId` when sessions are tracked.
 */
export async function authorizationResponse(
  ctx: RequestContext,
  request: AuthorizationRequest,
  user: UserRecord,
  authTime: number,
  ssoSessionId?: string,
): Promise<string> {
  const state: Record<string, string> = request.state === undefined ? {} : { state: request.state };
  // Strict mode: RFC 9207's `iss`, so the client can tell which server answered.
  if (isStrict(ctx)) state.iss = issuerFor(ctx, request.pool.id);
  if (request.responseType === "code") {
    const code = await issueAuthorizationCode(ctx, request, user.sub, authTime, ssoSessionId);
    return withParams(request.redirectUri, { code, ...state }, false);
  }
  const result = await issueTokens(ctx, {
    pool: request.pool,
    client: request.client,
    user,
    authTime,
    withRefreshToken: false,
    scope: request.scopes.join(" "),
    hostedUi: request.nonce === undefined ? {} : { nonce: request.nonce },
    ...(request.resource === undefined ? {} : { audience: request.resource }),
  });
  const params: Record<string, string> = {};
  if (result.IdToken !== undefined) params.id_token = result.IdToken;
  params.access_token = result.AccessToken!;
  params.token_type = "Bearer";
  params.expires_in = String(result.ExpiresIn);
  return withParams(request.redirectUri, { ...params, ...state }, true);
}
