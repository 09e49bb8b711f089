/**
 * The login pages show the app client's branding: the managed login branding style's colours,
 * form logo, favicon and page background, and the classic UI customization's CSS (its classes
 * applied to the pages' elements) and logo, which shows when the style has none. The CSS stays
 * inside the page's stylesheet; a client without branding keeps Lanyard's look.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { brandedApp } from "../support/branding.ts";
import { solidPng } from "../support/images.ts";
import { CALLBACK, type OAuthApp, oauthApp } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

function loginUrl(server: TestServer, app: OAuthApp, path = "/login"): string {
  return `${server.url}${path}?${new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: CALLBACK,
    scope: "openid",
  })}`;
}

async function pageOf(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return res.text();
}

describe("branding on the managed login pages", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("the branding style's colours and assets, and the classic CSS, on every page", async () => {
    const app = await brandedApp(server);
    for (const path of ["/login", "/signup", "/forgotPassword"]) {
      const page = await pageOf(loginUrl(server, app, path));
      assert.match(page, /--primary: #0d9488ff; --on-primary: #fffbebff; --bg: #fef3c7ff;/, path);
      assert.ok(page.includes(`<img src="data:image/png;base64,${app.formLogo.toString("base64")}"`), path);
      assert.ok(
        page.includes(`<link rel="icon" href="data:image/x-icon;base64,${app.favicon.toString("base64")}"`),
        path,
      );
      assert.ok(page.includes(`url("data:image/png;base64,${app.background.toString("base64")}")`), path);
      assert.ok(page.includes(".label-customizable, label {"), path);
      assert.ok(page.includes('.submitButton-customizable, button[type="submit"]:not(.secondary) {'), path);
      // The style's logo, not the classic one.
      assert.ok(!page.includes(app.classicLogo.toString("base64")), path);
    }
  });

  test("the classic customization alone: its logo and CSS (the pool's, for clients without their own)", async () => {
    const app = await oauthApp(server);
    const sdk = server.client();
    await sdk.send(
      new CreateUserPoolDomainCommand({ UserPoolId: app.poolId, Domain: `classic-${Date.now()}` }),
    );
    const logo = solidPng(30, 10, [1, 2, 3]);
    await sdk.send(
      new SetUICustomizationCommand({
        UserPoolId: app.poolId,
        ClientId: "ALL",
        CSS: ".background-customizable { background-color: #fafafa; }",
        ImageFile: logo,
      }),
    );
    const page = await pageOf(loginUrl(server, app));
    assert.ok(page.includes(`<img src="data:image/png;base64,${logo.toString("base64")}"`));
    assert.ok(page.includes(".background-customizable, main { background-color: #fafafa; }"));
    // Lanyard's colours: no branding style.
    assert.match(page, /--primary: #1d4ed8;/);
  });

  test("CSS cannot leave the stylesheet", async () => {
    const app = await oauthApp(server);
    const sdk = server.client();
    await sdk.send(
      new CreateUserPoolDomainCommand({ UserPoolId: app.poolId, Domain: `escape-${Date.now()}` }),
    );
    await sdk.send(
      new SetUICustomizationCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        CSS: '.label-customizable { content: "</style><h2 id=injected>x</h2>"; }',
      }),
    );
    const page = await pageOf(loginUrl(server, app));
    assert.equal(page.split("</style>").length, 2, "one stylesheet, closed once");
    assert.ok(!page.includes("</style><h2"));
    // What was meant to break out stays text of the stylesheet.
    assert.ok(page.indexOf("injected") < page.indexOf("</style>"));
  });

  test("a client without branding keeps Lanyard's look", async () => {
    const app = await oauthApp(server);
    const page = await pageOf(loginUrl(server, app));
    assert.match(page, /--primary: #1d4ed8; --on-primary: #ffffff; --bg: #f3f4f6;/);
    assert.ok(!page.includes("<img "));
    assert.ok(!page.includes('rel="icon"'));
  });
});
