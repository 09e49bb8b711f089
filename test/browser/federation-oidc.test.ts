/**
 * OIDC federation in a real browser against real IdP software: the login page's provider button,
 * oidc-provider's own login and consent pages (on 127.0.0.1), /oauth2/idpresponse, and the app's
 * callback with a code that openid-client exchanges for Lanyard tokens. Once for a new federated
 * user, once for an identity linked to a native user by AdminLinkProviderForUser.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { artifactsDir } from "../support/artifacts.ts";
import { browserMissing, newContext } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { fakeIdp, type Idp, oidcProvider } from "../support/oidc-idp.ts";
import { relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("OIDC federation in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  let site: CallbackSite;
  let idp: Idp;
  const shots = artifactsDir("federation-oidc");

  before(async () => {
    site = await callbackSite();
    server = await startServer();
    idp = await oidcProvider({
      clientId: "lanyard",
      clientSecret: "lanyard-secret-at-the-idp",
      redirectUri: `${server.url}/oauth2/idpresponse`,
      claims: (sub) => ({ email: `${sub}@corp.example`, email_verified: true, name: sub }),
    });
  });
  after(async () => {
    await idp?.close();
    await site?.close();
    await server?.stop();
  });

  async function app(): Promise<FederatedApp> {
    return federatedApp(
      server,
      {
        ProviderDetails: {
          client_id: "lanyard",
          client_secret: "lanyard-secret-at-the-idp",
          authorize_scopes: "openid email profile",
          oidc_issuer: idp.issuer,
          attributes_request_method: "GET",
        },
        AttributeMapping: { email: "email", name: "name" },
      },
      { callback: site.callback },
    );
  }

  /** From the app to the callback through the IdP's pages; the tokens the app gets. */
  async function signIn(a: FederatedApp, login: string, shot: string) {
    const config = await relyingParty(a);
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
      await page.screenshot({ path: path.join(shots, `${shot}-1-login.png`), fullPage: true });
      await page.getByRole("link", { name: "Continue with Corp" }).click();
      await page.waitForURL(`${idp.issuer}/**`);
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill("anything");
      await page.screenshot({ path: path.join(shots, `${shot}-2-idp.png`), fullPage: true });
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL(`${site.callback}?**`);
      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get("state"), state);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      return tokens.claims()!;
    } finally {
      await context.close();
    }
  }

  test("a new identity becomes the federated user Corp_<sub>, with its mapped attributes", async () => {
    const a = await app();
    const claims = await signIn(a, "bob", "new");
    assert.equal(claims["cognito:username"], "Corp_bob");
    assert.equal(claims.email, "bob@corp.example");
    const identities = claims.identities as Record<string, unknown>[];
    assert.equal(identities.length, 1);
    assert.equal(identities[0]!.providerName, "Corp");
    assert.equal(identities[0]!.providerType, "OIDC");
    assert.equal(identities[0]!.userId, "bob");
    const user = await server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "Corp_bob" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    assert.equal(user.UserAttributes!.find((x) => x.Name === "name")!.Value, "bob");
  });

  test("login CSRF: the callback replayed in another browser is refused; in the starting browser it signs in", async () => {
    const fake = await fakeIdp("lanyard-at-fake");
    const starter = await newContext();
    const other = await newContext();
    try {
      const a = await federatedApp(
        server,
        {
          ProviderName: "Fake",
          ProviderDetails: {
            client_id: "lanyard-at-fake",
            client_secret: "s3cret",
            authorize_scopes: "openid",
            oidc_issuer: fake.issuer,
            attributes_request_method: "GET",
          },
        },
        { callback: site.callback },
      );
      const config = await relyingParty(a);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: site.callback,
        scope: "openid",
        state: "csrf-state",
        identity_provider: "Fake",
      });
      // The starting browser is sent to the provider (and given its cookies); the provider step
      // (this provider answers at once with a code) is done here, and its callback URL kept.
      const page = await starter.newPage();
      let toIdp: string | undefined;
      await page.route(`${server.url}/oauth2/authorize?**`, async (route) => {
        const res = await route.fetch({ maxRedirects: 0 });
        toIdp = res.headers().location;
        const headers = { ...res.headers() };
        delete headers.location;
        return route.fulfill({ status: 200, headers, contentType: "text/plain", body: "to the provider" });
      });
      await page.goto(url.href);
      assert.ok(toIdp?.startsWith(`${fake.issuer}/authorize?`), toIdp);
      assert.equal(
        (await starter.cookies(server.url)).filter((c) => c.name === "lanyard_federation").length,
        1,
      );
      fake.next = { sub: "mallory" };
      const callback = (await fetch(toIdp!, { redirect: "manual" })).headers.get("location")!;
      assert.ok(callback.startsWith(`${server.url}/oauth2/idpresponse?`), callback);
      // Another browser (the victim of login CSRF) is sent there: the error page, no user, no code.
      const victim = await other.newPage();
      const refused = await victim.goto(callback);
      assert.equal(refused!.status(), 400);
      assert.match(await victim.content(), /started in another browser/);
      assert.equal(new URL(victim.url()).origin, server.url);
      const users = await server.client().send(new ListUsersCommand({ UserPoolId: a.poolId }));
      assert.deepEqual(
        users.Users!.map((u) => u.Username),
        ["alice"],
      );
      // The browser that started the sign-in finishes it.
      await page.goto(callback);
      const back = new URL(page.url());
      assert.equal(back.origin + back.pathname, site.callback);
      assert.equal(back.searchParams.get("state"), "csrf-state");
      const tokens = await oidc.authorizationCodeGrant(config, back, { expectedState: "csrf-state" });
      assert.equal(tokens.claims()!["cognito:username"], "Fake_mallory");
    } finally {
      await starter.close();
      await other.close();
      await fake.close();
    }
  });

  test("an identity linked to a native user signs in as that user, with its sub", async () => {
    const a = await app();
    const sdk = server.client();
    await sdk.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: a.poolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "alice" },
        SourceUser: {
          ProviderName: "Corp",
          ProviderAttributeName: "Cognito_Subject",
          ProviderAttributeValue: "alice-at-corp",
        },
      }),
    );
    const alice = await sdk.send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "alice" }));
    const sub = alice.UserAttributes!.find((x) => x.Name === "sub")!.Value;
    const claims = await signIn(a, "alice-at-corp", "linked");
    assert.equal(claims.sub, sub);
    assert.equal(claims["cognito:username"], "alice");
    const users = await sdk.send(new ListUsersCommand({ UserPoolId: a.poolId }));
    assert.deepEqual(
      users.Users!.map((u) => u.Username),
      ["alice"],
    );
  });
});
