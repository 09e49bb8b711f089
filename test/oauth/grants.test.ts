/**
 * The other grants and endpoints: client credentials (confidential clients, custom scopes), the
 * implicit grant, the RFC 8707 resource as the access token's aud, revocation's refusals, and
 * logout.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "../../src/crypto/jwt.ts";
import {
  authorizationUrl,
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  oauthApp,
  PASSWORD,
  relyingParty,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

const READ = "https://api.example.com/read";
const WRITE = "https://api.example.com/write";

describe("OAuth grants and endpoints", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const claimsOf = (jwt: string) => decodeJwt(jwt)!.claims;

  test("client credentials: custom scopes only, the client as subject, no ID or refresh token", async () => {
    const sdk = server.client();
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: "probe" }));
    await sdk.send(
      new CreateResourceServerCommand({
        UserPoolId: UserPool!.Id!,
        Identifier: "https://api.example.com",
        Name: "api",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "read" },
          { ScopeName: "write", ScopeDescription: "write" },
        ],
      }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "service",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: [READ, WRITE],
      }),
    );
    const app = {
      poolId,
      clientId: UserPoolClient!.ClientId!,
      clientSecret: UserPoolClient!.ClientSecret!,
      issuer: `${server.url}/${poolId}`,
    };
    const config = await relyingParty(app, oidc.ClientSecretBasic(app.clientSecret!));
    const all = await oidc.clientCredentialsGrant(config);
    assert.equal(all.id_token, undefined);
    assert.equal(all.refresh_token, undefined);
    const claims = claimsOf(all.access_token);
    assert.equal(claims.sub, app.clientId);
    assert.equal(claims.client_id, app.clientId);
    assert.equal(claims.token_use, "access");
    assert.equal(claims.scope, `${READ} ${WRITE}`);
    const one = await oidc.clientCredentialsGrant(config, { scope: READ });
    assert.equal(claimsOf(one.access_token).scope, READ);
    for (const scope of ["openid", "https://api.example.com/delete"])
      await assert.rejects(
        oidc.clientCredentialsGrant(config, { scope }),
        (e: oidc.ResponseBodyError) => e.error === "invalid_scope",
      );
  });

  test("the implicit grant answers in the fragment, without a refresh token", async () => {
    const app = await oauthApp(server);
    const url = `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "token",
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
      state: "st",
      nonce: "n-1",
    })}`;
    const location = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    assert.equal(location.search, "");
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get("state"), "st");
    assert.equal(fragment.get("token_type"), "Bearer");
    assert.equal(fragment.get("refresh_token"), null);
    assert.equal(claimsOf(fragment.get("id_token")!).nonce, "n-1");
    assert.equal(claimsOf(fragment.get("access_token")!).scope, "openid email");
  });

  test("a resource indicator becomes the access token's aud", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const { url, verifier, state, nonce } = await authorizationUrl(config, {
      resource: "https://api.example.com",
    });
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(claimsOf(tokens.access_token).aud, "https://api.example.com");
  });

  test("revocation: client authentication, token types, another client's token", async () => {
    const app = await oauthApp(server);
    const other = await oauthApp(server);
    const config = await relyingParty(app);
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const revoke = (form: Record<string, string>) =>
      fetch(`${server.url}/oauth2/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    const expect = async (res: Response, status: number, error?: string) => {
      assert.equal(res.status, status);
      if (error) assert.equal(((await res.json()) as { error: string }).error, error);
    };
    await expect(await revoke({ client_id: app.clientId }), 400, "invalid_request");
    await expect(await revoke({ token: tokens.refresh_token!, client_id: "nosuch" }), 400, "invalid_client");
    await expect(
      await revoke({ token: tokens.access_token, client_id: app.clientId }),
      400,
      "unsupported_token_type",
    );
    await expect(
      await revoke({ token: tokens.refresh_token!, client_id: other.clientId }),
      400,
      "unauthorized_client",
    );
    await expect(await revoke({ token: "unknown-token", client_id: app.clientId }), 200);
    await expect(await revoke({ token: tokens.refresh_token!, client_id: app.clientId }), 200);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!));
  });

  test("logout: to a listed logout_uri, or back to sign-in; anything else is an error page", async () => {
    const app = await oauthApp(server);
    const logout = (params: Record<string, string>) =>
      browse(`${server.url}/logout?${new URLSearchParams(params)}`, new Jar());
    const out = await logout({ client_id: app.clientId, logout_uri: "http://localhost:8976/signed-out" });
    assert.equal(out.status, 302);
    assert.equal(out.headers.get("location"), "http://localhost:8976/signed-out");
    assert.match(
      out.headers.getSetCookie().join("\n"),
      new RegExp(`lanyard_session_${app.poolId}=; .*Max-Age=0`),
    );
    const again = await logout({
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      state: "z",
    });
    assert.equal(again.status, 302);
    const login = new URL(again.headers.get("location")!, server.url);
    assert.equal(login.pathname, "/login");
    assert.equal(login.searchParams.get("state"), "z");
    for (const params of [
      { client_id: app.clientId, logout_uri: "https://evil.example/" },
      { client_id: app.clientId },
      { client_id: "nosuch", logout_uri: "http://localhost:8976/signed-out" },
    ] as Record<string, string>[]) {
      const res = await logout(params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(res.headers.get("location"), null);
    }
  });
});
