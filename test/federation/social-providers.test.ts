/**
 * Facebook, Login with Amazon and Sign in with Apple end to end, each against a local stand-in of
 * the provider's endpoints (test/support/social-idps.ts) named by `--social-stand-in`: the
 * authorize endpoint sends the browser there with the provider's parameters, the provider's answer
 * (a redirect, or Apple's form_post) comes back to /oauth2/idpresponse, and the app gets a code
 * good for Lanyard tokens of `<Provider>_<subject>` with the mapped attributes and `identities`.
 * Refusals (a wrong secret or key) are an error page with no user. Without a stand-in, the real
 * providers' endpoints are used.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type IdentityProviderTypeType,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { browse, CALLBACK, Jar, relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";
import {
  type AppleClient,
  type AppleStandIn,
  amazonStandIn,
  appleClient,
  appleStandIn,
  facebookStandIn,
  type StandIn,
} from "../support/social-idps.ts";

describe("social providers", () => {
  let server: TestServer;
  let facebook: StandIn;
  let amazon: StandIn;
  let apple: AppleStandIn;
  let appleKeys: AppleClient;
  const fbClient = { clientId: "fb-app-1", clientSecret: "fb-secret" };
  const amznClient = { clientId: "amzn1.application-oa2-client.1", clientSecret: "amzn-secret" };

  before(async () => {
    facebook = await facebookStandIn(fbClient, "v17.0");
    amazon = await amazonStandIn(amznClient);
    appleKeys = await appleClient("com.example.auth");
    apple = await appleStandIn(appleKeys);
    server = await startServer({
      args: [
        "--social-stand-in",
        `Facebook=${facebook.base},LoginWithAmazon=${amazon.base},SignInWithApple=${apple.base}`,
      ],
    });
  });
  after(async () => {
    await Promise.all([facebook?.close(), amazon?.close(), apple?.close()]);
    await server?.stop();
  });

  const authorizeUrl = (a: FederatedApp, extra: Record<string, string> = {}) =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: a.clientId,
      redirect_uri: CALLBACK,
      state: "app-state",
      scope: "openid email profile",
      identity_provider: a.providerName,
      ...extra,
    })}`;

  /** Lanyard -> the provider -> /oauth2/idpresponse (redirect or form_post), in one cookie jar. */
  async function roundTrip(a: FederatedApp) {
    const jar = new Jar();
    const start = await browse(authorizeUrl(a), jar);
    assert.equal(start.status, 302, await start.clone().text());
    const toIdp = new URL(start.headers.get("location")!);
    const atIdp = await fetch(toIdp, { redirect: "manual" });
    if (atIdp.status === 302) {
      const back = atIdp.headers.get("location")!;
      assert.ok(back.startsWith(`${server.url}/oauth2/idpresponse?`), back);
      return { toIdp, res: await browse(back, jar) };
    }
    const page = await atIdp.text();
    assert.equal(atIdp.status, 200, page);
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    assert.equal(action, `${server.url}/oauth2/idpresponse`);
    const fields: Record<string, string> = {};
    for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      fields[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    const res = await browse(action, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    return { toIdp, res, fields };
  }

  async function tokensOf(a: FederatedApp, res: Response) {
    assert.equal(res.status, 302, await res.clone().text());
    const callback = new URL(res.headers.get("location")!);
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    const tokens = await oidc.authorizationCodeGrant(await relyingParty(a), callback, {
      expectedState: "app-state",
    });
    return tokens.claims()!;
  }

  const usernames = async (a: FederatedApp) =>
    ((await server.client().send(new ListUsersCommand({ UserPoolId: a.poolId }))).Users ?? [])
      .map((u) => u.Username)
      .sort();

  async function refusedPage(res: Response, reason: RegExp) {
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /An error was encountered with the requested page/);
    assert.match(page, reason);
  }

  function facebookApp(secret = fbClient.clientSecret) {
    return federatedApp(server, {
      ProviderName: "Facebook",
      ProviderType: "Facebook",
      ProviderDetails: {
        client_id: fbClient.clientId,
        client_secret: secret,
        authorize_scopes: "public_profile, email",
        api_version: "v17.0",
      },
      AttributeMapping: { email: "email", name: "name", username: "id" },
    });
  }

  test("Facebook: the dialog under api_version, the code at the Graph API, the mapped fields of /me", async () => {
    const a = await facebookApp();
    facebook.next = { id: "10228", name: "Fay Book", email: "fay@example.com", birthday: "01/01/1990" };
    const { toIdp, res } = await roundTrip(a);
    assert.equal(toIdp.origin + toIdp.pathname, `${facebook.base}/v17.0/dialog/oauth`);
    assert.equal(toIdp.searchParams.get("client_id"), fbClient.clientId);
    assert.equal(toIdp.searchParams.get("scope"), "public_profile,email");
    assert.equal(toIdp.searchParams.get("redirect_uri"), `${server.url}/oauth2/idpresponse`);
    assert.equal(toIdp.searchParams.get("client_secret"), null);
    const claims = await tokensOf(a, res);
    assert.equal(claims["cognito:username"], "Facebook_10228");
    assert.equal(claims.email, "fay@example.com");
    assert.equal(claims.name, "Fay Book");
    const identities = claims.identities as Record<string, unknown>[];
    assert.equal(identities[0]!.providerType, "Facebook");
    assert.equal(identities[0]!.providerName, "Facebook");
    assert.equal(identities[0]!.userId, "10228");
    assert.deepEqual(await usernames(a), ["Facebook_10228", "alice"]);
    const user = await server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "Facebook_10228" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
  });

  test("Facebook: a client secret the provider refuses is an error page, and no user is made", async () => {
    const a = await facebookApp("not-the-secret");
    facebook.next = { id: "666", name: "Eve" };
    const { res } = await roundTrip(a);
    await refusedPage(res, /did not accept the authorization code/);
    assert.equal(facebook.refusals.at(-1), "wrong client secret");
    assert.deepEqual(await usernames(a), ["alice"]);
  });

  test("Login with Amazon: /ap/oa, the token endpoint, /user/profile; the subject is user_id", async () => {
    const a = await federatedApp(server, {
      ProviderName: "LoginWithAmazon",
      ProviderType: "LoginWithAmazon",
      ProviderDetails: {
        client_id: amznClient.clientId,
        client_secret: amznClient.clientSecret,
        authorize_scopes: "profile postal_code",
      },
      AttributeMapping: { email: "email", name: "name", address: "postal_code" },
    });
    amazon.next = {
      user_id: "amzn1.account.AF2W",
      name: "Ama Zon",
      email: "ama@example.com",
      postal_code: "98109",
    };
    const { toIdp, res } = await roundTrip(a);
    assert.equal(toIdp.origin + toIdp.pathname, `${amazon.base}/ap/oa`);
    assert.equal(toIdp.searchParams.get("scope"), "profile postal_code");
    assert.equal(toIdp.searchParams.get("response_type"), "code");
    const claims = await tokensOf(a, res);
    assert.equal(claims["cognito:username"], "LoginWithAmazon_amzn1.account.AF2W");
    assert.equal(claims.email, "ama@example.com");
    assert.equal(claims.name, "Ama Zon");
    const identities = claims.identities as Record<string, unknown>[];
    assert.equal(identities[0]!.providerType, "LoginWithAmazon");
    assert.equal(identities[0]!.userId, "amzn1.account.AF2W");
    assert.deepEqual(amazon.refusals, []);
  });

  function appleApp(privateKey = appleKeys.privateKeyPem) {
    return federatedApp(server, {
      ProviderName: "SignInWithApple",
      ProviderType: "SignInWithApple",
      ProviderDetails: {
        client_id: appleKeys.clientId,
        team_id: appleKeys.teamId,
        key_id: appleKeys.keyId,
        private_key: privateKey,
        authorize_scopes: "name email",
      },
      AttributeMapping: { email: "email", name: "name", given_name: "firstName", family_name: "lastName" },
    });
  }

  test("Sign in with Apple: form_post with the name, an ES256 client secret, the ID token verified", async () => {
    const a = await appleApp();
    apple.next = {
      sub: "001234.abcd",
      email: "x7@privaterelay.appleid.com",
      email_verified: "true",
      is_private_email: "true",
      name: { firstName: "Ap", lastName: "Pell" },
    };
    const { toIdp, res, fields } = await roundTrip(a);
    assert.equal(toIdp.origin + toIdp.pathname, `${apple.base}/auth/authorize`);
    assert.equal(toIdp.searchParams.get("response_mode"), "form_post");
    assert.equal(toIdp.searchParams.get("scope"), "name email");
    assert.match(toIdp.searchParams.get("nonce")!, /^[A-Za-z0-9_-]{32}$/);
    assert.ok(fields?.user, "Apple posts the user's name at the first sign-in");
    const claims = await tokensOf(a, res);
    assert.equal(claims["cognito:username"], "SignInWithApple_001234.abcd");
    assert.equal(claims.email, "x7@privaterelay.appleid.com");
    assert.equal(claims.name, "Ap Pell");
    assert.equal(claims.given_name, "Ap");
    assert.equal(claims.family_name, "Pell");
    const identities = claims.identities as Record<string, unknown>[];
    assert.equal(identities[0]!.providerType, "SignInWithApple");
    assert.equal(identities[0]!.userId, "001234.abcd");
    const secret = apple.secrets.at(-1)!;
    assert.equal(secret.header.alg, "ES256");
    assert.equal(secret.header.kid, appleKeys.keyId);
    assert.equal(secret.claims.iss, appleKeys.teamId);
    assert.equal(secret.claims.sub, appleKeys.clientId);
    assert.equal(secret.claims.aud, "https://appleid.apple.com");

    // The next sign-in carries no name (Apple sends it once): the user keeps the mapped one.
    const again = await roundTrip(a);
    assert.equal(again.fields?.user, undefined);
    const later = await tokensOf(a, again.res);
    assert.equal(later["cognito:username"], "SignInWithApple_001234.abcd");
    assert.equal(later.email, "x7@privaterelay.appleid.com");
  });

  test("Sign in with Apple: a client secret signed with another key is refused, and no user is made", async () => {
    const other = await appleClient(appleKeys.clientId);
    const a = await appleApp(other.privateKeyPem);
    apple.next = { sub: "000999.eve", email: "eve@example.com" };
    const { res } = await roundTrip(a);
    await refusedPage(res, /did not accept the authorization code/);
    assert.match(apple.refusals.at(-1)!, /client secret refused/);
    assert.deepEqual(await usernames(a), ["alice"]);
  });

  test("the login page shows a button per social provider", async () => {
    const a = await facebookApp();
    const page = await (
      await browse(authorizeUrl(a, {}).replace("/oauth2/authorize", "/login"), new Jar())
    ).text();
    assert.match(page, />Continue with Facebook<\/a/);
  });

  test("without a stand-in, each provider's real endpoints are used", async () => {
    const real = await startServer();
    try {
      const cases: [IdentityProviderTypeType, Record<string, string>, string][] = [
        [
          "Facebook",
          { client_id: "f", client_secret: "s", authorize_scopes: "email", api_version: "v19.0" },
          "https://www.facebook.com/v19.0/dialog/oauth",
        ],
        [
          "LoginWithAmazon",
          { client_id: "a", client_secret: "s", authorize_scopes: "profile" },
          "https://www.amazon.com/ap/oa",
        ],
        [
          "SignInWithApple",
          {
            client_id: "c",
            team_id: "T",
            key_id: "K",
            private_key: appleKeys.privateKeyPem,
            authorize_scopes: "email",
          },
          "https://appleid.apple.com/auth/authorize",
        ],
      ];
      for (const [type, details, endpoint] of cases) {
        const a = await federatedApp(real, {
          ProviderName: type,
          ProviderType: type,
          ProviderDetails: details,
        });
        const start = await browse(
          `${real.url}/oauth2/authorize?${new URLSearchParams({
            response_type: "code",
            client_id: a.clientId,
            redirect_uri: CALLBACK,
            identity_provider: type,
          })}`,
          new Jar(),
        );
        assert.equal(start.status, 302);
        const to = new URL(start.headers.get("location")!);
        assert.equal(to.origin + to.pathname, endpoint);
        assert.equal(to.searchParams.get("redirect_uri"), `${real.url}/oauth2/idpresponse`);
      }
    } finally {
      await real.stop();
    }
  });
});
