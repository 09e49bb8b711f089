/**
 * Federated users in black-box tests: the opt-in `POST /_lanyard/federated-sign-in` endpoint
 * (server started with `--enable-test-federation`), SAML IdP metadata documents, and details of
 * identity providers that CreateIdentityProvider accepts.
 */
import type { AuthenticationResultType } from "@aws-sdk/client-cognito-identity-provider";
import type { TestServer } from "./server.ts";

export interface FederatedAnswer {
  status: number;
  AuthenticationResult?: AuthenticationResultType;
  __type?: string;
  message?: string;
}

/** Signs a user of `providerName` in from `claims`, as if the provider had vouched for them. */
export async function federatedSignIn(
  server: TestServer,
  clientId: string,
  providerName: string,
  claims: Record<string, unknown>,
): Promise<FederatedAnswer> {
  const res = await fetch(`${server.url}/_lanyard/federated-sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ClientId: clientId, ProviderName: providerName, Claims: claims }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** Like federatedSignIn, but the tokens or an Error naming the refusal. */
export async function federatedTokens(
  server: TestServer,
  clientId: string,
  providerName: string,
  claims: Record<string, unknown>,
): Promise<AuthenticationResultType> {
  const answer = await federatedSignIn(server, clientId, providerName, claims);
  if (!answer.AuthenticationResult)
    throw Object.assign(new Error(`${answer.__type}: ${answer.message}`), { name: answer.__type });
  return answer.AuthenticationResult;
}

/** The claims of a JWT (unverified: the tests that need verification use jose). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

/** A SAML 2.0 IdP metadata document. */
export function samlMetadata(entityId: string, base = "https://idp.example.com"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>MIIBfakeCERT</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${base}/sso/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

export const GOOGLE_DETAILS = {
  client_id: "1example23456789.apps.googleusercontent.com",
  client_secret: "provider-app-client-secret",
  authorize_scopes: "email profile openid",
};

export const FACEBOOK_DETAILS = {
  client_id: "1example23456789",
  client_secret: "provider-app-client-secret",
  authorize_scopes: "public_profile, email",
};

export const AMAZON_DETAILS = {
  client_id: "amzn1.application-oa2-client.1example23456789",
  client_secret: "provider-app-client-secret",
  authorize_scopes: "profile postal_code",
};

export const APPLE_DETAILS = {
  client_id: "com.example.cognito",
  team_id: "3EXAMPLE",
  key_id: "2EXAMPLE",
  private_key: "-----BEGIN PRIVATE KEY-----\nMIGTAgEAexample\n-----END PRIVATE KEY-----",
  authorize_scopes: "email name",
};

export const OIDC_DETAILS = {
  client_id: "1example23456789",
  client_secret: "provider-app-client-secret",
  attributes_request_method: "GET",
  oidc_issuer: "https://auth.example.com",
  authorize_scopes: "openid profile email",
};
