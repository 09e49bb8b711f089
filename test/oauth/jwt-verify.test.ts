/**
 * The authorization code grant's tokens verify with aws-jwt-verify: with `--issuer aws`, the ID
 * and access tokens pass CognitoJwtVerifier (the JWKS fetched from Lanyard and handed over with
 * cacheJwks); with the default `self` issuer on a `--tls` server, JwtVerifier verifies them with
 * the issuer, the client (audience of the ID token, client_id of the access token) and the JWKS it
 * fetches itself over HTTPS, trusting the CA.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { SimpleFetcher } from "aws-jwt-verify/https";
import { type Jwks, SimpleJwksCache } from "aws-jwt-verify/jwk";
import * as oidc from "openid-client";
import { trustingFetch } from "../support/node-fetch.ts";
import { CALLBACK, csrfOf, formAction, hiddenFields, Jar, PASSWORD } from "../support/oauth.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer } from "../support/server.ts";
import { startTlsServer } from "../support/tls.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-jwt-verify-"));
after(() => rmSync(work, { recursive: true, force: true }));

type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

const plainFetch: Fetch = (url, init = {}) => fetch(url, { ...init, redirect: "manual" });

interface CodeFlow {
  poolId: string;
  clientId: string;
  nonce: string;
  tokens: { id_token: string; access_token: string };
}

/**
 * A pool with a code-grant client and a user; the user signs in through the login form (authorize,
 * the form with its CSRF token, the code exchanged with PKCE at the token endpoint).
 */
async function codeFlow(
  base: string,
  sdk: Parameters<typeof poolWithClient>[0],
  send: Fetch,
): Promise<CodeFlow> {
  const { poolId, clientId } = await poolWithClient(sdk, {
    app: {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["COGNITO"],
    },
  });
  await confirmedUser(sdk, poolId, "alice", PASSWORD, [{ Name: "email", Value: "alice@example.com" }]);
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const jar = new Jar();
  const browse = async (url: string, init: Parameters<Fetch>[1] = {}) => {
    const res = await send(url, { ...init, headers: { ...init.headers, cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: "openid email",
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const first = await browse(`${base}/oauth2/authorize?${query}`);
  assert.equal(first.status, 302);
  const page = await (await browse(new URL(first.headers.get("location")!, base).href)).text();
  const answer = await browse(`${base}${formAction(page)}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...hiddenFields(page),
      _csrf: csrfOf(page),
      username: "alice",
      password: PASSWORD,
    }).toString(),
  });
  assert.equal(answer.status, 302);
  const code = new URL(answer.headers.get("location")!).searchParams.get("code")!;
  const res = await send(`${base}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: clientId,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }).toString(),
  });
  assert.equal(res.status, 200);
  return { poolId, clientId, nonce, tokens: (await res.json()) as CodeFlow["tokens"] };
}

describe("code-flow tokens and aws-jwt-verify", () => {
  test("--issuer aws: CognitoJwtVerifier verifies the ID and access tokens (cacheJwks)", async () => {
    const server = await startServer({ args: ["--memory", "--issuer", "aws"] });
    try {
      const flow = await codeFlow(server.url, server.client(), plainFetch);
      const jwks = (await (await fetch(`${server.url}/${flow.poolId}/.well-known/jwks.json`)).json()) as Jwks;
      const id = CognitoJwtVerifier.create({
        userPoolId: flow.poolId,
        tokenUse: "id",
        clientId: flow.clientId,
      });
      id.cacheJwks(jwks);
      const idPayload = await id.verify(flow.tokens.id_token);
      assert.equal(idPayload["cognito:username"], "alice");
      assert.equal(idPayload.nonce, flow.nonce);
      assert.equal(idPayload.iss, `https://cognito-idp.us-east-1.amazonaws.com/${flow.poolId}`);
      const access = CognitoJwtVerifier.create({
        userPoolId: flow.poolId,
        tokenUse: "access",
        clientId: flow.clientId,
        scope: "email",
      });
      access.cacheJwks(jwks);
      const accessPayload = await access.verify(flow.tokens.access_token);
      assert.equal(accessPayload.username, "alice");
      assert.equal(accessPayload.scope, "openid email");
      // Another app client's verifier refuses them.
      const other = CognitoJwtVerifier.create({
        userPoolId: flow.poolId,
        tokenUse: "id",
        clientId: "x".repeat(26),
      });
      other.cacheJwks(jwks);
      await assert.rejects(other.verify(flow.tokens.id_token), /Client ID \("audience"\) not allowed/);
    } finally {
      await server.stop();
    }
  });

  test("--issuer self (--tls): JwtVerifier with issuer, client and jwksUri verifies them", async () => {
    const server = await startTlsServer(["--tls", "--data", join(work, "self")]);
    try {
      const https = trustingFetch(server.ca);
      const flow = await codeFlow(server.url, server.client(), (url, init) => https(url, init));
      const issuer = `${server.url}/${flow.poolId}`;
      const jwksCache = new SimpleJwksCache({
        fetcher: new SimpleFetcher({ defaultRequestOptions: { ca: server.ca } }),
      });
      const jwksUri = `${issuer}/.well-known/jwks.json`;
      const id = JwtVerifier.create({ issuer, audience: flow.clientId, jwksUri }, { jwksCache });
      const idPayload = await id.verify(flow.tokens.id_token);
      assert.equal(idPayload["cognito:username"], "alice");
      assert.equal(idPayload.token_use, "id");
      // The access token names its client in client_id (it has no aud), as Cognito's does.
      const access = JwtVerifier.create(
        {
          issuer,
          audience: null,
          jwksUri,
          scope: "email",
          customJwtCheck: ({ payload }) => {
            if (payload.client_id !== flow.clientId || payload.token_use !== "access")
              throw new Error("not this client's access token");
          },
        },
        { jwksCache },
      );
      const accessPayload = await access.verify(flow.tokens.access_token);
      assert.equal(accessPayload.sub, idPayload.sub);
      // The ID token does not pass as an access token.
      await assert.rejects(access.verify(flow.tokens.id_token));
    } finally {
      await server.stop();
    }
  });
});
