/**
 * openid-client as a relying party of a `--tls` server, trusting only the CA the server printed
 * and with none of its insecure-request allowances: discovery, the authorization code grant with
 * PKCE (the login form driven over the same trusted HTTPS), refresh, userInfo, revocation, and the
 * client credentials grant with a custom scope of a resource server made with CreateResourceServer.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { trustingFetch } from "../support/node-fetch.ts";
import { CALLBACK, csrfOf, formAction, hiddenFields, Jar, PASSWORD } from "../support/oauth.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startTlsServer, type TlsServer } from "../support/tls.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-tls-rp-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("openid-client over HTTPS (--tls), trusting the printed CA", () => {
  let server: TlsServer;
  let https: ReturnType<typeof trustingFetch>;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTlsServer(["--tls", "--data", join(work, "data")]);
    assert.match(server.url, /^https:/);
    https = trustingFetch(server.ca);
    const sdk = server.client();
    ({ poolId, clientId } = await poolWithClient(sdk, {
      app: {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email", "profile"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      },
    }));
    await confirmedUser(sdk, poolId, "alice", PASSWORD, [
      { Name: "email", Value: "alice@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
  });
  after(() => server?.stop());

  const discover = (id: string, secret?: string) =>
    oidc.discovery(
      new URL(`${server.url}/${poolId}`),
      id,
      secret,
      secret === undefined ? oidc.None() : oidc.ClientSecretBasic(secret),
      { [oidc.customFetch]: https },
    );

  /** A browser with a cookie jar, over the trusted HTTPS. */
  async function browse(url: string, jar: Jar, init: Parameters<typeof https>[1] = {}) {
    const res = await https(url, { ...init, headers: { ...init.headers, cookie: jar.header() } });
    jar.take(res);
    return res;
  }

  test("a fetch that does not trust the CA is refused", async () => {
    await assert.rejects(fetch(`${server.url}/${poolId}/.well-known/openid-configuration`));
  });

  test("discovery, code + PKCE through the login form, refresh, userInfo, revocation", async () => {
    const config = await discover(clientId);
    config[oidc.customFetch] = https;
    assert.equal(config.serverMetadata().issuer, `${server.url}/${poolId}`);
    assert.equal(config.serverMetadata().token_endpoint, `${server.url}/oauth2/token`);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    assert.equal(url.protocol, "https:");
    const jar = new Jar();
    const first = await browse(url.href, jar);
    assert.equal(first.status, 302);
    const login = await browse(new URL(first.headers.get("location")!, server.url).href, jar);
    assert.equal(login.status, 200);
    assert.match(jar.lastSetCookie.join("\n"), /Secure/);
    const page = await login.text();
    const answer = await browse(`${server.url}${formAction(page)}`, jar, {
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
    const tokens = await oidc.authorizationCodeGrant(config, new URL(answer.headers.get("location")!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    assert.equal(claims["cognito:username"], "alice");
    assert.equal(claims.iss, `${server.url}/${poolId}`);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, "alice@example.com");

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.equal(refreshed.claims()!.sub, claims.sub);

    await oidc.tokenRevocation(config, tokens.refresh_token!);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: Error) => {
      assert.equal((e as { error?: string }).error, "invalid_grant");
      return true;
    });
  });

  test("client credentials with a resource server's custom scope", async () => {
    const sdk = server.client();
    await sdk.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "https://api.example.com",
        Name: "api",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "read" },
          { ScopeName: "write", ScopeDescription: "write" },
        ],
      }),
    );
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "service",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["https://api.example.com/read", "https://api.example.com/write"],
      }),
    );
    const config = await discover(UserPoolClient!.ClientId!, UserPoolClient!.ClientSecret!);
    config[oidc.customFetch] = https;
    const granted = await oidc.clientCredentialsGrant(config, { scope: "https://api.example.com/read" });
    assert.equal(granted.id_token, undefined);
    assert.equal(granted.refresh_token, undefined);
    const access = JSON.parse(Buffer.from(granted.access_token.split(".")[1]!, "base64url").toString()) as {
      sub: string;
      scope: string;
      iss: string;
    };
    assert.equal(access.sub, UserPoolClient!.ClientId);
    assert.equal(access.scope, "https://api.example.com/read");
    assert.equal(access.iss, `${server.url}/${poolId}`);
    // A scope of no resource server the client may use is refused.
    await assert.rejects(
      oidc.clientCredentialsGrant(config, { scope: "https://api.example.com/admin" }),
      (e: Error) => {
        assert.equal((e as { error?: string }).error, "invalid_scope");
        return true;
      },
    );
  });
});
