/**
 * Facebook Login, as Cognito signs in with it: OAuth 2.0 (no ID token) at Facebook's endpoints,
 * each under the provider's `api_version` when it has one (`https://www.facebook.com/<v>/dialog/oauth`,
 * `https://graph.facebook.com/<v>/oauth/access_token`, read by GET as Cognito's
 * `token_request_method` says), the `authorize_scopes` sent comma separated (Facebook's
 * permissions, `public_profile,email`), and the user's attributes read from the Graph API,
 * `/<v>/me?fields=...`: the `id` (the subject) and the fields the provider's AttributeMapping
 * names, as Cognito adds them (`attributes_url_add_attributes`).
 *
 * With a `Facebook=<base>` stand-in (./social.ts) both hosts are that base.
 */
import type { RequestContext } from "../../context.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";
import { asStringMap, type IdpAttributes } from "../triggers/inbound-federation.ts";
import { failure, fetchJson } from "./oidc.ts";
import { type PendingSignIn, savePendingSignIn, type StartInput } from "./pending.ts";
import { scopesOf, standInFor } from "./social.ts";

interface FacebookEndpoints {
  authorize: string;
  token: string;
  me: string;
}

function endpoints(ctx: RequestContext, details: Readonly<Record<string, string>>): FacebookEndpoints {
  const standIn = standInFor(ctx, "Facebook");
  const v = details.api_version ? `/${encodeURIComponent(details.api_version)}` : "";
  const www = standIn ?? "https://www.facebook.com";
  const graph = standIn ?? "https://graph.facebook.com";
  return {
    authorize: `${www}${v}/dialog/oauth`,
    token: `${graph}${v}/oauth/access_token`,
    me: `${graph}${v}/me`,
  };
}

/** The Graph API fields to read: `id`, and the Facebook fields the attribute mapping names. */
function fieldsOf(provider: IdentityProviderRecord): string {
  const fields = new Set(["id"]);
  for (const claim of Object.values(provider.attributeMapping))
    if (/^[a-z_]+$/.test(claim)) fields.add(claim);
  return [...fields].join(",");
}

export async function startFacebook(ctx: RequestContext, input: StartInput): Promise<string> {
  const { provider, params, callbackUrl } = input;
  const details = provider.providerDetails;
  const pending: PendingSignIn = { params: { ...params }, providerName: provider.providerName, callbackUrl };
  const state = await savePendingSignIn(ctx, provider, params.client_id ?? "", pending, input.binding);
  const url = new URL(endpoints(ctx, details).authorize);
  url.searchParams.set("client_id", details.client_id ?? "");
  url.searchParams.set("redirect_uri", callbackUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", scopesOf(details, "public_profile").join(","));
  url.searchParams.set("state", state);
  return url.href;
}

export async function finishFacebook(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  _response: Params = {},
  raw: IdpAttributes = {},
): Promise<Record<string, unknown>> {
  const details = provider.providerDetails;
  const at = endpoints(ctx, details);
  const token = new URL(at.token);
  token.searchParams.set("client_id", details.client_id ?? "");
  token.searchParams.set("redirect_uri", pending.callbackUrl);
  token.searchParams.set("client_secret", details.client_secret ?? "");
  token.searchParams.set("code", code);
  let accessToken: unknown;
  try {
    const tokens = await fetchJson(token.href, { headers: { accept: "application/json" } });
    raw.tokenResponse = asStringMap(tokens);
    accessToken = tokens.access_token;
  } catch {
    throw failure("The identity provider did not accept the authorization code.");
  }
  if (typeof accessToken !== "string" || accessToken === "")
    throw failure("The identity provider's token response has no access token.");
  const me = new URL(at.me);
  me.searchParams.set("fields", fieldsOf(provider));
  let user: Record<string, unknown>;
  try {
    user = await fetchJson(me.href, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
  } catch {
    throw failure("The identity provider's Graph API could not be read.");
  }
  if (typeof user.id !== "string" || user.id === "") throw failure("The identity provider names no user id.");
  raw.userInfo = asStringMap(user);
  return user;
}
