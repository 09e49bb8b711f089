/**
 * The logout endpoint (`GET /logout`): ends the managed login session, then either goes to a
 * `logout_uri` that must be one of the client's LogoutURLs, or (with `redirect_uri` and
 * `response_type`) back to the login page to sign in again. A request that names neither, an
 * unknown client or a URL the client does not list is answered on an error page.
 */
import type { RequestContext } from "../../context.ts";
import { AUTHORIZE_PARAMS, findClient, type Params } from "./authorize.ts";
import { OAuthError } from "./errors.ts";

export type LogoutOutcome = { poolId: string } & (
  { kind: "logout"; location: string } | { kind: "signInAgain"; params: Params }
);

export async function checkLogout(ctx: RequestContext, params: Params): Promise<LogoutOutcome> {
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
