/**
 * Sign in with Apple in a real browser, with Apple's stand-in on another site than Lanyard
 * (`localhost` against `127.0.0.1`): Apple's `form_post` is a cross-site POST to
 * /oauth2/idpresponse, which does not carry the SameSite=Lax cookie that binds the sign-in to the
 * browser; Lanyard posts the form again from its own origin (its script), and the sign-in ends at
 * the app's callback with a code good for Lanyard tokens.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import { browserMissing, newContext } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { federatedApp } from "../support/federated-app.ts";
import { relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { type AppleClient, type AppleStandIn, appleClient, appleStandIn } from "../support/social-idps.ts";

describe("Sign in with Apple in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let site: CallbackSite;
  let apple: AppleStandIn;
  let keys: AppleClient;
  let appleSite: string;

  before(async () => {
    site = await callbackSite();
    keys = await appleClient("com.example.web");
    apple = await appleStandIn(keys);
    appleSite = apple.base.replace("127.0.0.1", "localhost");
    apple.issuer = appleSite;
    server = await startServer({ args: ["--social-stand-in", `SignInWithApple=${appleSite}`] });
  });
  after(async () => {
    await apple?.close();
    await site?.close();
    await server?.stop();
  });

  test("Apple's cross-site form_post is posted again from Lanyard's origin, and signs in", async () => {
    const a = await federatedApp(
      server,
      {
        ProviderName: "SignInWithApple",
        ProviderType: "SignInWithApple",
        ProviderDetails: {
          client_id: keys.clientId,
          team_id: keys.teamId,
          key_id: keys.keyId,
          private_key: keys.privateKeyPem,
          authorize_scopes: "email name",
        },
        AttributeMapping: { email: "email", name: "name" },
      },
      { callback: site.callback },
    );
    apple.next = {
      sub: "000777.web",
      email: "web@example.com",
      name: { firstName: "Web", lastName: "User" },
    };
    const config = await relyingParty(a);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: site.callback,
      scope: "openid email",
      state: "apple-state",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      identity_provider: "SignInWithApple",
    });
    const context = await newContext();
    try {
      const page = await context.newPage();
      const posts: { url: string; site: string | undefined }[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && r.url().startsWith(`${server.url}/oauth2/idpresponse`))
          posts.push({ url: r.url(), site: r.headers()["sec-fetch-site"] });
      });
      await Promise.all([page.waitForURL(`${site.callback}?**`), page.goto(url.href)]);
      // Apple's post (cross-site, no cookie), then Lanyard's own repost.
      assert.equal(posts.length, 2, JSON.stringify(posts));
      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get("state"), "apple-state");
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: "apple-state",
      });
      const claims = tokens.claims()!;
      assert.equal(claims["cognito:username"], "SignInWithApple_000777.web");
      assert.equal(claims.email, "web@example.com");
      assert.equal(claims.name, "Web User");
    } finally {
      await context.close();
    }
  });
});
