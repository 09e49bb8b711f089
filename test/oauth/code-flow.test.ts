/**
 * The authorization code grant end to end with openid-client as the relying party: discovery,
 * authorize with PKCE, the login form, the code exchanged for tokens (verified with aws-jwt-verify
 * against the pool's JWKS), userInfo, refresh and revocation.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { JwtRsaVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import * as oidc from "openid-client";
import {
  AddUserPoolClientSecretCommand,
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  authorizationUrl,
  callbackOf,
  oauthApp,
  PASSWORD,
  relyingParty,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("OAuth code grant with openid-client", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("discovery names the endpoints on the server's own origin", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, app.issuer);
    assert.equal(meta.authorization_endpoint, `${server.url}/oauth2/authorize`);
    assert.equal(meta.token_endpoint, `${server.url}/oauth2/token`);
    assert.equal(meta.userinfo_endpoint, `${server.url}/oauth2/userInfo`);
    assert.equal(meta.revocation_endpoint, `${server.url}/oauth2/revoke`);
    assert.equal(meta.end_session_endpoint, `${server.url}/logout`);
    assert.deepEqual(meta.code_challenge_methods_supported, ["S256", "plain"]);
    assert.ok(meta.grant_types_supported?.includes("client_credentials"));
  });

  test("code + PKCE: tokens with the hosted-UI claims, verified against the JWKS; userInfo; refresh; revoke", async () => {
    const app = await oauthApp(server);
    const sdk = server.client();
    await sdk.send(new CreateGroupCommand({ UserPoolId: app.poolId, GroupName: "staff" }));
    await sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: app.poolId, Username: "alice", GroupName: "staff" }),
    );
    const config = await relyingParty(app);
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const answer = await signInAt(server, url, "alice", PASSWORD);
    const callback = callbackOf(answer);
    assert.equal(callback.origin + callback.pathname, "http://localhost:8976/callback");
    assert.equal(callback.searchParams.get("state"), state);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.ok(tokens.refresh_token);
    const id = tokens.claims()!;
    assert.equal(id.nonce, nonce);
    assert.equal(id["cognito:username"], "alice");
    assert.deepEqual(id["cognito:groups"], ["staff"]);
    assert.equal(typeof id.at_hash, "string");
    assert.equal(typeof id.auth_time, "number");
    for (const claim of ["jti", "origin_jti", "event_id"]) assert.equal(typeof id[claim], "string", claim);

    const idVerifier = JwtRsaVerifier.create({
      issuer: app.issuer,
      audience: app.clientId,
      tokenUse: "id",
      jwksUri: `${app.issuer}/.well-known/jwks.json`,
    });
    const accessVerifier = JwtRsaVerifier.create({
      issuer: app.issuer,
      audience: null,
      tokenUse: "access",
      jwksUri: `${app.issuer}/.well-known/jwks.json`,
    });
    // aws-jwt-verify fetches JWKS over https only: the pool's JWKS is read here and handed to it.
    const jwks = (await (await fetch(`${app.issuer}/.well-known/jwks.json`)).json()) as Jwks;
    idVerifier.cacheJwks(jwks);
    accessVerifier.cacheJwks(jwks);
    await idVerifier.verify(tokens.id_token!);
    const access = await accessVerifier.verify(tokens.access_token);
    assert.equal(access.scope, "openid email profile");
    assert.equal(access.client_id, app.clientId);
    assert.equal(access.origin_jti, id.origin_jti);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
    assert.equal(info.email, "alice@example.com");
    assert.equal(info.email_verified, "true", "Cognito answers *_verified as strings");
    assert.equal(info.username, "alice");

    // Without rotation, a refresh gives new ID and access tokens with the same scopes, no refresh token.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.equal(refreshed.refresh_token, undefined);
    const again = await accessVerifier.verify(refreshed.access_token);
    assert.equal(again.scope, "openid email profile");
    assert.equal(again.origin_jti, access.origin_jti);
    assert.ok(refreshed.id_token);

    await oidc.tokenRevocation(config, tokens.refresh_token);
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token),
      (e: oidc.ResponseBodyError) => {
        assert.equal(e.error, "invalid_grant");
        return true;
      },
    );
    // The sign-in's access tokens go with it.
    const res = await fetch(`${server.url}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);
    assert.equal(((await res.json()) as { error: string }).error, "invalid_token");
  });

  test("refresh-token rotation is honoured as in the API: a new refresh token, the old one refused after the grace period", async () => {
    const app = await oauthApp(server, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const config = await relyingParty(app);
    const { url, verifier, state, nonce } = await authorizationUrl(config, { scope: "openid" });
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(rotated.refresh_token);
    assert.notEqual(rotated.refresh_token, tokens.refresh_token);
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token!),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
    await oidc.refreshTokenGrant(config, rotated.refresh_token!);
  });

  test("a confidential client authenticates with client_secret_basic or client_secret_post, with either of its secrets", async () => {
    const app = await oauthApp(server, { GenerateSecret: true });
    const sdk = server.client();
    const { ClientSecretDescriptor } = await sdk.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: app.poolId, ClientId: app.clientId }),
    );
    const second = ClientSecretDescriptor!.ClientSecretValue!;
    for (const [secret, auth] of [
      [app.clientSecret!, oidc.ClientSecretBasic(app.clientSecret!)],
      [second, oidc.ClientSecretPost(second)],
    ] as const) {
      const config = await relyingParty({ ...app, clientSecret: secret }, auth);
      const { url, verifier, state, nonce } = await authorizationUrl(config);
      const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      assert.ok(tokens.id_token);
    }
    const wrong = await relyingParty(
      { ...app, clientSecret: "not-the-secret" },
      oidc.ClientSecretBasic("not-the-secret"),
    );
    const { url, verifier, state } = await authorizationUrl(wrong);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    await assert.rejects(
      oidc.authorizationCodeGrant(wrong, callback, { pkceCodeVerifier: verifier, expectedState: state }),
      (e: oidc.ResponseBodyError) => e.error === "invalid_client",
    );
  });

  test("without openid there is no ID token, and userInfo refuses the access token", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const { url, verifier, state } = await authorizationUrl(config, {
      scope: "aws.cognito.signin.user.admin",
    });
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    assert.equal(tokens.id_token, undefined);
    await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck));
  });
});
