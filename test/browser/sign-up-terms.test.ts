/**
 * The managed login sign-up page links the app client's terms documents (CreateTerms) in the page's
 * language, falling back to `cognito:default`, once both documents exist.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateTermsCommand,
  DeleteTermsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { artifactsDir } from "../support/artifacts.ts";
import { browserMissing, newContext } from "../support/browser.ts";
import { CALLBACK, type OAuthApp, oauthApp } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("terms on the sign-up page", { skip: browserMissing() }, () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let app: OAuthApp;
  const shots = artifactsDir("sign-up-terms");

  before(async () => {
    server = await startServer();
    cognito = server.client();
    app = await oauthApp(server);
  });
  after(() => server?.stop());

  const signUpUrl = (lang?: string) =>
    `${server.url}/signup?${new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      ...(lang ? { lang } : {}),
    })}`;

  async function linksOn(lang: string | undefined, shot: string) {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(signUpUrl(lang));
      assert.equal(new URL(page.url()).pathname, "/signup");
      await page.screenshot({ path: path.join(shots, shot), fullPage: true });
      const terms = page.getByRole("link", { name: "Terms of use" });
      const privacy = page.getByRole("link", { name: "Privacy policy" });
      if ((await terms.count()) === 0 && (await privacy.count()) === 0) return undefined;
      return { terms: await terms.getAttribute("href"), privacy: await privacy.getAttribute("href") };
    } finally {
      await context.close();
    }
  }

  test("links in the page's language, else cognito:default; none until both documents exist", async () => {
    const create = (TermsName: string, Links: Record<string, string>) =>
      cognito.send(
        new CreateTermsCommand({
          UserPoolId: app.poolId,
          ClientId: app.clientId,
          TermsName,
          TermsSource: "LINK",
          Enforcement: "NONE",
          Links,
        }),
      );
    const { Terms: terms } = await create("terms-of-use", {
      "cognito:default": "https://example.com/terms",
      "cognito:spanish": "https://example.com/es/terms",
      "cognito:portuguese-brazil": "https://example.com/pt-br/terms",
    });
    assert.equal(
      await linksOn(undefined, "1-only-terms-of-use.png"),
      undefined,
      "one document alone is not shown",
    );

    await create("privacy-policy", {
      "cognito:default": "https://example.com/privacy",
      "cognito:english": "https://example.com/en/privacy",
    });
    assert.deepEqual(await linksOn(undefined, "2-english.png"), {
      terms: "https://example.com/terms",
      privacy: "https://example.com/en/privacy",
    });
    assert.deepEqual(await linksOn("es", "3-spanish.png"), {
      terms: "https://example.com/es/terms",
      privacy: "https://example.com/privacy",
    });
    assert.deepEqual(await linksOn("pt-BR", "4-portuguese.png"), {
      terms: "https://example.com/pt-br/terms",
      privacy: "https://example.com/privacy",
    });

    await cognito.send(new DeleteTermsCommand({ UserPoolId: app.poolId, TermsId: terms!.TermsId! }));
    assert.equal(await linksOn("es", "5-deleted.png"), undefined);
  });
});
