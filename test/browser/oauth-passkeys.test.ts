/**
 * Choice-based sign-in and passkeys on the managed login in Chromium, with the DevTools virtual
 * authenticator: the username first; with no passkey yet the password; a passkey added at
 * /passkeys/add; then the passkey offered after the username and used to sign in, with the code
 * exchanged for the user's tokens. With JavaScript off the passkey pages say that they need it.
 * The pages are served on the pool's custom domain (a *.localhost name, which Chromium resolves to
 * loopback), the passkeys' relying party. Screenshots go to test-results/oauth-passkeys/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolDomainCommand,
  ListWebAuthnCredentialsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import type { BrowserContext, Page } from "playwright-core";
import { artifactsDir } from "../support/artifacts.ts";
import { browser, browserMissing } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { type OAuthApp, oauthApp, PASSWORD, relyingParty } from "../support/oauth.ts";
import { confirmedUser } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const RP_ID = "login-passkeys.localhost";
const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

const AUTHENTICATOR = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

describe("passkeys on the managed login in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let site: CallbackSite;
  let app: OAuthApp;
  let config: oidc.Configuration;
  let domainOrigin: string;
  const shots = artifactsDir("oauth-passkeys");

  before(async () => {
    site = await callbackSite();
    server = await startServer();
    sdk = server.client();
    app = await oauthApp(
      server,
      { CallbackURLs: [site.callback] },
      {},
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } } },
    );
    await sdk.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: app.poolId,
        Domain: RP_ID,
        CustomDomainConfig: { CertificateArn: CERT_ARN },
      }),
    );
    config = await relyingParty(app);
    domainOrigin = `http://${RP_ID}:${server.port}`;
  });
  after(async () => {
    await site?.close();
    await server?.stop();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  /** An authorization request on the pool's domain, and what the relying party keeps. */
  async function authorization() {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: site.callback,
      scope: "openid email aws.cognito.signin.user.admin",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    return { url: `${domainOrigin}${url.pathname}${url.search}`, verifier, state };
  }

  async function tokens(page: Page, a: { verifier: string; state: string }) {
    await page.waitForURL(`${site.callback}?**`);
    return oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: a.verifier,
      expectedState: a.state,
    });
  }

  async function withAuthenticator(run: (page: Page, context: BrowserContext) => Promise<void>) {
    const context = await (await browser()).newContext();
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("WebAuthn.enable");
      await cdp.send("WebAuthn.addVirtualAuthenticator", { options: AUTHENTICATOR });
      await run(page, context);
    } finally {
      await context.close();
    }
  }

  const addUrl = () =>
    `${domainOrigin}/passkeys/add?${new URLSearchParams({ client_id: app.clientId, redirect_uri: site.callback })}`;

  test("password first, a passkey added at /passkeys/add, then a passkey sign-in", async () => {
    await confirmedUser(sdk, app.poolId, "pat", PASSWORD, [
      { Name: "email", Value: "pat@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await withAuthenticator(async (page, context) => {
      // Signed out, /passkeys/add asks for a sign-in first.
      const res = await page.goto(addUrl());
      assert.equal(res?.status(), 401);
      await page.getByText("Sign in first, then add your passkey.").waitFor();

      // The username first; with no passkey yet, the password.
      const first = await authorization();
      await page.goto(first.url);
      assert.equal(new URL(page.url()).pathname, "/login");
      await shot(page, "1-username");
      await page.getByLabel("Username").fill("pat");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByLabel("Password").fill(PASSWORD);
      await shot(page, "2-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await tokens(page, first);

      // Signed in on the pages: /passkeys/add registers a passkey and returns to the app.
      await page.goto(addUrl());
      assert.equal(await page.title(), "Add a passkey – Lanyard");
      await shot(page, "3-add-passkey");
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.waitForURL(`${site.callback}**`);
      await context.clearCookies();

      // Signed out again: after the username, the passkey is offered, and it signs in.
      const second = await authorization();
      await page.goto(second.url);
      await page.getByLabel("Username").fill("pat");
      await page.getByRole("button", { name: "Next" }).click();
      assert.equal(await page.title(), "Choose a sign-in method – Lanyard");
      await shot(page, "4-choose");
      await page.getByRole("button", { name: "Sign in with passkey" }).click();
      assert.equal(await page.title(), "Sign in with passkey – Lanyard");
      await shot(page, "5-passkey");
      await page.getByRole("button", { name: "Sign in with passkey" }).click();
      const signedIn = await tokens(page, second);
      assert.equal(signedIn.claims()!["cognito:username"], "pat");
      const listed = await sdk.send(
        new ListWebAuthnCredentialsCommand({ AccessToken: signedIn.access_token }),
      );
      assert.equal(listed.Credentials?.length, 1);
      assert.equal(listed.Credentials?.[0]?.RelyingPartyId, RP_ID);
    });
  });

  test("a refused passkey shows the error and keeps the step", async () => {
    await confirmedUser(sdk, app.poolId, "quinn", PASSWORD);
    await withAuthenticator(async (page) => {
      const a = await authorization();
      await page.goto(a.url);
      await page.getByLabel("Username").fill("quinn");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await tokens(page, a);
      await page.goto(addUrl());
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.waitForURL(`${site.callback}**`);
    });
    // Another browser, whose authenticator holds no passkey of quinn's: the assertion never comes.
    await withAuthenticator(async (page) => {
      await page.goto((await authorization()).url);
      await page.getByLabel("Username").fill("quinn");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("button", { name: "Sign in with passkey" }).click();
      await page.getByRole("button", { name: "Sign in with passkey" }).click();
      const shown = page.locator("#webauthn-error");
      await shown.waitFor({ timeout: 90_000 });
      assert.match((await shown.textContent()) ?? "", /^No passkey was used/);
      assert.equal(await page.title(), "Sign in with passkey – Lanyard");
      await shot(page, "6-passkey-refused");
    });
  });

  test("with JavaScript off the passkey pages say they need it", async () => {
    await confirmedUser(sdk, app.poolId, "rory", PASSWORD);
    const context = await (await browser()).newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const a = await authorization();
      await page.goto(a.url);
      await page.getByLabel("Username").fill("rory");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await tokens(page, a);
      await page.goto(addUrl());
      assert.equal(await page.title(), "Add a passkey – Lanyard");
      await shot(page, "7-add-passkey-no-js");
      assert.match(await page.locator("main").innerText(), /Adding a passkey needs JavaScript\./);
      // The form posts no credential without the script: the page stays, nothing is registered.
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.getByRole("alert").filter({ hasText: "No passkey was given." }).waitFor();
    } finally {
      await context.close();
    }
  });
});
