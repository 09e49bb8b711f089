/**
 * Sign in with Apple, as Cognito signs in with it: OpenID Connect at Apple's endpoints (authorize
 * `https://appleid.apple.com/auth/authorize`, token `https://appleid.apple.com/auth/token`, keys
 * `https://appleid.apple.com/auth/keys`, issuer `https://appleid.apple.com`), the `authorize_scopes`
 * (`name`, `email`) sent space separated, and, when they ask for the name or the e-mail address,
 * `response_mode=form_post` (Apple requires it then): Apple posts the code, the state and, at a
 * user's first sign-in only, a `user` JSON object with the name back to /oauth2/idpresponse.
 *
 * The client secret is a JWT the token request carries, made at each request: ES256, signed with
 * the `private_key` of ProviderDetails (the key file's PKCS #8), header `kid` the `key_id`, claims
 * `iss` the `team_id`, `sub` the `client_id`, `aud` `https://appleid.apple.com`, issued now and
 * valid for five minutes. The ID token is verified against Apple's keys (issuer, audience `client_id`,
 * expiry, the nonce of this sign-in). The claims are the ID token's (`sub`, `email`,
 * `email_verified`, `is_private_email`) and, from `user`, `firstName`, `lastName` and `name`.
 *
 * With a `SignInWithApple=<base>` stand-in (./social.ts) the endpoints are under that base and the
 * ID token's issuer is the base; the client secret's audience stays Apple's.
 */
import { randomBytes } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import type { RequestContext } from "../../context.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";
import { asStringMap, type IdpAttributes } from "../triggers/inbound-federation.ts";
import { failure, fetchJson, verifyIdToken } from "./oidc.ts";
import { type PendingSignIn, savePendingSignIn, type StartInput } from "./pending.ts";
import { scopesOf, standInFor } from "./social.ts";

export const APPLE_AUDIENCE = "https://appleid.apple.com";
const CLIENT_SECRET_LIFETIME_S = 300;

function endpoints(ctx: RequestContext): { issuer: string; authorize: string; token: string; keys: string } {
  const base = standInFor(ctx, "SignInWithApple") ?? "https://appleid.apple.com";
  return {
    issuer: base,
    authorize: `${base}/auth/authorize`,
    token: `${base}/auth/token`,
    keys: `${base}/auth/keys`,
  };
}

/** The key file's text as PEM: given with its BEGIN/END lines, or as the bare base64 body. */
function privateKeyPem(key: string): string {
  const trimmed = key.trim().replace(/\\n/g, "\n");
  if (trimmed.includes("-----BEGIN")) return trimmed;
  const body = trimmed.replace(/\s+/g, "");
  return `-----BEGIN PRIVATE KEY-----\n${body.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END PRIVATE KEY-----\n`;
}

/** The client secret of a token request: an ES256 JWT signed with the provider's private key. */
export async function appleClientSecret(
  details: Readonly<Record<string, string>>,
  nowMs: number,
): Promise<string> {
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(privateKeyPem(details.private_key ?? ""), "ES256");
  } catch {
    throw failure("The provider's private_key is not an ES256 (P-256) private key in PKCS #8.");
  }
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: details.key_id ?? "" })
    .setIssuer(details.team_id ?? "")
    .setSubject(details.client_id ?? "")
    .setAudience(APPLE_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + CLIENT_SECRET_LIFETIME_S)
    .sign(key);
}

export async function startApple(ctx: RequestContext, input: StartInput): Promise<string> {
  const { provider, params, callbackUrl } = input;
  const details = provider.providerDetails;
  const nonce = randomBytes(24).toString("base64url");
  const pending: PendingSignIn = {
    params: { ...params },
    providerName: provider.providerName,
    nonce,
    callbackUrl,
  };
  const state = await savePendingSignIn(ctx, provider, params.client_id ?? "", pending, input.binding);
  const scopes = scopesOf(details, "");
  const url = new URL(endpoints(ctx).authorize);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", details.client_id ?? "");
  url.searchParams.set("redirect_uri", callbackUrl);
  if (scopes.length > 0) url.searchParams.set("scope", scopes.join(" "));
  if (scopes.includes("name") || scopes.includes("email")) url.searchParams.set("response_mode", "form_post");
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  return url.href;
}

/** The name Apple posts at a user's first sign-in (`user`, JSON), as claims. */
function nameClaims(user: string | undefined): Record<string, string> {
  if (!user) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(user);
  } catch {
    return {};
  }
  const name = (parsed as { name?: { firstName?: unknown; lastName?: unknown } } | null)?.name;
  const out: Record<string, string> = {};
  if (typeof name?.firstName === "string" && name.firstName !== "") out.firstName = name.firstName;
  if (typeof name?.lastName === "string" && name.lastName !== "") out.lastName = name.lastName;
  const full = [out.firstName, out.lastName].filter(Boolean).join(" ");
  if (full !== "") out.name = full;
  return out;
}

export async function finishApple(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  response: Params = {},
  raw: IdpAttributes = {},
): Promise<Record<string, unknown>> {
  const details = provider.providerDetails;
  const at = endpoints(ctx);
  const clientId = details.client_id ?? "";
  const clientSecret = await appleClientSecret(details, ctx.now);
  let tokens: Record<string, unknown>;
  try {
    tokens = await fetchJson(at.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        code,
        grant_type: "authorization_code",
        redirect_uri: pending.callbackUrl,
      }).toString(),
    });
  } catch {
    throw failure("The identity provider did not accept the authorization code.");
  }
  const idToken = typeof tokens.id_token === "string" ? tokens.id_token : "";
  if (idToken === "") throw failure("The identity provider's token response has no ID token.");
  const claims = await verifyIdToken(ctx, idToken, at.keys, at.issuer, clientId, pending);
  raw.tokenResponse = asStringMap(tokens);
  raw.idToken = asStringMap(claims);
  return { ...nameClaims(response.user), ...claims };
}
