/**
 * OIDC federation over plain HTTP (a browser with JavaScript off), against a hand-made provider
 * whose ID tokens the test chooses: the authorize endpoint's dispatch (identity_provider,
 * idp_identifier, a provider the client does not support), the login page's buttons and e-mail
 * routing, and /oauth2/idpresponse's refusals (wrong issuer, audience, nonce, an expired token, a
 * state that matches no sign-in, a state used twice), each on the error page with no user made.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateIdentityProviderCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { type FakeIdp, fakeIdp } from "../support/oidc-idp.ts";
import { browse, CALLBACK, Jar, relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("OIDC federation over HTTP", () => {
  let server: TestServer;
  let idp: FakeIdp;
  before(async () => {
    server = await startServer();
    idp = await fakeIdp("lanyard-at-fake");
  });
  after(async () => {
    await idp?.close();
    await server?.stop();
  });

  const details = () => ({
    client_id: "lanyard-at-fake",
    client_secret: "s3cret",
    authorize_scopes: "openid email",
    oidc_issuer: idp.issuer,
    attributes_request_method: "GET",
  });

  async function app(options: { cognito?: boolean } = {}): Promise<FederatedApp> {
    return federatedApp(server, { ProviderDetails: details(), IdpIdentifiers: ["corp.example"] }, options);
  }

  const authorizeUrl = (a: FederatedApp, extra: Record<string, string>) =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: a.clientId,
      redirect_uri: CALLBACK,
      state: "app-state",
      scope: "openid email",
      ...extra,
    })}`;

  /** Lanyard -> the IdP -> /oauth2/idpresponse: the last answer. */
  async function roundTrip(a: FederatedApp, extra: Record<string, string> = { identity_provider: "Corp" }) {
    const jar = new Jar();
    const start = await browse(authorizeUrl(a, extra), jar);
    assert.equal(start.status, 302);
    const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
    assert.equal(atIdp.status, 302);
    const back = atIdp.headers.get("location")!;
    assert.ok(back.startsWith(`${server.url}/oauth2/idpresponse?`), back);
    return { res: await browse(back, jar), back, jar };
  }

  const usernames = async (a: FederatedApp) =>
    ((await server.client().send(new ListUsersCommand({ UserPoolId: a.poolId }))).Users ?? []).map(
      (u) => u.Username,
    );

  test("identity_provider sends the browser to the provider with its client id, scopes, state and nonce", async () => {
    const a = await app();
    const res = await browse(authorizeUrl(a, { identity_provider: "Corp" }), new Jar());
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get("location")!);
    assert.equal(to.origin + to.pathname, `${idp.issuer}/authorize`);
    assert.equal(to.searchParams.get("response_type"), "code");
    assert.equal(to.searchParams.get("client_id"), "lanyard-at-fake");
    assert.equal(to.searchParams.get("redirect_uri"), `${server.url}/oauth2/idpresponse`);
    assert.equal(to.searchParams.get("scope"), "openid email");
    assert.match(to.searchParams.get("state")!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(to.searchParams.get("nonce")!, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(to.searchParams.get("client_secret"), null);
  });

  test("the app's prompt and login_hint go on to the provider; without them, none is sent", async () => {
    const a = await app();
    const res = await browse(
      authorizeUrl(a, { identity_provider: "Corp", prompt: "login", login_hint: "dana@corp.example" }),
      new Jar(),
    );
    const to = new URL(res.headers.get("location")!);
    assert.equal(to.searchParams.get("prompt"), "login");
    assert.equal(to.searchParams.get("login_hint"), "dana@corp.example");
    const plain = new URL(
      (await browse(authorizeUrl(a, { identity_provider: "Corp" }), new Jar())).headers.get("location")!,
    );
    assert.equal(plain.searchParams.get("prompt"), null);
    assert.equal(plain.searchParams.get("login_hint"), null);
  });

  test("a full sign-in ends at the app's callback with a code good for the federated user's tokens", async () => {
    const a = await app();
    idp.next = { sub: "carol", email: "carol@corp.example" };
    const { res } = await roundTrip(a);
    assert.equal(res.status, 302);
    const callback = new URL(res.headers.get("location")!);
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    assert.equal(callback.searchParams.get("state"), "app-state");
    const config = await relyingParty(a);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedState: "app-state" });
    assert.equal(tokens.claims()!["cognito:username"], "Corp_carol");
    assert.equal(tokens.claims()!.email, "carol@corp.example");
    assert.deepEqual((await usernames(a)).sort(), ["Corp_carol", "alice"]);
  });

  test("idp_identifier names the provider by one of its identifiers", async () => {
    const a = await app();
    const res = await browse(authorizeUrl(a, { idp_identifier: "corp.example" }), new Jar());
    assert.equal(res.status, 302);
    assert.ok(res.headers.get("location")!.startsWith(`${idp.issuer}/authorize?`));
    const unknown = await browse(authorizeUrl(a, { idp_identifier: "other.example" }), new Jar());
    const to = new URL(unknown.headers.get("location")!);
    assert.equal(to.origin + to.pathname, CALLBACK);
    assert.equal(to.searchParams.get("error"), "invalid_request");
    assert.equal(
      to.searchParams.get("error_description"),
      "Login option is not available. Please try another one",
    );
  });

  test("a provider the client does not support gets Cognito's error, back at the app", async () => {
    const a = await app();
    await server.client().send(
      new CreateIdentityProviderCommand({
        UserPoolId: a.poolId,
        ProviderName: "Other",
        ProviderType: "OIDC",
        ProviderDetails: details(),
      }),
    );
    for (const name of ["Other", "Nowhere"]) {
      const res = await browse(authorizeUrl(a, { identity_provider: name }), new Jar());
      assert.equal(res.status, 302);
      const to = new URL(res.headers.get("location")!);
      assert.equal(to.origin + to.pathname, CALLBACK);
      assert.equal(to.searchParams.get("error"), "invalid_request");
      assert.equal(
        to.searchParams.get("error_description"),
        "Login option is not available. Please try another one",
      );
      assert.equal(to.searchParams.get("state"), "app-state");
    }
  });

  test("the login page has a button per provider and routes a corporate e-mail to its provider", async () => {
    const a = await app();
    const jar = new Jar();
    const page = await (await browse(authorizeUrl(a, {}).replace("/oauth2/authorize", "/login"), jar)).text();
    const button = /<a\s+class="button provider"\s+href="([^"]+)"\s*>Continue with Corp<\/a/.exec(page);
    assert.ok(button, page);
    const href = new URL(button[1]!.replace(/&amp;/g, "&"), server.url);
    assert.equal(href.pathname, "/oauth2/authorize");
    assert.equal(href.searchParams.get("identity_provider"), "Corp");
    assert.equal(href.searchParams.get("client_id"), a.clientId);
    assert.match(page, /name="password"/);
    const routed = await browse(
      `${server.url}/login/corporate?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        state: "app-state",
        corporate_email: "Dana@Corp.Example",
      })}`,
      jar,
    );
    assert.equal(routed.status, 302);
    const next = new URL(routed.headers.get("location")!, server.url);
    assert.equal(next.pathname, "/oauth2/authorize");
    assert.equal(next.searchParams.get("idp_identifier"), "corp.example");
    assert.equal(next.searchParams.get("state"), "app-state");
    const toIdp = await browse(new URL(next, server.url).href, jar);
    assert.ok(toIdp.headers.get("location")!.startsWith(`${idp.issuer}/authorize?`));
  });

  test("a client without COGNITO shows only its providers, and the password form is refused", async () => {
    const a = await app({ cognito: false });
    const jar = new Jar();
    const res = await browse(authorizeUrl(a, {}).replace("/oauth2/authorize", "/login"), jar);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /Continue with Corp/);
    assert.doesNotMatch(page, /name="password"/);
  });

  const refusals: [string, () => Record<string, unknown>, RegExp][] = [
    ["another issuer", () => ({ sub: "eve", iss: "https://evil.example" }), /ID token is not valid/],
    ["another audience", () => ({ sub: "eve", aud: "someone-else" }), /ID token is not valid/],
    ["another nonce", () => ({ sub: "eve", nonce: "not-the-one" }), /nonce/],
    [
      "an expired token",
      () => ({ sub: "eve", exp: Math.floor(Date.now() / 1000) - 3600 }),
      /ID token is not valid/,
    ],
  ];
  for (const [what, next, message] of refusals)
    test(`an ID token with ${what} is an error page, and no user is made`, async () => {
      const a = await app();
      idp.next = next();
      const { res } = await roundTrip(a);
      assert.equal(res.status, 400);
      const page = await res.text();
      assert.match(page, /An error was encountered with the requested page/);
      assert.match(page, message);
      assert.deepEqual(await usernames(a), ["alice"]);
    });

  test("a state that matches no sign-in, or one used before, is an error page", async () => {
    const a = await app();
    const forged = await browse(`${server.url}/oauth2/idpresponse?code=x&state=forged`, new Jar());
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /state is not valid/);
    idp.next = { sub: "frank" };
    const { res, back, jar } = await roundTrip(a);
    assert.equal(res.status, 302);
    const again = await browse(back, jar);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /state is not valid/);
    assert.deepEqual((await usernames(a)).sort(), ["Corp_frank", "alice"]);
  });

  test("login CSRF: the callback in a browser without the starting browser's cookie is refused, and leaves the sign-in to it", async () => {
    const a = await app();
    idp.next = { sub: "mallory" };
    const jar = new Jar();
    const start = await browse(authorizeUrl(a, { identity_provider: "Corp" }), jar);
    const binding = jar.lastSetCookie.find((c) => c.startsWith("lanyard_federation="));
    assert.ok(binding, jar.lastSetCookie.join("\n"));
    assert.match(binding, /; HttpOnly/);
    assert.match(binding, /; SameSite=Lax/);
    const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const back = atIdp.headers.get("location")!;
    const other = new Jar();
    other.cookies.set("lanyard_federation", "A".repeat(43));
    for (const victim of [new Jar(), other]) {
      const res = await browse(back, victim);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /started in another browser/);
    }
    assert.deepEqual(await usernames(a), ["alice"]);
    const res = await browse(back, jar);
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.get("location")!).origin + "/callback", CALLBACK);
    assert.deepEqual((await usernames(a)).sort(), ["Corp_mallory", "alice"]);
  });

  test("the provider's error answer is an error page", async () => {
    const a = await app();
    const jar = new Jar();
    const start = await browse(authorizeUrl(a, { identity_provider: "Corp" }), jar);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const res = await browse(
      `${server.url}/oauth2/idpresponse?${new URLSearchParams({ error: "access_denied", state })}`,
      jar,
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /access_denied/);
    assert.deepEqual(await usernames(a), ["alice"]);
  });
});
