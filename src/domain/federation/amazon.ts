/**
 * Login with Amazon, as Cognito signs in with it: OAuth 2.0 (no ID token) at Amazon's endpoints
 * (authorize `https://www.amazon.com/ap/oa`, token `https://api.amazon.com/auth/o2/token` by POST
 * with the client id and secret in the form), the `authorize_scopes` (`profile`, `postal_code`,
 * `profile:user_id`) sent space separated, and the attributes read from
 * `https://api.amazon.com/user/profile` with the access token: `user_id` (the subject), `name`,
 * `email`, `postal_code`.
 *
 * With a `LoginWithAmazon=<base>` stand-in (./social.ts) both hosts are that base.
 */
import type { RequestContext } from "../../context.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";
import { asStringMap, type IdpAttributes } from "../triggers/inbound-federation.ts";
import { failure, fetchJson } from "./oidc.ts";
import { type PendingSignIn, savePendingSignIn, type StartInput } from "./pending.ts";
import { scopesOf, standInFor } from "./social.ts";

function endpoints(ctx: RequestContext): { authorize: string; token: string; profile: string } {
  const standIn = standInFor(ctx, "LoginWithAmazon");
  const www = standIn ?? "https://www.amazon.com";
  const api = standIn ?? "https://api.amazon.com";
  return { authorize: `${www}/ap/oa`, token: `${api}/auth/o2/token`, profile: `${api}/user/profile` };
}

export async function startAmazon(ctx: RequestContext, input: StartInput): Promise<string> {
  const { provider, params, callbackUrl } = input;
  const details = provider.providerDetails;
  const pending: PendingSignIn = { params: { ...params }, providerName: provider.providerName, callbackUrl };
  const state = await savePendingSignIn(ctx, provider, params.client_id ?? "", pending, input.binding);
  const url = new URL(endpoints(ctx).authorize);
  url.searchParams.set("client_id", details.client_id ?? "");
  url.searchParams.set("scope", scopesOf(details, "profile").join(" "));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", callbackUrl);
  url.searchParams.set("state", state);
  return url.href;
}

export async function finishAmazon(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  _response: Params = {},
  raw: IdpAttributes = {},
): Promise<Record<string, unknown>> {
  const details = provider.providerDetails;
  const at = endpoints(ctx);
  let accessToken: unknown;
  try {
    const tokens = await fetchJson(at.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: pending.callbackUrl,
        client_id: details.client_id ?? "",
        client_secret: details.client_secret ?? "",
      }).toString(),
    });
    raw.tokenResponse = asStringMap(tokens);
    accessToken = tokens.access_token;
  } catch {
    throw failure("The identity provider did not accept the authorization code.");
  }
  if (typeof accessToken !== "string" || accessToken === "")
    throw failure("The identity provider's token response has no access token.");
  let profile: Record<string, unknown>;
  try {
    profile = await fetchJson(at.profile, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
  } catch {
    throw failure("The identity provider's user profile could not be read.");
  }
  if (typeof profile.user_id !== "string" || profile.user_id === "")
    throw failure("The identity provider names no user id.");
  raw.userInfo = asStringMap(profile);
  return profile;
}
