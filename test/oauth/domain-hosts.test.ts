/**
 * A pool's domain as the request's Host: `<prefix>.auth.<region>.localhost` and a custom domain
 * serve that pool's app clients only (another pool's client is refused as an unknown one), the
 * discovery document fetched there names endpoints on that host, the server's own origin keeps
 * serving every pool, and the Host guard lets pool domains and `*.localhost` through while still
 * refusing other names.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateUserPoolDomainCommand,
  DeleteUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { browseAt, fetchAt } from "../support/hosts.ts";
import {
  CALLBACK,
  csrfOf,
  formAction,
  hiddenFields,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

const CUSTOM = "login.lanyard-test.example";

function authorizeQuery(clientId: string): string {
  return new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: "openid email",
    state: "st-1",
  }).toString();
}

/** Signs alice in through the login pages on `origin`; the code the callback got. */
async function codeAt(origin: string, app: OAuthApp): Promise<string> {
  const jar = new Jar();
  const first = await browseAt(`${origin}/oauth2/authorize?${authorizeQuery(app.clientId)}`, jar);
  assert.equal(first.status, 302, await first.text());
  const loginUrl = new URL(first.headers.get("location")!, origin);
  assert.equal(loginUrl.origin, origin);
  const login = await browseAt(loginUrl, jar);
  assert.equal(login.status, 200);
  const page = await login.text();
  const answer = await browseAt(`${origin}${formAction(page)}`, jar, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...hiddenFields(page),
      _csrf: csrfOf(page),
      username: "alice",
      password: PASSWORD,
    }).toString(),
  });
  assert.equal(answer.status, 302, await answer.text());
  const callback = new URL(answer.headers.get("location")!);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  return callback.searchParams.get("code")!;
}

function tokenAt(origin: string, form: Record<string, string>) {
  return fetchAt(`${origin}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

describe("pool domains as the Host", () => {
  let server: TestServer;
  let a: OAuthApp;
  let b: OAuthApp;
  let hostA: string;
  let hostB: string;
  let custom: string;
  before(async () => {
    server = await startServer();
    const sdk = server.client();
    a = await oauthApp(server);
    b = await oauthApp(server);
    await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: a.poolId, Domain: "pool-a" }));
    await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: b.poolId, Domain: "pool-b" }));
    await sdk.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: a.poolId,
        Domain: CUSTOM,
        CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
      }),
    );
    hostA = `http://pool-a.auth.us-east-1.localhost:${server.port}`;
    hostB = `http://pool-b.auth.us-east-1.localhost:${server.port}`;
    custom = `http://${CUSTOM}:${server.port}`;
  });
  after(() => server.stop());

  test("the domain's own client signs in through its pages and gets tokens there", async () => {
    for (const origin of [hostA, custom]) {
      const code = await codeAt(origin, a);
      const res = await tokenAt(origin, {
        grant_type: "authorization_code",
        client_id: a.clientId,
        code,
        redirect_uri: CALLBACK,
      });
      assert.equal(res.status, 200, await res.clone().text());
      const tokens = (await res.json()) as { access_token: string };
      const info = await fetchAt(`${origin}/oauth2/userInfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(info.status, 200);
      assert.equal(((await info.json()) as { username: string }).username, "alice");
      // Another pool's domain does not take this pool's token.
      const elsewhere = await fetchAt(`${hostB}/oauth2/userInfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(elsewhere.status, 401);
      assert.equal(((await elsewhere.json()) as { error: string }).error, "invalid_token");
    }
  });

  test("another pool's client is answered as an unknown client there", async () => {
    const unknown = await fetchAt(`${hostA}/oauth2/authorize?${authorizeQuery("a".repeat(26))}`);
    const foreign = await fetchAt(`${hostA}/oauth2/authorize?${authorizeQuery(b.clientId)}`);
    assert.equal(unknown.status, 400);
    assert.equal(foreign.status, 400);
    const page = await foreign.text();
    assert.equal(page, await unknown.text());
    assert.match(page, /invalid_request/);
    for (const path of ["/login", "/signup", "/forgotPassword"]) {
      const res = await fetchAt(`${custom}${path}?${authorizeQuery(b.clientId)}`);
      assert.equal(res.status, 400, path);
    }
    const logout = await fetchAt(
      `${hostA}/logout?${new URLSearchParams({ client_id: b.clientId, logout_uri: "http://localhost:8976/signed-out" })}`,
    );
    assert.equal(logout.status, 400);

    const unknownToken = await tokenAt(hostA, {
      grant_type: "client_credentials",
      client_id: "b".repeat(26),
    });
    const foreignToken = await tokenAt(hostA, {
      grant_type: "authorization_code",
      client_id: b.clientId,
      code: "x",
      redirect_uri: CALLBACK,
    });
    assert.equal(foreignToken.status, unknownToken.status);
    assert.deepEqual(await foreignToken.json(), await unknownToken.json());
    const revoke = await fetchAt(`${hostA}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: "t", client_id: b.clientId }).toString(),
    });
    assert.equal(((await revoke.json()) as { error: string }).error, "invalid_client");
  });

  test("the server's own origin keeps serving every pool's clients", async () => {
    for (const app of [a, b]) {
      const res = await fetch(`${server.url}/oauth2/authorize?${authorizeQuery(app.clientId)}`, {
        redirect: "manual",
      });
      assert.equal(res.status, 302);
    }
    const code = await codeAt(server.url, b);
    const res = await tokenAt(server.url, {
      grant_type: "authorization_code",
      client_id: b.clientId,
      code,
      redirect_uri: CALLBACK,
    });
    assert.equal(res.status, 200);
  });

  test("discovery through a domain names endpoints on that host", async () => {
    for (const origin of [hostA, custom]) {
      const res = await fetchAt(`${origin}/${a.poolId}/.well-known/openid-configuration`);
      assert.equal(res.status, 200);
      const doc = (await res.json()) as Record<string, string>;
      assert.equal(doc.issuer, a.issuer);
      assert.equal(doc.authorization_endpoint, `${origin}/oauth2/authorize`);
      assert.equal(doc.token_endpoint, `${origin}/oauth2/token`);
      assert.equal(doc.userinfo_endpoint, `${origin}/oauth2/userInfo`);
      assert.equal(doc.revocation_endpoint, `${origin}/oauth2/revoke`);
      assert.equal(doc.end_session_endpoint, `${origin}/logout`);
      assert.equal(doc.jwks_uri, `${origin}/${a.poolId}/.well-known/jwks.json`);
    }
    // Another pool's document is not found on this pool's domain.
    const other = await fetchAt(`${hostA}/${b.poolId}/.well-known/openid-configuration`);
    assert.equal(other.status, 404);
    // On the server's own origin, as before.
    const own = (await (
      await fetch(`${server.url}/${b.poolId}/.well-known/openid-configuration`)
    ).json()) as {
      token_endpoint: string;
    };
    assert.equal(own.token_endpoint, `${server.url}/oauth2/token`);
  });

  test("the Host guard takes *.localhost and pool domains, and still refuses other names", async () => {
    const port = server.port;
    for (const host of [`anything.localhost:${port}`, `pool-a.auth.us-east-1.localhost:${port}`, CUSTOM]) {
      const res = await fetchAt(`http://${host.includes(":") ? host : `${host}:${port}`}/health`);
      assert.equal(res.status, 200, host);
    }
    const refused = await fetchAt(`http://rebinding.attacker.example:${port}/health`);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { __type: string }).__type, "UnrecognizedClientException");
    // A custom domain is accepted for as long as it is a pool's domain.
    const other = "gone.lanyard-test.example";
    const sdk = server.client();
    await sdk.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: b.poolId,
        Domain: other,
        CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/def" },
      }),
    );
    assert.equal((await fetchAt(`http://${other}:${port}/health`)).status, 200);
    await sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: b.poolId, Domain: other }));
    assert.equal((await fetchAt(`http://${other}:${port}/health`)).status, 403);
  });
});
