/**
 * Google, as Cognito signs in with it: an OpenID Connect sign-in at Google's fixed endpoints
 * (authorize `https://accounts.google.com/o/oauth2/v2/auth`, token
 * `https://oauth2.googleapis.com/token`, issuer `https://accounts.google.com` and its JWKS), the
 * administrator's `client_id`, `client_secret` and `authorize_scopes`, the subject in `sub`. The
 * claims are the ID token's and the OpenID user-info endpoint's.
 *
 * With the `socialStandIn` option the sign-in goes to that issuer instead (found by discovery):
 * a local stand-in, such as the mock provider, for tests and offline work.
 */
import type { RequestContext } from "../../context.ts";
import type { Params } from "../oauth/authorize.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { IdpAttributes } from "../triggers/inbound-federation.ts";
import { finishOidc, startOidc } from "./oidc.ts";
import type { PendingSignIn, StartInput } from "./pending.ts";
import { standInFor } from "./social.ts";

const GOOGLE = {
  oidc_issuer: "https://accounts.google.com",
  authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
  token_url: "https://oauth2.googleapis.com/token",
  jwks_uri: "https://www.googleapis.com/oauth2/v3/certs",
  attributes_url: "https://openidconnect.googleapis.com/v1/userinfo",
};

/** The provider as an OIDC provider at Google's endpoints, or at the stand-in's. */
function asOidc(ctx: RequestContext, provider: IdentityProviderRecord): IdentityProviderRecord {
  const { client_id, client_secret, authorize_scopes } = provider.providerDetails;
  const base: Record<string, string> = {
    ...(client_id === undefined ? {} : { client_id }),
    ...(client_secret === undefined ? {} : { client_secret }),
    authorize_scopes: authorize_scopes ?? "openid email profile",
    attributes_request_method: "GET",
  };
  const standIn = standInFor(ctx, "Google");
  const details = standIn ? { ...base, oidc_issuer: standIn } : { ...base, ...GOOGLE };
  return { ...provider, providerDetails: details };
}

export function startGoogle(ctx: RequestContext, input: StartInput): Promise<string> {
  return startOidc(ctx, { ...input, provider: asOidc(ctx, input.provider) });
}

export function finishGoogle(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  response: Params,
  raw: IdpAttributes,
): Promise<Record<string, unknown>> {
  return finishOidc(ctx, asOidc(ctx, provider), pending, code, response, raw);
}
