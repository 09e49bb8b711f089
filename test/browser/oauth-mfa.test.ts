/**
 * The MFA steps of the managed login in a real browser, with JavaScript on and off: a sign-in with
 * an authenticator app's code (otplib computes it), an authenticator set up from the secret the
 * page shows next to its QR code, and the choice of factor ending with an emailed code read from
 * the inbox. A wrong code shows the error and keeps the step. Screenshots go to
 * test-results/oauth-mfa/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import type { Page } from "playwright-core";
import { artifactsDir } from "../support/artifacts.ts";
import { browser, browserMissing } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { latestCode } from "../support/inbox.ts";
import { type OAuthApp, oauthApp, PASSWORD } from "../support/oauth.ts";
import { confirmedUser } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };

const totp = (secret: string, stepOffset = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 });
const wrongCode = (right: string) => (right === "000000" ? "111111" : "000000");

describe("MFA on the managed login in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let site: CallbackSite;
  let app: OAuthApp;
  const shots = artifactsDir("oauth-mfa");

  before(async () => {
    site = await callbackSite();
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    sdk = server.client();
    app = await oauthApp(
      server,
      {
        CallbackURLs: [site.callback],
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
      {},
      { EmailConfiguration: SES, SmsConfiguration: SMS },
    );
  });
  after(async () => {
    await site?.close();
    await server?.stop();
  });

  function mfaConfig(mode: "ON" | "OPTIONAL", factors: ("SMS" | "TOTP" | "EMAIL")[]) {
    return sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: app.poolId,
        MfaConfiguration: mode,
        SmsMfaConfiguration: factors.includes("SMS")
          ? { SmsAuthenticationMessage: "Code {####}" }
          : undefined,
        SoftwareTokenMfaConfiguration: { Enabled: factors.includes("TOTP") },
        EmailMfaConfiguration: factors.includes("EMAIL")
          ? { Subject: "Sign-in code", Message: "Your sign-in code is {####}" }
          : undefined,
      }),
    );
  }

  const authorizeUrl = (state: string) =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: site.callback,
      scope: "openid email",
      state,
    })}`;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  async function withPage(javaScript: boolean, run: (page: Page) => Promise<void>): Promise<void> {
    const context = await (await browser()).newContext({ javaScriptEnabled: javaScript });
    try {
      await run(await context.newPage());
    } finally {
      await context.close();
    }
  }

  async function signInWithPassword(page: Page, username: string, state: string): Promise<void> {
    await page.goto(authorizeUrl(state));
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
  }

  async function landedAtCallback(page: Page, state: string): Promise<void> {
    await page.waitForURL(`${site.callback}?**`);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("state"), state);
    assert.ok(url.searchParams.get("code"));
  }

  async function totpUser(username: string): Promise<string> {
    await confirmedUser(sdk, app.poolId, username, PASSWORD);
    const out = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const AccessToken = out.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, -1) }));
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: username,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    return SecretCode!;
  }

  for (const javaScript of [true, false]) {
    const mode = javaScript ? "js" : "nojs";

    test(`an authenticator app's code after the password (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      await mfaConfig("OPTIONAL", ["TOTP"]);
      const secret = await totpUser(`totp-${mode}`);
      await withPage(javaScript, async (page) => {
        await signInWithPassword(page, `totp-${mode}`, `totp-${mode}`);
        assert.equal(await page.title(), "Multi-factor authentication – Lanyard");
        await page.getByText("Enter the code from your authenticator app.").waitFor();
        await shot(page, `totp-${mode}-1-code`);
        const right = totp(secret);
        await page.getByLabel("Code", { exact: true }).fill(wrongCode(right));
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("alert").waitFor();
        assert.equal(await page.getByRole("alert").textContent(), "Invalid code received for user");
        assert.equal(await page.title(), "Multi-factor authentication – Lanyard");
        await shot(page, `totp-${mode}-2-wrong`);
        await page.getByLabel("Code", { exact: true }).fill(right);
        await page.getByRole("button", { name: "Sign in" }).click();
        await landedAtCallback(page, `totp-${mode}`);
      });
    });

    test(`an authenticator app set up from the page's secret (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      await mfaConfig("ON", ["TOTP"]);
      await confirmedUser(sdk, app.poolId, `setup-${mode}`, PASSWORD);
      await withPage(javaScript, async (page) => {
        await signInWithPassword(page, `setup-${mode}`, `setup-${mode}`);
        assert.equal(await page.title(), "Set up an authenticator app – Lanyard");
        const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
        await qr.waitFor();
        const box = await qr.boundingBox();
        assert.ok(box && box.width > 100 && box.height > 100, "the QR code is drawn");
        await shot(page, `setup-${mode}-1-qr`);
        // The key as a person reads it off the page (in groups of four).
        const secret = (await page.locator("#secret-key").textContent())!.replace(/\s+/g, "");
        assert.match(secret, /^[A-Z2-7]{16,}$/);
        await page.getByLabel("Code", { exact: true }).fill(wrongCode(totp(secret)));
        await page.getByRole("button", { name: "Verify and sign in" }).click();
        await page.getByRole("alert").waitFor();
        assert.equal(
          await page.getByRole("alert").textContent(),
          "Code mismatch and fail enable Software Token MFA",
        );
        assert.equal((await page.locator("#secret-key").textContent())!.replace(/\s+/g, ""), secret);
        await page.getByLabel("Code", { exact: true }).fill(totp(secret));
        await page.getByRole("button", { name: "Verify and sign in" }).click();
        await landedAtCallback(page, `setup-${mode}`);
      });
    });
  }

  test("the choice of factor, then the emailed code from the inbox (JavaScript off)", async () => {
    await mfaConfig("OPTIONAL", ["SMS", "EMAIL"]);
    await confirmedUser(sdk, app.poolId, "chooser", PASSWORD, [
      { Name: "phone_number", Value: "+15555550177" },
      { Name: "phone_number_verified", Value: "true" },
      { Name: "email", Value: "chooser@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "chooser",
        SMSMfaSettings: { Enabled: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    await withPage(false, async (page) => {
      await signInWithPassword(page, "chooser", "chooser");
      assert.equal(await page.title(), "Choose an MFA method – Lanyard");
      await shot(page, "select-1-choose");
      await page.getByRole("button", { name: "Email message" }).click();
      await page.getByText(/We emailed a code to/).waitFor();
      await shot(page, "select-2-email-code");
      const code = await latestCode(server, { poolId: app.poolId, username: "chooser" });
      await page.getByLabel("Code", { exact: true }).fill(code);
      await page.getByRole("button", { name: "Sign in" }).click();
      await landedAtCallback(page, "chooser");
    });
  });
});
