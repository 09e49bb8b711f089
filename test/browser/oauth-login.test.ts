/**
 * The managed login in a real browser: a relying party sends the user to /oauth2/authorize, the
 * login page signs them in, the browser lands on the app's callback (a tiny server on 127.0.0.1)
 * with a code that openid-client exchanges. A screenshot of each page is kept in
 * test-results/oauth-browser/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import { artifactsDir } from "../support/artifacts.ts";
import { browserMissing, newContext } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { type OAuthApp, oauthApp, PASSWORD, relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("managed login in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let site: CallbackSite;
  let app: OAuthApp;
  const shots = artifactsDir("oauth-browser");

  before(async () => {
    site = await callbackSite();
    server = await startServer();
    app = await oauthApp(server, { CallbackURLs: [site.callback] });
  });
  after(async () => {
    await site?.close();
    await server?.stop();
  });

  test("authorize -> login page -> callback, and the code is good for tokens", async () => {
    const config = await relyingParty(app);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: site.callback,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(url.href);
      assert.equal(new URL(page.url()).pathname, "/login");
      assert.equal(await page.title(), "Sign in – Lanyard");
      await page.screenshot({ path: path.join(shots, "1-login.png"), fullPage: true });

      // A wrong password first: the page says so and keeps the username.
      await page.getByLabel("Username").fill("alice");
      await page.getByLabel("Password").fill("Wrong-password-1");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      assert.equal(await page.getByRole("alert").textContent(), "Incorrect username or password.");
      assert.equal(await page.getByLabel("Username").inputValue(), "alice");
      await page.screenshot({ path: path.join(shots, "2-login-error.png"), fullPage: true });

      // Keyboard only: the password field has focus, Enter submits.
      await page.keyboard.type(PASSWORD);
      await Promise.all([page.waitForURL(`${site.callback}?**`), page.keyboard.press("Enter")]);
      await page.screenshot({ path: path.join(shots, "3-callback.png"), fullPage: true });
      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get("state"), state);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      assert.equal(tokens.claims()!["cognito:username"], "alice");
    } finally {
      await context.close();
    }
  });

  test("a redirect URI the client does not list is an error page, and the browser stays", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const res = await page.goto(
        `${server.url}/oauth2/authorize?${new URLSearchParams({
          response_type: "code",
          client_id: app.clientId,
          redirect_uri: `${site.origin}/elsewhere`,
        })}`,
      );
      assert.equal(res?.status(), 400);
      assert.equal(new URL(page.url()).origin, server.url);
      await page.getByText("redirect_mismatch").waitFor();
      await page.screenshot({ path: path.join(shots, "4-error.png"), fullPage: true });
      assert.equal(site.hits.filter((h) => h.pathname === "/elsewhere").length, 0);
    } finally {
      await context.close();
    }
  });
});
