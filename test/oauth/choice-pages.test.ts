/**
 * Choice-based sign-in and /passkeys/add on the managed login pages, driven with plain fetch (as a
 * browser with JavaScript off): the username first on a pool whose AllowedFirstAuthFactors name
 * more than PASSWORD, the password when it is the user's only factor, the API's errors, hidden
 * users, and the checks of /passkeys/add (client, redirect URI, signed-in user, CSRF, script
 * policy).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateUserPoolDomainCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  oauthApp,
  type OAuthApp,
  PASSWORD,
  signInAt,
  submit,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

const CHOICE = {
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD" as const, "WEB_AUTHN" as const] } },
};

describe("choice-based sign-in and /passkeys/add on the pages", () => {
  let server: TestServer;
  let app: OAuthApp;
  let hiding: OAuthApp;
  before(async () => {
    server = await startServer();
    app = await oauthApp(server, {}, {}, CHOICE);
    // A domain: the passkeys' default relying party.
    await server
      .client()
      .send(new CreateUserPoolDomainCommand({ UserPoolId: app.poolId, Domain: "choice-pages" }));
    hiding = await oauthApp(server, { PreventUserExistenceErrors: "ENABLED" }, {}, CHOICE);
  });
  after(() => server.stop());

  const loginUrl = (clientId: string) =>
    `${server.url}/login?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, state: "st" })}`;
  const addUrl = (clientId: string, redirectUri = CALLBACK) =>
    `${server.url}/passkeys/add?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri })}`;

  async function usernameStep(a: OAuthApp, username: string, jar = new Jar()) {
    const login = await browse(loginUrl(a.clientId), jar);
    const page = await login.text();
    assert.match(page, /action="\/login\/start\?/);
    assert.doesNotMatch(page, /name="password"/, "the username comes first");
    return { jar, res: await submit(server, page, jar, { username }) };
  }

  test("a user with only a password gets the password form, and signs in with it", async () => {
    const { jar, res } = await usernameStep(app, "alice");
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /name="password"/);
    assert.match(page, /value="alice"/);
    const wrong = await submit(server, page, jar, { username: "alice", password: "Wrong-password-1" });
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /role="alert">Incorrect username or password\.</);
    const ok = await submit(server, again, jar, { username: "alice", password: PASSWORD });
    assert.equal(callbackOf(ok).searchParams.get("state"), "st");
  });

  test("an unknown user: the API's error, or (hiding users) the same password form as a known one", async () => {
    const shown = await usernameStep(app, "nobody");
    assert.equal(shown.res.status, 400);
    assert.match(await shown.res.text(), /role="alert">User does not exist\.</);

    const hidden = await usernameStep(hiding, "nobody");
    assert.equal(hidden.res.status, 200);
    const page = await hidden.res.text();
    assert.match(page, /name="password"/);
    const refused = await submit(server, page, hidden.jar, { username: "nobody", password: PASSWORD });
    assert.match(await refused.text(), /role="alert">Incorrect username or password\.</);
  });

  test("/passkeys/add: unknown client and foreign redirect URI are error pages; signed out asks for a sign-in", async () => {
    const unknown = await fetch(addUrl("nosuchclient"));
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /invalid_request/);
    const foreign = await fetch(addUrl(app.clientId, "https://elsewhere.example/cb"));
    assert.equal(foreign.status, 400);
    assert.match(await foreign.text(), /redirect_mismatch/);
    const signedOut = await fetch(addUrl(app.clientId));
    assert.equal(signedOut.status, 401);
    const body = await signedOut.text();
    assert.match(body, /Sign in first, then add your passkey\./);
    assert.match(body, /href="\/oauth2\/authorize\?response_type=code&amp;client_id=/);
  });

  test("/passkeys/add signed in: the registration options, the script allowed, CSRF checked", async () => {
    const jar = new Jar();
    const signedIn = await signInAt(
      server,
      `${server.url}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK })}`,
      "alice",
      PASSWORD,
      jar,
    );
    // The pool signs in by choice: the first page is the username; answer it and the password.
    assert.equal(signedIn.status, 200);
    const ok = await submit(server, await signedIn.text(), jar, { username: "alice", password: PASSWORD });
    callbackOf(ok);

    const res = await browse(addUrl(app.clientId), jar);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const page = await res.text();
    assert.match(page, /<script src="\/login\/webauthn\.js" defer><\/script>/);
    const options = JSON.parse(
      /name="options" value="([^"]+)"/
        .exec(page)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, "&"),
    ) as { rp: { id: string }; user: { name: string } };
    assert.equal(options.user.name, "alice@example.com");
    assert.equal(options.rp.id, "choice-pages.auth.us-east-1.amazoncognito.com");

    const forged = await browse(addUrl(app.clientId), jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: "forged", credential: "{}" }).toString(),
    });
    assert.equal(forged.status, 403);
    const empty = await submit(server, page, jar, { credential: "" });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /No passkey was given\./);

    const script = await fetch(`${server.url}/login/webauthn.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
  });

  test("the other pages load no script", async () => {
    const res = await fetch(loginUrl(app.clientId));
    assert.doesNotMatch(res.headers.get("content-security-policy") ?? "", /script-src/);
    assert.doesNotMatch(await res.text(), /<script/);
  });
});
