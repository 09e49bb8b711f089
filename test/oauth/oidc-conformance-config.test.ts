/**
 * The OpenID Foundation conformance suite's Config OP plan (oidcc-config-certification-test-plan),
 * ported: its one module, oidcc-discovery-endpoint-verification, with the checks of its
 * conditions, against a strict-mode server over HTTPS (`--tls`, the suite requires every endpoint
 * to be https), trusting only the CA the server printed. The Basic OP plan is in
 * ./oidc-conformance.test.ts. Every module of the plan applies.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as jose from "jose";
import { trustingFetch } from "../support/node-fetch.ts";
import { CALLBACK } from "../support/oauth.ts";
import { poolWithClient } from "../support/pools.ts";
import { startTlsServer, type TlsServer } from "../support/tls.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-oidc-config-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** An absolute https URL without a fragment (CheckDiscEndpointAllEndpointsAreHttps and the like). */
function assertHttpsUrl(value: unknown, name: string): void {
  assert.equal(typeof value, "string", `${name} is a string`);
  const url = new URL(value as string);
  assert.equal(url.protocol, "https:", `${name} is https`);
  assert.equal(url.hash, "", `${name} has no fragment`);
}

/** A non-empty array of strings. */
function stringArray(value: unknown, name: string): string[] {
  assert.ok(Array.isArray(value) && value.length > 0, `${name} is a non-empty array`);
  for (const v of value) assert.equal(typeof v, "string", `${name} holds strings`);
  return value as string[];
}

describe("OpenID conformance: Config OP (strict mode, over HTTPS)", () => {
  let server: TlsServer;
  let https: ReturnType<typeof trustingFetch>;
  let poolId: string;

  before(async () => {
    server = await startTlsServer(["--tls", "--data", join(work, "data"), "--oauth-mode", "strict"]);
    https = trustingFetch(server.ca);
    ({ poolId } = await poolWithClient(server.client(), {
      app: {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email", "profile"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      },
    }));
  });
  after(() => server?.stop());

  test("oidcc-discovery-endpoint-verification", async () => {
    const discoveryUrl = `${server.url}/${poolId}/.well-known/openid-configuration`;
    // GetDynamicServerConfiguration, EnsureDiscoveryEndpointResponseStatusCodeIs200,
    // CheckDiscoveryEndpointReturnedJsonContentType.
    const res = await https(discoveryUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^application\/json/);
    const doc = (await res.json()) as Record<string, unknown>;

    // OIDCCCheckDiscEndpointResponseTypesSupported: the code flow of the static client.
    assert.ok(stringArray(doc.response_types_supported, "response_types_supported").includes("code"));

    // CheckDiscEndpointDiscoveryUrl, CheckDiscEndpointIssuer, CheckDiscEndpointIssuerIsValidUrl:
    // the document is at <issuer>/.well-known/openid-configuration; the issuer is an https URL
    // without query or fragment.
    assertHttpsUrl(doc.issuer, "issuer");
    assert.equal(`${doc.issuer as string}/.well-known/openid-configuration`, discoveryUrl);
    assert.equal(new URL(doc.issuer as string).search, "");

    // CheckDiscEndpointSubjectTypesSupported.
    for (const t of stringArray(doc.subject_types_supported, "subject_types_supported"))
      assert.ok(t === "public" || t === "pairwise", t);

    // OIDCCCheckDiscEndpointIdTokenSigningAlgValuesSupported: RS256 is required, `none` only with
    // the implicit id_token flows, which Lanyard does not offer.
    const algs = stringArray(
      doc.id_token_signing_alg_values_supported,
      "id_token_signing_alg_values_supported",
    );
    assert.ok(algs.includes("RS256"));
    assert.ok(!algs.includes("none"));
    if (doc.userinfo_signing_alg_values_supported !== undefined)
      stringArray(doc.userinfo_signing_alg_values_supported, "userinfo_signing_alg_values_supported");

    // CheckDiscEndpointAuthorizationEndpoint, CheckDiscEndpointTokenEndpoint,
    // CheckDiscEndpointUserinfoEndpoint (recommended: Lanyard has one), registration (none).
    assertHttpsUrl(doc.authorization_endpoint, "authorization_endpoint");
    assertHttpsUrl(doc.token_endpoint, "token_endpoint");
    assertHttpsUrl(doc.userinfo_endpoint, "userinfo_endpoint");
    assert.equal(doc.registration_endpoint, undefined);

    // CheckJwksUri, FetchServerKeys, ValidateServerJWKs,
    // EnsureServerJwksDoesNotContainPrivateOrSymmetricKeys.
    assertHttpsUrl(doc.jwks_uri, "jwks_uri");
    const keysRes = await https(doc.jwks_uri as string);
    assert.equal(keysRes.status, 200);
    const { keys } = (await keysRes.json()) as jose.JSONWebKeySet;
    assert.ok(Array.isArray(keys) && keys.length > 0);
    const kids = keys.map((k) => k.kid);
    assert.equal(new Set(kids).size, kids.length, "the kids are distinct");
    for (const key of keys) {
      assert.ok(typeof key.kid === "string" && key.kid !== "");
      assert.notEqual(key.kty, "oct", "no symmetric key");
      for (const part of ["d", "p", "q", "dp", "dq", "qi", "k"])
        assert.equal((key as Record<string, unknown>)[part], undefined, `no private part ${part}`);
      assert.ok(key.use === undefined || key.use === "sig");
      await jose.importJWK(key, key.alg ?? "RS256");
    }

    // CheckDiscEndpointRequestParameterSupported, CheckDiscEndpointRequestUriParameterSupported,
    // CheckDiscEndpointClaimsParameterSupported: booleans when present (strict mode says false).
    for (const name of [
      "request_parameter_supported",
      "request_uri_parameter_supported",
      "claims_parameter_supported",
    ])
      assert.equal(doc[name], false, name);
    assert.equal(doc.request_object_signing_alg_values_supported, undefined);

    // OIDCCCheckDiscEndpointClaimsSupported (recommended).
    assert.ok(stringArray(doc.claims_supported, "claims_supported").includes("sub"));

    // OIDCCCheckDiscEndpointGrantTypesSupported: authorization_code, and implicit since
    // response_types_supported has `token`.
    const grants = stringArray(doc.grant_types_supported, "grant_types_supported");
    assert.ok(grants.includes("authorization_code"));
    if ((doc.response_types_supported as string[]).includes("token")) assert.ok(grants.includes("implicit"));

    // CheckDiscEndpointScopesSupportedContainsOpenId, CheckDiscEndpointScopesSupportedSyntax
    // (RFC 6749 §3.3 scope-tokens, each once).
    const scopes = stringArray(doc.scopes_supported, "scopes_supported");
    assert.ok(scopes.includes("openid"));
    for (const s of scopes) assert.match(s, /^[\x21\x23-\x5B\x5D-\x7E]+$/);
    assert.equal(new Set(scopes).size, scopes.length);

    // CheckDiscEndpointLocalesSyntax, CheckDiscEndpointLocalesCanonicalCasing: BCP 47 tags when
    // present (Lanyard's pages are English only and it names no locales).
    for (const name of ["ui_locales_supported", "claims_locales_supported"])
      if (doc[name] !== undefined)
        for (const tag of stringArray(doc[name], name)) assert.equal(Intl.getCanonicalLocales(tag)[0], tag);

    // CheckDiscEndpointAllEndpointsAreHttps: every *_endpoint and jwks_uri.
    const endpoints = Object.keys(doc).filter((k) => k.endsWith("_endpoint") || k === "jwks_uri");
    assert.ok(endpoints.length >= 4);
    for (const name of endpoints) assertHttpsUrl(doc[name], name);

    // EnsureServerConfigurationCodeChallengeMethodsSupportedIsAnArray.
    if (doc.code_challenge_methods_supported !== undefined)
      assert.ok(
        stringArray(doc.code_challenge_methods_supported, "code_challenge_methods_supported").includes(
          "S256",
        ),
      );
  });
});
