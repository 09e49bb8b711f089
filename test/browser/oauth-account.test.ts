/**
 * The self-service pages in a real browser, with JavaScript off: sign up (the code read from the
 * inbox), confirm, sign in, sign out, reset a password, and the error page. A screenshot of each
 * page is kept in test-results/oauth-account/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { artifactsDir } from "../support/artifacts.ts";
import { browser, browserMissing } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { latestCode } from "../support/inbox.ts";
import { type OAuthApp, oauthApp, PASSWORD } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("managed login self-service in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let site: CallbackSite;
  let app: OAuthApp;
  const shots = artifactsDir("oauth-account");

  before(async () => {
    site = await callbackSite();
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    app = await oauthApp(
      server,
      { CallbackURLs: [site.callback], LogoutURLs: [`${site.origin}/signed-out`] },
      {},
      {
        AutoVerifiedAttributes: ["email"],
        Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
      },
    );
  });
  after(async () => {
    await site?.close();
    await server?.stop();
  });

  const authorizeUrl = () =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: site.callback,
      scope: "openid email",
      state: "browser",
    })}`;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  test("sign up, confirm, sign in, sign out, reset the password, error page", async () => {
    const context = await (await browser()).newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(authorizeUrl());
      await page.getByRole("link", { name: "Need an account? Sign up" }).click();
      await page.getByLabel("Username").fill("dora");
      await page.getByLabel("Email").fill("dora@example.com");
      await page.getByLabel("Password").fill(PASSWORD);
      await shot(page, "1-sign-up");
      await page.getByRole("button", { name: "Sign up" }).click();

      await page.getByRole("heading", { name: "Confirm your account" }).waitFor();
      assert.match(
        (await page.locator("main p").first().textContent()) ?? "",
        /We sent a code|Enter the code/,
      );
      await page
        .getByLabel("Confirmation code")
        .fill(await latestCode(server, { poolId: app.poolId, username: "dora" }));
      await shot(page, "2-confirm");
      await page.getByRole("button", { name: "Confirm account" }).click();

      await page.getByRole("status").waitFor();
      assert.equal(
        await page.getByRole("status").textContent(),
        "Your account is confirmed. Please sign in.",
      );
      await shot(page, "3-confirmed");
      await page.getByLabel("Password").fill(PASSWORD);
      await Promise.all([
        page.waitForURL(`${site.callback}?**`),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      assert.ok(new URL(page.url()).searchParams.get("code"));
      assert.equal(new URL(page.url()).searchParams.get("state"), "browser");

      // Sign out: to the app's sign-out URL.
      await page.goto(
        `${server.url}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: `${site.origin}/signed-out` })}`,
      );
      assert.equal(page.url(), `${site.origin}/signed-out`);

      // Reset the password.
      await page.goto(authorizeUrl());
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByLabel("Username").fill("dora");
      await shot(page, "4-forgot-password");
      await page.getByRole("button", { name: "Send code" }).click();
      await page.getByRole("heading", { name: "Reset your password" }).waitFor();
      await page.getByLabel("Code").fill(await latestCode(server, { poolId: app.poolId, username: "dora" }));
      await page.getByLabel("New password", { exact: true }).fill("Brand-new-pass-1");
      await page.getByLabel("Confirm the new password").fill("Brand-new-pass-1");
      await shot(page, "5-reset-password");
      await page.getByRole("button", { name: "Reset password" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(
        await page.getByRole("status").textContent(),
        "Your password has been reset. Please sign in.",
      );
      await page.getByLabel("Password").fill("Brand-new-pass-1");
      await Promise.all([
        page.waitForURL(`${site.callback}?**`),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);

      // An unknown client: the error page.
      const res = await page.goto(`${server.url}/oauth2/authorize?client_id=nosuchclient&response_type=code`);
      assert.equal(res?.status(), 400);
      await page.getByText("An error was encountered with the requested page.").waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await shot(page, "6-error");
    } finally {
      await context.close();
    }
  });
});
