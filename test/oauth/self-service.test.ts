/**
 * The self-service pages with plain fetch: sign up with the pool's required attributes, confirm
 * with the code from the inbox, sign in; reset a forgotten password; the refusals of each.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { latestCode } from "../support/inbox.ts";
import {
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  submit,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

const SCHEMA_POOL = {
  AutoVerifiedAttributes: ["email" as const],
  Schema: [{ Name: "email", AttributeDataType: "String" as const, Required: true, Mutable: true }],
};

describe("managed login self-service pages", () => {
  let server: TestServer;
  let app: OAuthApp;
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    app = await oauthApp(server, {}, {}, SCHEMA_POOL);
  });
  after(() => server.stop());

  const pageUrl = (path: string, extra: Record<string, string> = {}) =>
    `${server.url}${path}?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK, state: "st", ...extra })}`;

  async function open(path: string, jar: Jar) {
    const res = await browse(pageUrl(path), jar);
    assert.equal(res.status, 200, path);
    return res.text();
  }

  async function follow(res: Response, jar: Jar) {
    assert.equal(res.status, 302);
    const next = await browse(new URL(res.headers.get("location")!, server.url).href, jar);
    assert.equal(next.status, 200);
    return next.text();
  }

  test("the sign-in page links to sign-up and password reset, carrying the request", async () => {
    const page = await open("/login", new Jar());
    assert.match(page, /href="\/signup\?response_type=code&amp;client_id=/);
    assert.match(page, /href="\/forgotPassword\?response_type=code&amp;client_id=/);
  });

  test("sign up (required attributes rendered), confirm with the emailed code, sign in", async () => {
    const jar = new Jar();
    const signUp = await open("/signup", jar);
    assert.match(signUp, /<label for="attr-email">Email<\/label>/);
    const missing = await submit(server, signUp, jar, { username: "bob", password: PASSWORD });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /email/);
    const weak = await submit(server, signUp, jar, {
      username: "bob",
      password: "short",
      "attr:email": "bob@example.com",
    });
    assert.match(await weak.text(), /Password did not conform with policy|Password does not conform/);

    const done = await submit(server, signUp, jar, {
      username: "bob",
      password: PASSWORD,
      "attr:email": "bob@example.com",
    });
    const confirm = await follow(done, jar);
    assert.match(confirm, /Confirm your account/);
    const wrong = await submit(server, confirm, jar, { code: "000000" });
    assert.match(await wrong.text(), /Invalid verification code provided/);
    const code = await latestCode(server, { poolId: app.poolId, username: "bob" });
    const confirmed = await submit(server, confirm, jar, { code });
    const login = await confirmed.text();
    assert.match(login, /Your account is confirmed/);
    const signedIn = await submit(server, login, jar, { username: "bob", password: PASSWORD });
    assert.equal(callbackOf(signedIn).searchParams.get("state"), "st");
    const user = await server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "bob" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
  });

  test("an unconfirmed user who signs in is sent to the confirmation page, where a new code can be asked for", async () => {
    const jar = new Jar();
    const signUp = await open("/signup", jar);
    await submit(server, signUp, jar, {
      username: "carol",
      password: PASSWORD,
      "attr:email": "carol@example.com",
    });
    const login = await open("/login", jar);
    const res = await submit(server, login, jar, { username: "carol", password: PASSWORD });
    assert.match(res.headers.get("location") ?? "", /^\/confirm\?.*username=carol/);
    const confirm = await follow(res, jar);
    const resent = await submit(
      server,
      confirm.replace(/action="\/confirm\?/, 'action="/confirm/resend?'),
      jar,
      {},
    );
    assert.match(await resent.text(), /We sent you a new code/);
  });

  test("forgot password: a code by email, a new password, then sign-in with it", async () => {
    const jar = new Jar();
    const forgot = await open("/forgotPassword", jar);
    const sent = await submit(server, forgot, jar, { username: "alice" });
    const reset = await follow(sent, jar);
    assert.match(reset, /Reset your password/);
    const mismatch = await submit(server, reset, jar, {
      code: "1",
      new_password: "New-pass-123",
      confirm_password: "x",
    });
    assert.match(await mismatch.text(), /The passwords do not match/);
    const code = await latestCode(server, { poolId: app.poolId, username: "alice" });
    const done = await submit(server, reset, jar, {
      code,
      new_password: "New-pass-123",
      confirm_password: "New-pass-123",
    });
    const login = await done.text();
    assert.match(login, /Your password has been reset/);
    const old = await submit(server, login, jar, { username: "alice", password: PASSWORD });
    assert.equal(old.status, 400);
    const signedIn = await submit(server, login, jar, { username: "alice", password: "New-pass-123" });
    assert.ok(callbackOf(signedIn).searchParams.get("code"));
  });

  test("every self-service form refuses a post without its CSRF token", async () => {
    for (const path of [
      "/signup",
      "/confirm",
      "/confirm/resend",
      "/forgotPassword",
      "/confirmForgotPassword",
    ]) {
      const res = await browse(pageUrl(path), new Jar(), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "username=alice",
      });
      assert.equal(res.status, 403, path);
    }
  });
});
