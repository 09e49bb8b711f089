/**
 * OpenID Connect identity providers: the authorization-code flow to the provider's authorize and
 * token endpoints (from ProviderDetails, or else from the `oidc_issuer`'s discovery document), the
 * client secret sent as `client_secret_post` (or `client_secret_basic` when the provider's
 * discovery document names only that), the configured `authorize_scopes`, and the ID token
 * verified against the provider's JWKS (signature, issuer, audience, expiry, nonce). The user-info
 * endpoint is read, with the method `attributes_request_method` names, when one is known; its
 * claims join the ID token's. The app's `prompt` and `login_hint` go on to the provider.
 */
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import type { RequestContext } from "../../context.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";
import { OAuthError } from "../oauth/errors.ts";
import { asStringMap, type IdpAttributes } from "../triggers/inbound-federation.ts";
import { type PendingSignIn, savePendingSignIn, type StartInput } from "./pending.ts";

const FETCH_TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 10 * 60_000;

export interface OidcEndpoints {
  issuer: string;
  authorize: string;
  token: string;
  jwks: string;
  userinfo?: string;
  /** The client authentication the token endpoint takes. */
  auth: "client_secret_post" | "client_secret_basic";
}

interface Discovered {
  doc: Record<string, unknown>;
  until: number;
}

const discovered = new Map<string, Discovered>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function failure(description: string): OAuthError {
  return new OAuthError("invalid_request", description);
}

export async function fetchJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error(`${url} answered ${res.status} without a JSON object`);
  if (!res.ok) {
    const b = body as Record<string, unknown>;
    throw new Error(
      `${url} answered ${res.status}: ${String(b.error ?? "")} ${String(b.error_description ?? "")}`,
    );
  }
  return body as Record<string, unknown>;
}

/** The issuer's discovery document, cached for a while. */
async function discovery(ctx: RequestContext, issuer: string): Promise<Record<string, unknown>> {
  const cached = discovered.get(issuer);
  if (cached && cached.until > ctx.now) return cached.doc;
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  let doc: Record<string, unknown>;
  try {
    doc = await fetchJson(url);
  } catch {
    throw failure(`The identity provider's discovery document could not be read from ${url}.`);
  }
  discovered.set(issuer, { doc, until: ctx.now + DISCOVERY_TTL_MS });
  return doc;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The provider's endpoints: ProviderDetails first, the issuer's discovery document for the rest. */
export async function oidcEndpoints(
  ctx: RequestContext,
  details: Readonly<Record<string, string>>,
): Promise<OidcEndpoints> {
  const issuer = details.oidc_issuer!;
  const given = {
    authorize: text(details.authorize_url),
    token: text(details.token_url),
    jwks: text(details.jwks_uri),
    userinfo: text(details.attributes_url),
  };
  const complete = given.authorize && given.token && given.jwks;
  const doc = complete ? {} : await discovery(ctx, issuer);
  const authorize = given.authorize ?? text(doc.authorization_endpoint);
  const token = given.token ?? text(doc.token_endpoint);
  const jwks = given.jwks ?? text(doc.jwks_uri);
  if (!authorize || !token || !jwks)
    throw failure("The identity provider's authorize, token or JWKS endpoint is not known.");
  const methods = Array.isArray(doc.token_endpoint_auth_methods_supported)
    ? (doc.token_endpoint_auth_methods_supported as unknown[])
    : [];
  const auth =
    methods.includes("client_secret_basic") && !methods.includes("client_secret_post")
      ? "client_secret_basic"
      : "client_secret_post";
  const userinfo = given.userinfo ?? text(doc.userinfo_endpoint);
  return { issuer, authorize, token, jwks, auth, ...(userinfo ? { userinfo } : {}) };
}

/** Sends the browser to the provider's authorize endpoint. */
export async function startOidc(ctx: RequestContext, input: StartInput): Promise<string> {
  const { provider, params, callbackUrl } = input;
  const details = provider.providerDetails;
  const endpoints = await oidcEndpoints(ctx, details);
  const nonce = randomBytes(24).toString("base64url");
  const pending: PendingSignIn = {
    params: { ...params },
    providerName: provider.providerName,
    nonce,
    callbackUrl,
  };
  const state = await savePendingSignIn(ctx, provider, params.client_id ?? "", pending, input.binding);
  const url = new URL(endpoints.authorize);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", details.client_id ?? "");
  url.searchParams.set("redirect_uri", callbackUrl);
  url.searchParams.set(
    "scope",
    (details.authorize_scopes ?? "openid")
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(" "),
  );
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  // Passed on to the provider as Cognito passes them: prompt, and login_hint.
  if (params.prompt) url.searchParams.set("prompt", params.prompt);
  if (params.login_hint) url.searchParams.set("login_hint", params.login_hint);
  return url.href;
}

export function keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: FETCH_TIMEOUT_MS });
    keySets.set(url, set);
  }
  return set;
}

/**
 * The provider's answer at /oauth2/idpresponse, checked: the code redeemed at the token endpoint,
 * the ID token verified. Returns the identity's claims (and puts the answer's parts in `raw`).
 */
export async function finishOidc(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  pending: PendingSignIn,
  code: string,
  _response: Params = {},
  raw: IdpAttributes = {},
): Promise<Record<string, unknown>> {
  const details = provider.providerDetails;
  const endpoints = await oidcEndpoints(ctx, details);
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: pending.callbackUrl,
  });
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  const clientId = details.client_id ?? "";
  const secret = details.client_secret;
  if (secret !== undefined && endpoints.auth === "client_secret_basic") {
    const enc = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
  } else {
    form.set("client_id", clientId);
    if (secret !== undefined) form.set("client_secret", secret);
  }
  let tokens: Record<string, unknown>;
  try {
    tokens = await fetchJson(endpoints.token, { method: "POST", headers, body: form.toString() });
  } catch {
    throw failure("The identity provider did not accept the authorization code.");
  }
  const idToken = text(tokens.id_token);
  if (!idToken) throw failure("The identity provider's token response has no ID token.");
  const claims = await verifyIdToken(ctx, idToken, endpoints.jwks, endpoints.issuer, clientId, pending);
  raw.tokenResponse = asStringMap(tokens);
  raw.idToken = asStringMap(claims);
  const accessToken = text(tokens.access_token);
  if (!endpoints.userinfo || !accessToken) return claims;
  let info: Record<string, unknown>;
  try {
    info =
      details.attributes_request_method === "POST"
        ? await fetchJson(endpoints.userinfo, {
            method: "POST",
            headers: {
              authorization: `Bearer ${accessToken}`,
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
            },
            body: "",
          })
        : await fetchJson(endpoints.userinfo, {
            headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
          });
  } catch {
    throw failure("The identity provider's user-info endpoint could not be read.");
  }
  if (info.sub !== undefined && info.sub !== claims.sub)
    throw failure("The identity provider's user info is about another subject.");
  raw.userInfo = asStringMap(info);
  return { ...info, ...claims };
}

/**
 * A provider's ID token checked against its keys: signature, issuer, audience (the client id),
 * expiry, the sign-in's nonce, and a subject. Any failure ends the sign-in on the error page.
 */
export async function verifyIdToken(
  ctx: RequestContext,
  idToken: string,
  jwks: string,
  issuer: string,
  clientId: string,
  pending: PendingSignIn,
): Promise<JWTPayload> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(idToken, keySet(jwks), {
      issuer,
      audience: clientId,
      currentDate: new Date(ctx.now),
    }));
  } catch (e) {
    const why = e instanceof Error && "code" in e ? ` (${String((e as { code: unknown }).code)})` : "";
    throw failure(`The identity provider's ID token is not valid${why}.`);
  }
  if (pending.nonce !== undefined && claims.nonce !== pending.nonce)
    throw failure("The identity provider's ID token does not carry the nonce of this sign-in.");
  if (typeof claims.sub !== "string" || claims.sub === "")
    throw failure("The identity provider's ID token has no subject.");
  return claims;
}
