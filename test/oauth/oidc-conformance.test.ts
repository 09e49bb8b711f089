/**
 * The OpenID Foundation conformance suite's Basic OP plan (oidcc-basic-certification-test-plan),
 * ported: each test is named after the plan's module and checks what that module's conditions
 * check, against a server in strict mode (`--oauth-mode strict`), with a static confidential
 * client (client_secret_basic unless the module says otherwise). The Config OP plan's one module
 * is in ./oidc-conformance-config.test.ts.
 *
 * Modules of the plan that do not apply to Lanyard (also listed in
 * docs/compatibility/50-oauth.md, "OpenID conformance"):
 * - oidcc-idtoken-unsigned: needs a client registered with id_token_signed_response_alg "none";
 *   app clients have no such setting and discovery offers only RS256, so the suite skips it.
 * - oidcc-scope-address, oidcc-scope-all: the suite skips them when scopes_supported lacks
 *   `address`; Cognito has no address scope.
 * - The screenshot halves of oidcc-display-page, oidcc-display-popup, oidcc-prompt-login,
 *   oidcc-max-age-1, oidcc-login-hint, oidcc-ui-locales, oidcc-claims-locales,
 *   oidcc-ensure-registered-redirect-uri and oidcc-ensure-request-object-with-redirect-uri: a
 *   person reviews an image of the page. What the module checks by itself (the flow succeeds, the
 *   form is shown again, no redirect to an unregistered URI) is checked here.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { CreateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as jose from "jose";
import { setClockOffset } from "../support/inbox.ts";
import {
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  signInAt,
  submit,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: string[];
}

interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
}

const STRING_CLAIMS = [
  "sub",
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "phone_number",
];

/**
 * ValidateIdTokenStandardClaims / ValidateUserInfoStandardClaims (OIDCC-5.1): each standard claim
 * present has its type; with EnsureUserInfoUpdatedAtValid and EnsureUserInfoBirthDateValid.
 */
function checkStandardClaims(claims: Record<string, unknown>): void {
  for (const name of STRING_CLAIMS)
    if (name in claims) assert.equal(typeof claims[name], "string", `${name} is a string`);
  for (const name of ["email_verified", "phone_number_verified"])
    if (name in claims) assert.equal(typeof claims[name], "boolean", `${name} is a boolean`);
  if ("address" in claims) {
    const address = claims.address as Record<string, unknown>;
    assert.ok(
      typeof address === "object" && address !== null && !Array.isArray(address),
      "address is an object",
    );
    assert.ok(Object.keys(address).length > 0);
    for (const part of ["formatted", "street_address", "locality", "region", "postal_code", "country"])
      if (part in address) assert.equal(typeof address[part], "string", `address.${part} is a string`);
  }
  if ("updated_at" in claims) {
    assert.equal(typeof claims.updated_at, "number", "updated_at is a number");
    const at = (claims.updated_at as number) * 1000;
    assert.ok(at <= Date.now() + 300_000 && at >= Date.UTC(1990, 0, 1), "updated_at is a plausible time");
  }
  if ("birthdate" in claims)
    assert.match(claims.birthdate as string, /^(\d{4}|\d{4}-\d{2}-\d{2}|0000-\d{2}-\d{2})$/);
}

/** VerifyScopesReturnedInUserInfoClaims: the standard claims each scope must bring. */
const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ["sub"],
  profile: [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
    "preferred_username",
  ],
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
};

function checkScopeClaims(info: Record<string, unknown>, scope: string): void {
  for (const s of scope.split(" "))
    for (const claim of SCOPE_CLAIMS[s]!) assert.ok(claim in info, `${claim} (scope ${s}) is returned`);
}

/** RFC 6749's error_description characters (%x20-21 / %x23-5B / %x5D-7E). */
const ERROR_DESCRIPTION = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/** ValidateErrorFromTokenEndpointResponseError: an `error`, a well-formed description if any. */
function checkErrorBody(body: Record<string, unknown>): void {
  assert.equal(typeof body.error, "string");
  assert.match(body.error as string, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
  if (body.error_description !== undefined) assert.match(body.error_description as string, ERROR_DESCRIPTION);
  if (body.error_uri !== undefined) assert.ok(URL.canParse(body.error_uri as string));
}

/** RFC 6749 A.12 / A.17: access and refresh tokens are VSCHARs. */
const VSCHAR = /^[\x20-\x7E]+$/;

type Claims = jose.JWTPayload & { nonce?: string; at_hash?: string; auth_time?: number; azp?: string };

describe("OpenID conformance: Basic OP (strict mode)", () => {
  let server: TestServer;
  let app: OAuthApp;
  let discovery: Discovery;
  let jwks: jose.JSONWebKeySet;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock", "--oauth-mode", "strict"] });
    app = await oauthApp(
      server,
      {
        GenerateSecret: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email", "profile", "phone"],
      },
      {
        attributes: [
          { Name: "email", Value: "alice@example.com" },
          { Name: "email_verified", Value: "true" },
          { Name: "phone_number", Value: "+15555550100" },
          { Name: "phone_number_verified", Value: "false" },
          { Name: "name", Value: "Alice Liddell" },
          { Name: "given_name", Value: "Alice" },
          { Name: "family_name", Value: "Liddell" },
          { Name: "middle_name", Value: "Pleasance" },
          { Name: "nickname", Value: "Al" },
          { Name: "preferred_username", Value: "alice.l" },
          { Name: "profile", Value: "https://alice.example/" },
          { Name: "picture", Value: "https://alice.example/me.png" },
          { Name: "website", Value: "https://wonderland.example/" },
          { Name: "gender", Value: "female" },
          { Name: "zoneinfo", Value: "Europe/London" },
          { Name: "locale", Value: "en-GB" },
          { Name: "birthdate", Value: "1852-05-04" },
          { Name: "address", Value: "1 Main Street, Oxford" },
          { Name: "updated_at", Value: String(Math.floor(Date.now() / 1000) - 60) },
        ],
      },
    );
    discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as Discovery;
    jwks = (await (await fetch(discovery.jwks_uri)).json()) as jose.JSONWebKeySet;
  });
  after(() => server.stop());

  /** An authorization request URL (code flow) with the module's parameters. */
  const authorizeUrl = (extra: Record<string, string> = {}): string =>
    `${discovery.authorization_endpoint}?${new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      scope: "openid",
      state: "state-1",
      nonce: "nonce-1",
      ...extra,
    })}`;

  /** CheckMatchingCallbackParameters, CheckIfAuthorizationEndpointError, CheckMatchingStateParameter. */
  const codeOf = (res: Response, state = "state-1"): string => {
    const callback = callbackOf(res);
    assert.equal(`${callback.origin}${callback.pathname}`, CALLBACK);
    assert.equal(
      callback.searchParams.get("error"),
      null,
      callback.searchParams.get("error_description") ?? "",
    );
    assert.equal(callback.searchParams.get("state"), state);
    assert.equal(callback.searchParams.get("iss"), discovery.issuer);
    const code = callback.searchParams.get("code");
    assert.ok(code);
    return code;
  };

  /**
   * A redirect carrying an authorization error with the request's state and iss
   * (CheckStateInAuthorizationResponse, ValidateErrorDescriptionFromAuthorizationEndpointResponseError,
   * CheckForUnexpectedParametersInErrorResponseFromAuthorizationEndpoint).
   */
  const errorOf = (res: Response, state = "state-1"): string => {
    const callback = callbackOf(res);
    assert.equal(`${callback.origin}${callback.pathname}`, CALLBACK);
    assert.equal(callback.searchParams.get("code"), null);
    assert.equal(callback.searchParams.get("state"), state);
    assert.equal(callback.searchParams.get("iss"), discovery.issuer);
    const params = Object.fromEntries(callback.searchParams);
    for (const name of Object.keys(params))
      assert.ok(["error", "error_description", "error_uri", "state", "iss"].includes(name), name);
    checkErrorBody(params);
    return params.error!;
  };

  /** A token endpoint error: 400, JSON, the given error (CheckTokenEndpointHttpStatus400 and the like). */
  const tokenErrorOf = async (res: Response, error: string) => {
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-type")!, /^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    checkErrorBody(body);
    assert.equal(body.error, error);
  };

  const basic = () => `Basic ${btoa(`${app.clientId}:${app.clientSecret!}`)}`;

  /** The token request of the code, with client_secret_basic (or client_secret_post). */
  const redeem = (code: string, auth: "basic" | "post" = "basic", extra: Record<string, string> = {}) =>
    fetch(discovery.token_endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(auth === "basic" ? { authorization: basic() } : {}),
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: CALLBACK,
        ...(auth === "post" ? { client_id: app.clientId, client_secret: app.clientSecret! } : {}),
        ...extra,
      }),
    });

  /**
   * The token endpoint's answer as AbstractOIDCCServerTest checks it: 200 JSON, not cached
   * (CheckTokenEndpointCacheHeaders), an access token of type Bearer (case-insensitive), a
   * positive expires_in (ValidateExpiresIn) and an ID token.
   */
  const tokensOf = async (res: Response, idToken = true): Promise<Tokens> => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^application\/json/);
    assert.ok(
      res.headers
        .get("cache-control")!
        .split(",")
        .some((v) => v.trim() === "no-store"),
    );
    const pragma = res.headers.get("pragma");
    if (pragma !== null) assert.ok(pragma.split(",").some((v) => v.trim() === "no-cache"));
    const body = (await res.json()) as Tokens;
    assert.ok(typeof body.access_token === "string");
    assert.match(body.access_token, VSCHAR);
    if (body.refresh_token !== undefined) assert.match(body.refresh_token, VSCHAR);
    assert.equal(body.token_type.toLowerCase(), "bearer");
    assert.ok(Number.isInteger(body.expires_in) && body.expires_in > 0);
    if (idToken) assert.ok(typeof body.id_token === "string");
    return body;
  };

  /**
   * ValidateIdToken, ValidateIdTokenNonce, ValidateIdTokenSignature(UsingKid), CheckForSubjectInIdToken,
   * the at_hash check (ValidateAtHash when present) and auth_time's type.
   */
  const checkIdToken = async (
    idToken: string,
    options: { nonce?: string; accessToken?: string; authTimeRequired?: boolean } = {},
  ): Promise<Claims> => {
    const header = jose.decodeProtectedHeader(idToken);
    assert.ok(discovery.id_token_signing_alg_values_supported.includes(header.alg!));
    assert.notEqual(header.alg, "none");
    assert.ok(header.kid, "the ID token names its key (kid)");
    assert.equal(jwks.keys.filter((k) => k.kid === header.kid).length, 1);
    const { payload } = await jose.jwtVerify<Claims>(idToken, jose.createLocalJWKSet(jwks));
    assert.equal(payload.iss, discovery.issuer);
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    assert.ok(aud.includes(app.clientId));
    if (aud.length > 1) assert.equal(payload.azp, app.clientId);
    const now = Date.now() / 1000;
    assert.ok(typeof payload.exp === "number" && payload.exp > now);
    assert.ok(typeof payload.iat === "number" && payload.iat <= now + 300 && payload.iat > now - 300);
    if (payload.nbf !== undefined) assert.ok(payload.nbf <= now + 300);
    assert.ok(typeof payload.sub === "string" && payload.sub.length > 0 && payload.sub.length <= 255);
    assert.equal(payload.nonce, options.nonce);
    if (payload.at_hash !== undefined) {
      const digest = createHash("sha256").update(options.accessToken!).digest();
      assert.equal(payload.at_hash, digest.subarray(0, digest.length / 2).toString("base64url"));
    }
    if (options.authTimeRequired) assert.ok(payload.auth_time !== undefined, "auth_time is required");
    if (payload.auth_time !== undefined)
      assert.ok(
        Number.isInteger(payload.auth_time) && payload.auth_time <= now + 300,
        "auth_time is a past time",
      );
    checkStandardClaims(payload);
    return payload;
  };

  const userInfo = (init: RequestInit) => fetch(discovery.userinfo_endpoint, init);

  /** The userinfo answer (200 JSON) whose sub is the ID token's (OIDCC-5.3.2). */
  const userInfoOf = async (res: Response, sub: string): Promise<Record<string, unknown>> => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^application\/json/);
    const info = (await res.json()) as Record<string, unknown>;
    assert.equal(info.sub, sub);
    checkStandardClaims(info);
    return info;
  };

  /** The happy flow of oidcc-server: sign in, redeem, check the tokens and userinfo. */
  const happyFlow = async (
    extra: Record<string, string> = {},
    options: { auth?: "basic" | "post"; jar?: Jar; authTimeRequired?: boolean } = {},
  ) => {
    const res = await signInAt(server, authorizeUrl(extra), "alice", PASSWORD, options.jar);
    const tokens = await tokensOf(await redeem(codeOf(res, extra.state), options.auth));
    const nonce = "nonce" in extra ? extra.nonce : "nonce-1";
    const claims = await checkIdToken(tokens.id_token, {
      ...(nonce === undefined ? {} : { nonce }),
      accessToken: tokens.access_token,
      authTimeRequired: options.authTimeRequired ?? false,
    });
    const info = await userInfoOf(
      await userInfo({ headers: { authorization: `Bearer ${tokens.access_token}` } }),
      claims.sub!,
    );
    return { tokens, claims, info };
  };

  /** Signs in once and keeps the browser's session. */
  const signedInJar = async () => {
    const jar = new Jar();
    const first = await happyFlow({}, { jar });
    return { jar, first };
  };

  test("oidcc-server", async () => {
    // CheckServerConfiguration, CheckForKeyIdInServerJWKs.
    assert.ok(discovery.authorization_endpoint && discovery.token_endpoint && discovery.issuer);
    assert.ok(jwks.keys.length > 0 && jwks.keys.every((k) => typeof k.kid === "string"));
    const { claims, info } = await happyFlow();
    assert.equal(info.email, "alice@example.com");
    assert.equal(claims.nonce, "nonce-1");
  });

  test("oidcc-server-client-secret-post", async () => {
    await happyFlow({}, { auth: "post" });
  });

  test("oidcc-response-type-missing", async () => {
    const url = new URL(authorizeUrl());
    url.searchParams.delete("response_type");
    const error = errorOf(await browse(url.href, new Jar()));
    assert.ok(["invalid_request", "unsupported_response_type"].includes(error), error);
  });

  test("oidcc-idtoken-signature", async () => {
    const { tokens } = await happyFlow();
    const header = jose.decodeProtectedHeader(tokens.id_token);
    assert.equal(header.alg, "RS256");
    const key = jwks.keys.find((k) => k.kid === header.kid)!;
    assert.equal(key.kty, "RSA");
    assert.ok(key.use === undefined || key.use === "sig");
    // ValidateIdTokenSignatureUsingKid: the key the header names verifies it.
    await jose.compactVerify(tokens.id_token, await jose.importJWK(key, "RS256"));
  });

  test("oidcc-userinfo-get", async () => {
    // `openid` alone reaches every attribute: each typed as its standard claim.
    const { info } = await happyFlow();
    assert.deepEqual(info.address, { formatted: "1 Main Street, Oxford" });
    assert.equal(typeof info.updated_at, "number");
    assert.equal(info.phone_number_verified, false);
  });

  test("oidcc-userinfo-post-header", async () => {
    const { tokens, claims } = await happyFlow();
    await userInfoOf(
      await userInfo({ method: "POST", headers: { authorization: `Bearer ${tokens.access_token}` } }),
      claims.sub!,
    );
  });

  test("oidcc-userinfo-post-body", async () => {
    const { tokens, claims } = await happyFlow();
    await userInfoOf(
      await userInfo({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ access_token: tokens.access_token }),
      }),
      claims.sub!,
    );
  });

  test("oidcc-ensure-request-without-nonce-succeeds-for-code-flow", async () => {
    const url = new URL(authorizeUrl());
    url.searchParams.delete("nonce");
    const res = await signInAt(server, url, "alice", PASSWORD);
    const tokens = await tokensOf(await redeem(codeOf(res)));
    const claims = await checkIdToken(tokens.id_token, { accessToken: tokens.access_token });
    assert.equal(claims.nonce, undefined);
  });

  test("oidcc-scope-profile", async () => {
    const { info } = await happyFlow({ scope: "openid profile" });
    checkScopeClaims(info, "openid profile");
    assert.equal(info.name, "Alice Liddell");
    assert.equal(info.given_name, "Alice");
    assert.equal(info.family_name, "Liddell");
    assert.equal(info.email, undefined);
  });

  test("oidcc-scope-email", async () => {
    const { info } = await happyFlow({ scope: "openid email" });
    checkScopeClaims(info, "openid email");
    assert.equal(info.email, "alice@example.com");
    assert.equal(info.email_verified, true);
    assert.equal(info.name, undefined);
  });

  test("oidcc-scope-phone", async () => {
    const { info } = await happyFlow({ scope: "openid phone" });
    checkScopeClaims(info, "openid phone");
    assert.equal(info.phone_number, "+15555550100");
    assert.equal(info.phone_number_verified, false);
    assert.equal(info.email, undefined);
  });

  test("oidcc-ensure-other-scope-order-succeeds", async () => {
    const { info } = await happyFlow({ scope: "email openid" });
    checkScopeClaims(info, "email openid");
  });

  test("oidcc-display-page", async () => {
    await happyFlow({ display: "page" });
  });

  test("oidcc-display-popup", async () => {
    await happyFlow({ display: "popup" });
  });

  test("oidcc-prompt-login", async () => {
    const { jar, first } = await signedInJar();
    try {
      await setClockOffset(server, 5_000);
      const again = await browse(authorizeUrl({ prompt: "login" }), jar);
      assert.match(again.headers.get("location")!, /^\/login\?/, "the form is shown again");
      const second = await happyFlow({ prompt: "login" }, { jar });
      assert.equal(second.claims.sub, first.claims.sub);
      assert.ok(second.claims.auth_time! > first.claims.auth_time!, "a new sign-in");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("oidcc-prompt-none-not-logged-in", async () => {
    const error = errorOf(await browse(authorizeUrl({ prompt: "none" }), new Jar()));
    assert.ok(
      ["login_required", "interaction_required", "consent_required", "account_selection_required"].includes(
        error,
      ),
      error,
    );
  });

  test("oidcc-prompt-none-logged-in", async () => {
    const { jar, first } = await signedInJar();
    const code = codeOf(await browse(authorizeUrl({ prompt: "none" }), jar));
    const tokens = await tokensOf(await redeem(code));
    const claims = await checkIdToken(tokens.id_token, {
      nonce: "nonce-1",
      accessToken: tokens.access_token,
    });
    assert.equal(claims.sub, first.claims.sub);
    assert.equal(claims.auth_time, first.claims.auth_time);
  });

  test("oidcc-max-age-1", async () => {
    const { jar, first } = await signedInJar();
    try {
      await setClockOffset(server, 2_000);
      const again = await browse(authorizeUrl({ max_age: "1" }), jar);
      assert.match(again.headers.get("location")!, /^\/login\?/, "the form is shown again");
      const second = await happyFlow({ max_age: "1" }, { jar, authTimeRequired: true });
      assert.equal(second.claims.sub, first.claims.sub);
      assert.ok(second.claims.auth_time! > first.claims.auth_time!, "a new sign-in");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("oidcc-max-age-10000", async () => {
    const { jar, first } = await signedInJar();
    const code = codeOf(await browse(authorizeUrl({ max_age: "10000" }), jar));
    const tokens = await tokensOf(await redeem(code));
    const claims = await checkIdToken(tokens.id_token, {
      nonce: "nonce-1",
      accessToken: tokens.access_token,
      authTimeRequired: true,
    });
    assert.equal(claims.auth_time, first.claims.auth_time, "no new sign-in");
  });

  test("oidcc-ensure-request-with-unknown-parameter-succeeds", async () => {
    await happyFlow({ extra: "foobar" });
  });

  test("oidcc-id-token-hint", async () => {
    const { jar, first } = await signedInJar();
    const code = codeOf(
      await browse(authorizeUrl({ prompt: "none", id_token_hint: first.tokens.id_token }), jar),
    );
    const tokens = await tokensOf(await redeem(code));
    const claims = await checkIdToken(tokens.id_token, {
      nonce: "nonce-1",
      accessToken: tokens.access_token,
    });
    assert.equal(claims.sub, first.claims.sub);
  });

  test("oidcc-login-hint", async () => {
    const jar = new Jar();
    const first = await browse(authorizeUrl({ login_hint: "alice" }), jar);
    const page = await (await browse(new URL(first.headers.get("location")!, server.url).href, jar)).text();
    assert.match(page, /name="username"[^>]*value="alice"/);
    // The browser sends the filled-in name.
    const res = await submit(server, page, jar, { username: "alice", password: PASSWORD });
    await tokensOf(await redeem(codeOf(res)));
  });

  test("oidcc-ui-locales", async () => {
    await happyFlow({ ui_locales: "se" });
  });

  test("oidcc-claims-locales", async () => {
    await happyFlow({ claims_locales: "se" });
  });

  test("oidcc-ensure-request-with-acr-values-succeeds", async () => {
    await happyFlow({ acr_values: "1 2" });
  });

  test("oidcc-codereuse", async () => {
    const code = codeOf(await signInAt(server, authorizeUrl(), "alice", PASSWORD));
    await tokensOf(await redeem(code));
    await tokenErrorOf(await redeem(code), "invalid_grant");
  });

  test("oidcc-codereuse-30seconds", async () => {
    const code = codeOf(await signInAt(server, authorizeUrl(), "alice", PASSWORD));
    const tokens = await tokensOf(await redeem(code));
    const bearer = { headers: { authorization: `Bearer ${tokens.access_token}` } };
    assert.equal((await userInfo(bearer)).status, 200);
    try {
      await setClockOffset(server, 30_000);
      await tokenErrorOf(await redeem(code), "invalid_grant");
      // The access token of the first redemption should be revoked (OIDCC-4.1.2, RFC 6749 §4.1.2).
      assert.equal((await userInfo(bearer)).status, 401);
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("oidcc-ensure-registered-redirect-uri", async () => {
    const res = await browse(authorizeUrl({ redirect_uri: `${CALLBACK}/unregistered` }), new Jar());
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null, "never redirected to an unregistered URI");
    assert.match(res.headers.get("content-type")!, /^text\/html/);
  });

  test("oidcc-ensure-post-request-succeeds", async () => {
    const jar = new Jar();
    const posted = await browse(discovery.authorization_endpoint, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URL(authorizeUrl()).searchParams.toString(),
    });
    assert.equal(posted.status, 302);
    const login = await browse(new URL(posted.headers.get("location")!, server.url).href, jar);
    assert.equal(login.status, 200);
    const res = await submit(server, await login.text(), jar, { username: "alice", password: PASSWORD });
    const tokens = await tokensOf(await redeem(codeOf(res)));
    await checkIdToken(tokens.id_token, { nonce: "nonce-1", accessToken: tokens.access_token });
  });

  test("oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported", async () => {
    const res = await browse(authorizeUrl({ request_uri: "https://rp.example/request.jwt" }), new Jar());
    assert.equal(errorOf(res), "request_uri_not_supported");
  });

  /** An unsigned request object (alg none) of the module's authorization request. */
  const unsignedRequestObject = (claims: Record<string, string>) =>
    new jose.UnsecuredJWT({ ...claims, iss: app.clientId, aud: discovery.issuer }).encode();

  test("oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported", async () => {
    const request = unsignedRequestObject(Object.fromEntries(new URL(authorizeUrl()).searchParams));
    const res = await browse(authorizeUrl({ request }), new Jar());
    assert.equal(errorOf(res), "request_not_supported");
  });

  test("oidcc-ensure-request-object-with-redirect-uri", async () => {
    // The request object names the registered redirect URI, the query another one: an OP that
    // refuses request objects must not redirect to the query's (unregistered) URI.
    const request = unsignedRequestObject(Object.fromEntries(new URL(authorizeUrl()).searchParams));
    const res = await browse(authorizeUrl({ request, redirect_uri: "https://evil.example/cb" }), new Jar());
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null);
  });

  test("oidcc-claims-essential", async () => {
    // claims_parameter_supported is false: the parameter is ignored, the flow succeeds, and the
    // name (which the profile scope reaches here) is still returned.
    const claims = JSON.stringify({ userinfo: { name: { essential: true } } });
    const { info } = await happyFlow({ scope: "openid profile", claims });
    assert.equal(info.name, "Alice Liddell");
  });

  test("oidcc-refresh-token", async () => {
    const { tokens, claims } = await happyFlow();
    assert.ok(tokens.refresh_token);
    // The refresh request repeats the scope (AddScopeToTokenEndpointRequest).
    const refresh = (auth: string, scope = true) =>
      fetch(discovery.token_endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token!,
          ...(scope ? { scope: "openid" } : {}),
        }),
      });
    let refreshed: Tokens;
    try {
      // A second later (WaitForOneSecond), so the new ID token's iat differs.
      await setClockOffset(server, 1_500);
      refreshed = await tokensOf(await refresh(basic()), false);
    } finally {
      await setClockOffset(server, 0);
    }
    assert.notEqual(refreshed.access_token, tokens.access_token);
    await userInfoOf(
      await userInfo({ headers: { authorization: `Bearer ${refreshed.access_token}` } }),
      claims.sub!,
    );
    if (refreshed.id_token !== undefined) {
      // CompareIdTokenClaims (OIDCC-12.2): the same iss, sub and aud, a new iat, the original
      // sign-in's auth_time, azp only as before.
      const again = await checkIdToken(refreshed.id_token);
      assert.equal(again.iss, claims.iss);
      assert.equal(again.sub, claims.sub);
      assert.deepEqual(again.aud, claims.aud);
      assert.notEqual(again.iat, claims.iat);
      assert.equal(again.auth_time, claims.auth_time);
      assert.equal(again.azp, claims.azp);
    }
    // RefreshTokenRequestExpectingErrorSteps: the refresh token is bound to its client; another
    // client of the pool gets invalid_grant.
    const { UserPoolClient: other } = await server.client().send(
      new CreateUserPoolClientCommand({
        UserPoolId: app.poolId,
        ClientName: "client2",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      }),
    );
    await tokenErrorOf(
      await refresh(`Basic ${btoa(`${other!.ClientId!}:${other!.ClientSecret!}`)}`, false),
      "invalid_grant",
    );
  });

  test("oidcc-ensure-request-with-valid-pkce-succeeds", async () => {
    const verifier = "a".repeat(20) + "B".repeat(23) + "-._~0123";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const res = await signInAt(
      server,
      authorizeUrl({ code_challenge: challenge, code_challenge_method: "S256" }),
      "alice",
      PASSWORD,
    );
    const code = codeOf(res);
    await tokensOf(await redeem(code, "basic", { code_verifier: verifier }));
  });
});
