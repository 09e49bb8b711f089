/**
 * The offline mock identity provider (`--enable-mock-idp`): off by default; when on, an OIDC
 * provider at /_lanyard/mock-idp whose page signs in as the subject and claims typed there, all
 * the way to the app's tokens. (Its refusal on a non-loopback address is in
 * test/api/server-hardening.test.ts.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { browse, CALLBACK, hiddenFields, Jar, relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("the mock identity provider", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-mock-idp"] });
  });
  after(() => server?.stop());

  test("is off by default", async () => {
    const off = await startServer({ args: ["--memory"] });
    try {
      const res = await fetch(`${off.url}/_lanyard/mock-idp/.well-known/openid-configuration`);
      assert.equal(res.status, 404);
    } finally {
      await off.stop();
    }
  });

  async function app(): Promise<FederatedApp> {
    return federatedApp(server, {
      ProviderName: "Mock",
      ProviderDetails: {
        client_id: "my-app",
        client_secret: "anything",
        authorize_scopes: "openid email",
        oidc_issuer: `${server.url}/_lanyard/mock-idp`,
        attributes_request_method: "GET",
      },
      AttributeMapping: { email: "email", given_name: "given_name" },
    });
  }

  test("signs in as the subject and claims typed on its page", async () => {
    const a = await app();
    const jar = new Jar();
    const start = await browse(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        scope: "openid email",
        state: "st",
        identity_provider: "Mock",
      })}`,
      jar,
    );
    const pageUrl = start.headers.get("location")!;
    assert.ok(pageUrl.startsWith(`${server.url}/_lanyard/mock-idp/authorize?`), pageUrl);
    const pageRes = await browse(pageUrl, jar);
    assert.equal(pageRes.status, 200);
    const page = await pageRes.text();
    assert.match(page, /<label for="sub">Subject \(sub\)<\/label>/);
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const post = (fields: Record<string, string>) =>
      browse(`${server.url}${action}`, jar, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...hiddenFields(page), ...fields }).toString(),
      });
    const bad = await post({ sub: "dev-user", claims: "{not json" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /not valid JSON/);
    const signed = await post({
      sub: "dev-user",
      claims: JSON.stringify({ email: "dev@example.com", given_name: "Dev" }),
    });
    assert.equal(signed.status, 302);
    const back = signed.headers.get("location")!;
    assert.ok(back.startsWith(`${server.url}/oauth2/idpresponse?`), back);
    const done = await browse(back, jar);
    assert.equal(done.status, 302);
    const callback = new URL(done.headers.get("location")!);
    const tokens = await oidc.authorizationCodeGrant(await relyingParty(a), callback, {
      expectedState: "st",
    });
    const claims = tokens.claims()!;
    assert.equal(claims["cognito:username"], "Mock_dev-user");
    assert.equal(claims.email, "dev@example.com");
    assert.equal(claims.given_name, "Dev");
  });

  test("without a stand-in, a Google sign-in goes to Google itself", async () => {
    const a = await federatedApp(server, {
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: {
        client_id: "my-google-app",
        client_secret: "g-secret",
        authorize_scopes: "openid email",
      },
    });
    const start = await browse(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        identity_provider: "Google",
      })}`,
      new Jar(),
    );
    const to = new URL(start.headers.get("location")!);
    assert.equal(to.origin + to.pathname, "https://accounts.google.com/o/oauth2/v2/auth");
    assert.equal(to.searchParams.get("client_id"), "my-google-app");
    assert.equal(to.searchParams.get("redirect_uri"), `${server.url}/oauth2/idpresponse`);
  });

  test("its form answers only a page it showed", async () => {
    const res = await fetch(
      `${server.url}/_lanyard/mock-idp/authorize?client_id=x&redirect_uri=${encodeURIComponent(CALLBACK)}`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "request=forged&sub=someone",
        redirect: "manual",
      },
    );
    assert.equal(res.status, 400);
  });
});

describe("the mock provider as Google's stand-in", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      args: ["--memory", "--enable-mock-idp", "--social-stand-in", "/_lanyard/mock-idp"],
    });
  });
  after(() => server?.stop());

  test("a Google provider's button signs in through the stand-in as Google_<sub>", async () => {
    const a = await federatedApp(server, {
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: {
        client_id: "my-google-app",
        client_secret: "g-secret",
        authorize_scopes: "openid email profile",
      },
      AttributeMapping: { email: "email" },
    });
    const jar = new Jar();
    const query = new URLSearchParams({
      response_type: "code",
      client_id: a.clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
    });
    const login = await (await browse(`${server.url}/login?${query}`, jar)).text();
    const href = /href="([^"]+)"\s*>Continue with Google</.exec(login)![1]!.replace(/&amp;/g, "&");
    const start = await browse(`${server.url}${href}`, jar);
    const to = new URL(start.headers.get("location")!);
    assert.equal(to.origin + to.pathname, `${server.url}/_lanyard/mock-idp/authorize`);
    assert.equal(to.searchParams.get("client_id"), "my-google-app");
    assert.equal(to.searchParams.get("scope"), "openid email profile");
    const page = await (await browse(to.href, jar)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const signed = await browse(`${server.url}${action}`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ...hiddenFields(page),
        sub: "1234567890",
        claims: JSON.stringify({ email: "g@gmail.example" }),
      }).toString(),
    });
    const done = await browse(signed.headers.get("location")!, jar);
    assert.equal(done.status, 302, await done.clone().text());
    const tokens = await oidc.authorizationCodeGrant(
      await relyingParty(a),
      new URL(done.headers.get("location")!),
    );
    const claims = tokens.claims()!;
    assert.equal(claims["cognito:username"], "Google_1234567890");
    assert.equal(claims.email, "g@gmail.example");
    assert.equal((claims.identities as Record<string, unknown>[])[0]!.providerType, "Google");
  });
});
