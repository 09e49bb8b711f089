/**
 * A branded login page in a real browser: the branding style's button and page colours, its form
 * logo (decoded by the browser), favicon and background image, and the classic CSS applied to the
 * labels. A screenshot is kept in test-results/oauth-browser/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { artifactsDir } from "../support/artifacts.ts";
import { type BrandedApp, brandedApp } from "../support/branding.ts";
import { browserMissing, newContext } from "../support/browser.ts";
import { CALLBACK } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

/** A computed style property of the first element `selector` finds. */
async function styleOf(page: Page, selector: string, property: string): Promise<string> {
  return String(
    await page.evaluate(
      `getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(property)}]`,
    ),
  );
}

describe("a branded login page in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let app: BrandedApp;
  before(async () => {
    server = await startServer();
    app = await brandedApp(server);
  });
  after(() => server?.stop());

  test("renders the style's colours, logo, favicon and background, and the classic CSS", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const query = new URLSearchParams({
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: CALLBACK,
        scope: "openid",
      });
      const res = await page.goto(`${server.url}/login?${query}`);
      assert.equal(res?.status(), 200);
      await page.locator("header img").waitFor();
      const button = 'button[type="submit"]';
      assert.equal(await styleOf(page, button, "backgroundColor"), "rgb(13, 148, 136)");
      assert.equal(await styleOf(page, button, "color"), "rgb(255, 251, 235)");
      assert.equal(await styleOf(page, "body", "backgroundColor"), "rgb(254, 243, 199)");
      assert.match(await styleOf(page, "body", "backgroundImage"), /^url\("data:image\/png;base64,/);
      // The logo is decoded by the browser: a 160-pixel-wide image.
      assert.equal(
        await page.evaluate(
          '(() => { const i = document.querySelector("header img"); return i.complete && i.naturalWidth; })()',
        ),
        160,
      );
      assert.match(
        (await page.locator('link[rel="icon"]').getAttribute("href")) ?? "",
        /^data:image\/x-icon;base64,/,
      );
      assert.equal(await styleOf(page, 'label[for="username"]', "color"), "rgb(91, 33, 182)");
      await page.screenshot({
        path: path.join(artifactsDir("oauth-browser"), "branded-login.png"),
        fullPage: true,
      });
    } finally {
      await context.close();
    }
  });
});
