/**
 * The authorization request (`GET /oauth2/authorize`, and the login pages it leads to): checked in
 * Cognito's order. An unknown client or a redirect URI that is not one of the client's
 * CallbackURLs (compared exactly) is answered on an error page and never redirected; every later
 * error goes back to the redirect URI with the request's `state`.
 */
import type { RequestContext } from "../../context.ts";
import type { ClientRecord, IdentityProviderRecord, PoolRecord } from "../../storage/records.ts";
import type { ClientCaller } from "../caller.ts";
import { type ErrorRedirect, OAuthError } from "./errors.ts";
import { verifyIdTokenHint } from "./id-token-hint.ts";
import { grantUserScopes, parseScope } from "./scopes.ts";
import { issuerFor } from "../tokens/issuer.ts";

export type Params = Readonly<Record<string, string>>;

export type PkceMethod = "S256" | "plain";

export interface AuthorizationRequest {
  pool: PoolRecord;
  client: ClientRecord;
  responseType: "code" | "token";
  redirectUri: string;
  state?: string;
  /** The granted scopes. */
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: PkceMethod;
  /** RFC 8707 resource indicator: the access token's `aud`. */
  resource?: string;
  lang?: string;
  /** Where errors about this request go. */
  errorRedirect: ErrorRedirect;
  /** Strict mode: OpenID Connect's prompt values, max_age (seconds) and login_hint. */
  prompt?: string[];
  maxAge?: number;
  loginHint?: string;
  /** Strict mode: the user an `id_token_hint` names (a session of another user is not used). */
  hintedSub?: string;
  /** The external provider the request names (identity_provider / idp_identifier), if any. */
  identityProvider?: IdentityProviderRecord;
}

/** The `oauth.mode` option: `strict` follows OpenID Connect where Cognito does not. */
export function isStrict(ctx: RequestContext): boolean {
  return ctx.services.config.oauth.mode === "strict";
}

const PROMPTS = new Set(["none", "login", "consent", "select_account"]);

/** The parameters that make up an authorization request, carried from page to page. */
export const AUTHORIZE_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "scope",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "identity_provider",
  "idp_identifier",
  "resource",
  "lang",
  "prompt",
  "max_age",
  "login_hint",
  "id_token_hint",
] as const;

export function callerOf(req: { pool: PoolRecord; client: ClientRecord }): ClientCaller {
  return { kind: "client", pool: req.pool, client: req.client };
}

/**
 * The client a `client_id` names, and its pool; undefined when there is none, or when the request
 * came to another pool's domain.
 */
export async function findClient(
  ctx: RequestContext,
  clientId: string | undefined,
): Promise<{ pool: PoolRecord; client: ClientRecord } | undefined> {
  if (!clientId) return undefined;
  const { storage } = ctx.services;
  const client = await storage.pools.getClientById(clientId);
  if (client && ctx.hostedPoolId !== undefined && client.poolId !== ctx.hostedPoolId) return undefined;
  const pool = client && (await storage.pools.getPool(client.poolId));
  return client && pool ? { pool, client } : undefined;
}

/** http and https URLs without a fragment (RFC 8707 §2). */
function isResourceUri(value: string): boolean {
  if (!URL.canParse(value) || value.includes("#")) return false;
  return ["https:", "http:"].includes(new URL(value).protocol);
}

export async function checkAuthorizationRequest(
  ctx: RequestContext,
  params: Params,
): Promise<AuthorizationRequest> {
  const found = await findClient(ctx, params.client_id);
  if (!found) throw new OAuthError("invalid_request", "The client_id is missing or names no app client.");
  const { pool, client } = found;
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !(client.settings.CallbackURLs ?? []).includes(redirectUri))
    throw new OAuthError(
      "redirect_mismatch",
      "The redirect_uri is not one of the app client's callback URLs.",
    );

  const responseType = params.response_type;
  const strict = isStrict(ctx);
  const redirect: ErrorRedirect = {
    redirectUri,
    ...(params.state === undefined ? {} : { state: params.state }),
    fragment: responseType === "token",
    ...(strict ? { iss: issuerFor(ctx, pool.id) } : {}),
  };
  const fail = (code: ConstructorParameters<typeof OAuthError>[0], description: string) =>
    new OAuthError(code, description, { redirect });

  if (strict && params.request !== undefined)
    throw fail("request_not_supported", "Request objects are not supported.");
  if (strict && params.request_uri !== undefined)
    throw fail("request_uri_not_supported", "Request objects by reference are not supported.");
  if (responseType === undefined) throw fail("invalid_request", "The response_type is missing.");
  if (responseType !== "code" && responseType !== "token")
    throw fail("unsupported_response_type", "The response_type must be code or token.");
  const flow = responseType === "code" ? "code" : "implicit";
  if (!client.settings.AllowedOAuthFlowsUserPoolClient || !client.settings.AllowedOAuthFlows?.includes(flow))
    throw fail("unauthorized_client", `The ${flow} grant is not allowed for this client.`);

  const provider = params.identity_provider ?? params.idp_identifier;
  let identityProvider: IdentityProviderRecord | undefined;
  if (provider !== undefined && provider !== "COGNITO") {
    const { federation } = ctx.services.storage;
    identityProvider =
      params.identity_provider !== undefined
        ? await federation.getIdentityProvider(pool.id, provider)
        : await federation.getIdentityProviderByIdentifier(pool.id, provider);
    if (
      !identityProvider ||
      !(client.settings.SupportedIdentityProviders ?? []).includes(identityProvider.providerName)
    )
      throw fail("invalid_request", `The identity provider ${provider} is not supported by the app client.`);
  } else if (!(client.settings.SupportedIdentityProviders ?? []).includes("COGNITO"))
    throw fail(
      "unauthorized_client",
      "The app client does not support sign-in with the user pool (COGNITO).",
    );

  const scopes = grantUserScopes(client, parseScope(params.scope), redirect);

  const request: AuthorizationRequest = {
    pool,
    client,
    responseType,
    redirectUri,
    scopes,
    errorRedirect: redirect,
  };
  if (identityProvider) request.identityProvider = identityProvider;
  if (params.state !== undefined) request.state = params.state;
  if (params.nonce !== undefined) request.nonce = params.nonce;
  if (params.lang !== undefined) request.lang = params.lang;
  if (responseType === "code") {
    const challenge = params.code_challenge;
    const method = params.code_challenge_method;
    if (method !== undefined && challenge === undefined)
      throw fail("invalid_request", "A code_challenge_method needs a code_challenge.");
    if (challenge !== undefined) {
      const m = method ?? "plain";
      if (m !== "S256" && m !== "plain")
        throw fail("invalid_request", "The code_challenge_method must be S256 or plain.");
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))
        throw fail("invalid_request", "The code_challenge is malformed.");
      request.codeChallenge = challenge;
      request.codeChallengeMethod = m;
    }
  }
  if (strict) {
    if (params.prompt !== undefined) {
      const prompt = params.prompt.split(" ").filter((p) => p !== "");
      if (prompt.some((p) => !PROMPTS.has(p)) || (prompt.includes("none") && prompt.length > 1))
        throw fail("invalid_request", "The prompt parameter is malformed.");
      request.prompt = prompt;
    }
    if (params.max_age !== undefined) {
      if (!/^\d{1,9}$/.test(params.max_age))
        throw fail("invalid_request", "The max_age must be a number of seconds.");
      request.maxAge = Number(params.max_age);
    }
    if (params.login_hint !== undefined) request.loginHint = params.login_hint;
    if (params.id_token_hint !== undefined) {
      const hint = await verifyIdTokenHint(ctx, params.id_token_hint);
      if (hint?.clientId !== client.clientId)
        throw fail("invalid_request", "The id_token_hint is not an ID token of this client.");
      request.hintedSub = hint.sub;
    }
  }
  if (params.resource !== undefined) {
    if (!isResourceUri(params.resource))
      throw fail("invalid_request", "The resource must be an absolute http or https URI without a fragment.");
    request.resource = params.resource;
  }
  return request;
}
