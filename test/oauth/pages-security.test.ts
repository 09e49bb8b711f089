/**
 * The login pages' safety: CSRF tokens bound to the browser and the sign-in attempt, cookie
 * attributes, no framing, escaping, user-existence hiding and lockout shared with the API, the
 * new-password step, and http callback URLs only on loopback hosts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  browse,
  CALLBACK,
  callbackOf,
  csrfOf,
  Jar,
  oauthApp,
  PASSWORD,
  signInAt,
  submit,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("managed login page safety", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const loginUrl = (clientId: string, extra: Record<string, string> = {}) =>
    `${server.url}/login?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, state: "st", ...extra })}`;

  async function loginPage(clientId: string, jar = new Jar(), extra: Record<string, string> = {}) {
    const res = await browse(loginUrl(clientId, extra), jar);
    assert.equal(res.status, 200);
    return { res, page: await res.text(), jar };
  }

  test("pages refuse framing and caching; the CSRF cookie is HttpOnly and SameSite=Lax (no Secure over http)", async () => {
    const app = await oauthApp(server);
    const { res, page } = await loginPage(app.clientId);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("cache-control"), "no-store");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("lanyard_csrf="));
    assert.ok(cookie);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.match(page, /<html lang="en">/);
    assert.match(page, /<label for="username">/);
    const error = await browse(`${server.url}/oauth2/authorize?client_id=nosuch`, new Jar());
    assert.equal(error.headers.get("x-frame-options"), "DENY");
    assert.match(error.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  });

  test("a sign-in without the page's CSRF token, from another browser or for another attempt is refused", async () => {
    const app = await oauthApp(server);
    const fields = { username: "alice", password: PASSWORD };
    const { page, jar } = await loginPage(app.clientId);
    const post = (url: string, j: Jar, body: Record<string, string>) =>
      browse(url, j, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    assert.equal((await post(loginUrl(app.clientId), jar, fields)).status, 403, "no token");
    const stranger = new Jar();
    stranger.cookies.set("lanyard_csrf", "A".repeat(43));
    assert.equal(
      (await post(loginUrl(app.clientId), stranger, { ...fields, _csrf: csrfOf(page) })).status,
      403,
      "another browser",
    );
    const otherState = await post(loginUrl(app.clientId, { state: "other" }), jar, {
      ...fields,
      _csrf: csrfOf(page),
    });
    assert.equal(otherState.status, 403, "another attempt");
    const ok = await submit(server, page, jar, fields);
    assert.equal(callbackOf(ok).searchParams.get("state"), "st");
  });

  test("request values are escaped on the page", async () => {
    const app = await oauthApp(server);
    const evil = '"><script>alert(1)</script>';
    const { page, jar } = await loginPage(app.clientId, new Jar(), { state: evil });
    assert.doesNotMatch(page, /<script>/);
    const res = await submit(server, page, jar, { username: evil, password: "Wrong-password-1" });
    const again = await res.text();
    assert.doesNotMatch(again, /<script>/);
    assert.match(again, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });

  test("with PreventUserExistenceErrors an unknown user looks like a wrong password; without it, Cognito's message", async () => {
    const hiding = await oauthApp(server, { PreventUserExistenceErrors: "ENABLED" });
    const legacy = await oauthApp(server, { PreventUserExistenceErrors: "LEGACY" });
    const messageFor = async (clientId: string, username: string, password: string) => {
      const { page, jar } = await loginPage(clientId);
      const res = await submit(server, page, jar, { username, password });
      assert.equal(res.status, 400);
      return /<div class="alert error" role="alert">([^<]*)<\/div>/.exec(await res.text())?.[1];
    };
    const unknown = await messageFor(hiding.clientId, "nobody", PASSWORD);
    const wrong = await messageFor(hiding.clientId, "alice", "Wrong-password-1");
    assert.equal(unknown, "Incorrect username or password.");
    assert.equal(unknown, wrong);
    assert.equal(await messageFor(legacy.clientId, "nobody", PASSWORD), "User does not exist.");
  });

  test("the login page and the API share one lockout", async () => {
    const app = await oauthApp(server, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    for (let i = 0; i < 5; i++) {
      const { page, jar } = await loginPage(app.clientId);
      await submit(server, page, jar, { username: "alice", password: "Wrong-password-1" });
    }
    await assert.rejects(
      server.client().send(
        new InitiateAuthCommand({
          ClientId: app.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alice", PASSWORD },
        }),
      ),
      /Password attempts exceeded/,
    );
    const { page, jar } = await loginPage(app.clientId);
    const res = await submit(server, page, jar, { username: "alice", password: PASSWORD });
    assert.match(await res.text(), /Password attempts exceeded/);
  });

  test("a temporary password leads to the new-password page, then to the callback", async () => {
    const app = await oauthApp(server);
    await server.client().send(
      new AdminCreateUserCommand({
        UserPoolId: app.poolId,
        Username: "newbie",
        TemporaryPassword: "Temp-pass-1",
        MessageAction: "SUPPRESS",
      }),
    );
    const jar = new Jar();
    const res = await signInAt(
      server,
      loginUrl(app.clientId).replace("/login?", "/oauth2/authorize?"),
      "newbie",
      "Temp-pass-1",
      jar,
    );
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /Change your password/);
    const mismatch = await submit(server, page, jar, {
      new_password: "New-pass-123",
      confirm_password: "Other-pass-123",
    });
    assert.match(await mismatch.text(), /The passwords do not match/);
    const weak = await submit(server, page, jar, { new_password: "short", confirm_password: "short" });
    assert.match(await weak.text(), /Password does not conform to policy/);
    const done = await submit(server, page, jar, {
      new_password: "New-pass-123",
      confirm_password: "New-pass-123",
    });
    assert.ok(callbackOf(done).searchParams.get("code"));
    // The new password is the user's now.
    const again = await signInAt(
      server,
      loginUrl(app.clientId).replace("/login?", "/oauth2/authorize?"),
      "newbie",
      "New-pass-123",
    );
    assert.ok(callbackOf(again).searchParams.get("code"));
  });

  test("http callback URLs are accepted only for loopback hosts", async () => {
    const app = await oauthApp(server);
    const sdk = server.client();
    await assert.rejects(
      sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: app.poolId,
          ClientName: "web",
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          AllowedOAuthScopes: ["openid"],
          CallbackURLs: ["http://app.example.com/callback"],
        }),
      ),
      /must use HTTPS/,
    );
  });
});

describe("managed login cookies under an https public URL", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--public-url", "https://localhost:8443"] });
  });
  after(() => server.stop());

  test("are Secure", async () => {
    const app = await oauthApp(server);
    const res = await browse(
      `${server.url}/login?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK })}`,
      new Jar(),
    );
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("lanyard_csrf="));
    assert.match(cookie ?? "", /; HttpOnly; SameSite=Lax; Secure$/);
  });
});
