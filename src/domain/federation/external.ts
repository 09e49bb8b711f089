/**
 * Sign-in through an external identity provider, from the authorization request to the user: the
 * authorize endpoint (and the login page's buttons) name a provider; its protocol's start function
 * (EXTERNAL_SIGN_IN, keyed by ProviderType) sends the browser there, keeping the pending sign-in
 * (./pending.ts); the protocol's callback endpoint takes it back, verifies the provider's answer
 * and ends in the federated sign-in (./federated-sign-in.ts), then the app's authorization code.
 */
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../errors.ts";
import type { IdentityProviderRecord, UserRecord } from "../../storage/records.ts";
import { type AuthorizationRequest, checkAuthorizationRequest, type Params } from "../oauth/authorize.ts";
import { OAuthError } from "../oauth/errors.ts";
import { type FederatedClaims, resolveFederatedUser } from "./federated-sign-in.ts";
import type { IdpAttributes } from "../triggers/inbound-federation.ts";
import { finishAmazon, startAmazon } from "./amazon.ts";
import { finishApple, startApple } from "./apple.ts";
import { finishFacebook, startFacebook } from "./facebook.ts";
import { finishGoogle, startGoogle } from "./google.ts";
import { finishOidc, startOidc } from "./oidc.ts";
import { startSamlSignIn } from "./saml-sp.ts";
import type { PendingSignIn, StartInput } from "./pending.ts";
import type { ProviderType } from "./provider-details.ts";

/** Starts a sign-in at a provider: the URL the browser goes to. */
export type StartFunction = (ctx: RequestContext, input: StartInput) => Promise<string>;

/**
 * The start function of each provider type (SAML's answer comes back to /saml2/idpresponse, see
 * ./saml-sp.ts); a type without one is refused at the authorize endpoint.
 */
export const EXTERNAL_SIGN_IN: Partial<Record<ProviderType, StartFunction>> = {
  OIDC: startOidc,
  Google: startGoogle,
  Facebook: startFacebook,
  LoginWithAmazon: startAmazon,
  SignInWithApple: startApple,
  SAML: startSamlSignIn,
};

/**
 * The end of an OAuth 2.0 / OIDC provider's sign-in at /oauth2/idpresponse: the provider's code
 * exchanged and its answer verified; the identity's claims. `response` is all the provider sent
 * back (Sign in with Apple posts the user's name in it). The parts of the provider's answer (the
 * token response, the ID token's claims, the user info) go into `raw`, for the InboundFederation
 * trigger.
 */
export type FinishFunction = (
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  response: Params,
  raw: IdpAttributes,
) => Promise<Record<string, unknown>>;

export const IDP_RESPONSE: Partial<Record<ProviderType, FinishFunction>> = {
  OIDC: finishOidc,
  Google: finishGoogle,
  Facebook: finishFacebook,
  LoginWithAmazon: finishAmazon,
  SignInWithApple: finishApple,
};

/** The start function of a provider's type; undefined when Lanyard cannot sign in through it. */
export function starterOf(provider: IdentityProviderRecord): StartFunction | undefined {
  return EXTERNAL_SIGN_IN[provider.providerType as ProviderType];
}

/**
 * The end of every external sign-in, once the protocol has verified the provider's answer: the
 * app's authorization request checked again (the client may have changed meanwhile), the user
 * resolved (./federated-sign-in.ts: links, the federated user, attribute mapping). The caller
 * answers the request with the authorization response for that user.
 */
export async function completeExternalSignIn(
  ctx: RequestContext,
  pending: PendingSignIn,
  claims: FederatedClaims,
  raw?: IdpAttributes,
): Promise<{ request: AuthorizationRequest; user: UserRecord }> {
  const request = await checkAuthorizationRequest(ctx, pending.params);
  if (!(request.client.settings.SupportedIdentityProviders ?? []).includes(pending.providerName))
    throw new OAuthError("invalid_request", "Login option is not available. Please try another one");
  try {
    const user = await resolveFederatedUser(
      ctx,
      request.pool,
      pending.providerName,
      claims,
      request.client.clientId,
      raw,
    );
    return { request, user };
  } catch (e) {
    if (e instanceof AwsError && e.status < 500) throw new OAuthError("invalid_request", e.message);
    throw e;
  }
}
