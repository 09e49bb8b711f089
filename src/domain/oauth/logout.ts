/**
 * The logout endpoint (`GET /logout`): ends the managed login session, then either goes to a
 * `logout_uri` that must be one of the client's LogoutURLs, or (with `redirect_uri` and
 * `response_type`) back to the login page to sign in again. A request that names neither, an
 * unknown client or a URL the client does not list is answered on an error page. In strict mode
 * OpenID Connect RP-Initiated Logout too: `id_token_hint`, `post_logout_redirect_uri`, `state`.
 */
import type { RequestContext } from "../../context.ts";
import { AUTHORIZE_PARAMS, findClient, isStrict, type Params } from "./authorize.ts";
import { OAuthError } from "./errors.ts";
import { verifyIdTokenHint } from "./id-token-hint.ts";

export type LogoutOutcome = { poolId: string } & (
  { kind: "logout"; location: string } | { kind: "signInAgain"; params: Params } | { kind: "signedOut" }
);

/** Strict mode: OpenID Connect RP-Initiated Logout (id_token_hint, post_logout_redirect_uri, state). */
async function rpInitiatedLogout(ctx: RequestContext, params: Params): Promise<LogoutOutcome> {
  let clientId = params.client_id;
  if (params.id_token_hint !== undefined) {
    const hinted = (await verifyIdTokenHint(ctx, params.id_token_hint))?.clientId;
    if (!hinted || (clientId !== undefined && clientId !== hinted))
      throw new OAuthError("invalid_request", "The id_token_hint is not an ID token of this client.");
    clientId = hinted;
  }
  const found = await findClient(ctx, clientId);
  if (!found) throw new OAuthError("invalid_request", "The logout request names no app client.");
  const uri = params.post_logout_redirect_uri;
  if (uri === undefined) return { poolId: found.pool.id, kind: "signedOut" };
  if (!(found.client.settings.LogoutURLs ?? []).includes(uri))
    throw new OAuthError(
      "redirect_mismatch",
      "The post_logout_redirect_uri is not one of the app client's sign-out URLs.",
    );
  const location =
    params.state === undefined
      ? uri
      : `${uri}${uri.includes("?") ? "&" : "?"}${new URLSearchParams({ state: params.state })}`;
  return { poolId: found.pool.id, kind: "logout", location };
}

export async function checkLogout(ctx: RequestContext, params: Params): Promise<LogoutOutcome> {
  if (isStrict(ctx) && (params.id_token_hint !== undefined || params.post_logout_redirect_uri !== undefined))
    return rpInitiatedLogout(ctx, params);
  const found = await findClient(ctx, params.client_id);
  if (!found) throw new OAuthError("invalid_request", "The client_id is missing or names no app client.");
  const { client } = found;
  if (params.logout_uri !== undefined) {
    if (!(client.settings.LogoutURLs ?? []).includes(params.logout_uri))
      throw new OAuthError(
        "redirect_mismatch",
        "The logout_uri is not one of the app client's sign-out URLs.",
      );
    return { poolId: client.poolId, kind: "logout", location: params.logout_uri };
  }
  if (params.redirect_uri !== undefined && params.response_type !== undefined) {
    const again: Record<string, string> = {};
    for (const name of AUTHORIZE_PARAMS) if (params[name] !== undefined) again[name] = params[name];
    return { poolId: client.poolId, kind: "signInAgain", params: again };
  }
  throw new OAuthError(
    "invalid_request",
    "The logout request needs a logout_uri, or a redirect_uri and a response_type.",
  );
}
