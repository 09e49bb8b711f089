/**
 * `oauth.mode: "strict"` (--oauth-mode strict): OpenID Connect where Cognito differs. Boolean
 * *_verified in userInfo, prompt, max_age, login_hint, RP-initiated logout, request objects
 * refused, the `iss` authorization response parameter, and a reused code revoking its tokens.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import { setClockOffset } from "../support/inbox.ts";
import { confirmedUser } from "../support/pools.ts";
import {
  authorizationUrl,
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  relyingParty,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("strict OAuth mode", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock", "--oauth-mode", "strict"] });
  });
  after(() => server.stop());

  const authorize = (app: OAuthApp, extra: Record<string, string>, jar = new Jar()) =>
    browse(
      `${server.url}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK, scope: "openid email", state: "st", ...extra })}`,
      jar,
    );

  test("openid-client with iss in the authorization response; userInfo answers booleans", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    assert.equal(config.serverMetadata().authorization_response_iss_parameter_supported, true);
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    assert.equal(callback.searchParams.get("iss"), app.issuer);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.email_verified, true);
    // Errors carry iss too.
    const error = callbackOf(await authorize(app, { scope: "phone" }));
    assert.equal(error.searchParams.get("error"), "invalid_scope");
    assert.equal(error.searchParams.get("iss"), app.issuer);
  });

  test("request and request_uri are refused", async () => {
    const app = await oauthApp(server);
    assert.equal(
      callbackOf(await authorize(app, { request: "eyJ.e30." })).searchParams.get("error"),
      "request_not_supported",
    );
    assert.equal(
      callbackOf(await authorize(app, { request_uri: "urn:x" })).searchParams.get("error"),
      "request_uri_not_supported",
    );
  });

  test("prompt=none, prompt=login, max_age and login_hint", async () => {
    const app = await oauthApp(server);
    assert.equal(
      callbackOf(await authorize(app, { prompt: "none" })).searchParams.get("error"),
      "login_required",
    );
    assert.equal(
      callbackOf(await authorize(app, { prompt: "none login" })).searchParams.get("error"),
      "invalid_request",
    );
    const hinted = await authorize(app, { login_hint: "alice" });
    const page = await (
      await browse(new URL(hinted.headers.get("location")!, server.url).href, new Jar())
    ).text();
    assert.match(page, /name="username"[^>]*value="alice"/);

    const jar = new Jar();
    callbackOf(await signInAt(server, (await authorize(app, {})).url, "alice", PASSWORD, jar));
    assert.ok(callbackOf(await authorize(app, { prompt: "none" }, jar)).searchParams.get("code"));
    assert.match((await authorize(app, { prompt: "login" }, jar)).headers.get("location")!, /^\/login\?/);
    try {
      await setClockOffset(server, 120_000);
      assert.match((await authorize(app, { max_age: "60" }, jar)).headers.get("location")!, /^\/login\?/);
      assert.ok(callbackOf(await authorize(app, { max_age: "600" }, jar)).searchParams.get("code"));
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("RP-initiated logout: id_token_hint, post_logout_redirect_uri and state", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const jar = new Jar();
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD, jar));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: "http://localhost:8976/signed-out",
      state: "bye",
    });
    const out = await browse(logoutUrl.href, jar);
    assert.equal(out.status, 302);
    assert.equal(out.headers.get("location"), "http://localhost:8976/signed-out?state=bye");
    assert.equal(
      callbackOf(await authorize(app, { prompt: "none" }, jar)).searchParams.get("error"),
      "login_required",
    );
    const wrong = await browse(
      `${server.url}/logout?${new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/" })}`,
      new Jar(),
    );
    assert.equal(wrong.status, 400);
    const forged = await browse(
      `${server.url}/logout?${new URLSearchParams({ id_token_hint: `${tokens.id_token!}x` })}`,
      new Jar(),
    );
    assert.equal(forged.status, 400);
  });

  test("a reused code revokes the tokens issued for it", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const { url, verifier } = await authorizationUrl(config);
    const code = callbackOf(await signInAt(server, url, "alice", PASSWORD)).searchParams.get("code")!;
    const redeem = () =>
      fetch(`${server.url}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: app.clientId,
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        }),
      });
    const first = (await (await redeem()).json()) as { access_token: string; refresh_token: string };
    const info = () =>
      fetch(`${server.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${first.access_token}` } });
    assert.equal((await info()).status, 200);
    const again = await redeem();
    assert.equal(again.status, 400);
    assert.deepEqual(await again.json(), { error: "invalid_grant" });
    assert.equal((await info()).status, 401);
    await assert.rejects(oidc.refreshTokenGrant(config, first.refresh_token));
  });

  test("id_token_hint at authorize: the session is used only for the user it names", async () => {
    const app = await oauthApp(server);
    await confirmedUser(server.client(), app.poolId, "bob", PASSWORD);
    const config = await relyingParty(app);
    const aliceJar = new Jar();
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD, aliceJar));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const hint = tokens.id_token!;
    assert.ok(
      callbackOf(await authorize(app, { prompt: "none", id_token_hint: hint }, aliceJar)).searchParams.get(
        "code",
      ),
    );
    const bobJar = new Jar();
    callbackOf(await signInAt(server, (await authorize(app, {})).url, "bob", PASSWORD, bobJar));
    const other = callbackOf(await authorize(app, { prompt: "none", id_token_hint: hint }, bobJar));
    assert.equal(other.searchParams.get("error"), "login_required");
    const forged = callbackOf(await authorize(app, { id_token_hint: `${hint}x` }, aliceJar));
    assert.equal(forged.searchParams.get("error"), "invalid_request");
  });
});
