/**
 * SAML through a pool's domain and across instances: on a prefix or custom domain the SP metadata,
 * the AuthnRequest's AssertionConsumerServiceURL and the Destination the response must carry are
 * that domain's `/saml2/idpresponse` (not the public URL's); and a sign-in started at one instance
 * finishes at another of the same database (PostgreSQL; on SQLite both are the one server), since
 * the pending AuthnRequest lives in storage.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { browseAt } from "../support/hosts.ts";
import { browse, CALLBACK, Jar, oauthApp } from "../support/oauth.ts";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { startTestIdp, type TestIdp } from "../support/saml-idp.ts";
import { startServer, type TestServer } from "../support/server.ts";

const CUSTOM = "sso.lanyard-saml.example";

describe("SAML on pool domains and across instances", () => {
  let db: TestDatabase | undefined;
  let servers: TestServer[] = [];
  const idps: TestIdp[] = [];

  before(async () => {
    if (testPostgresUrl()) {
      db = await createTestDatabase();
      const args = ["--storage", db.url];
      servers = await Promise.all([startServer({ args }), startServer({ args })]);
    } else {
      servers = [await startServer()];
    }
  });
  after(async () => {
    await Promise.all(idps.map((i) => i.close()));
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  /** A pool with a SAML provider whose IdP was given the SP metadata of `metadataUrl`. */
  async function samlApp(server: TestServer, metadataOrigin: (poolId: string) => Promise<string>) {
    const base = await oauthApp(server);
    const spOrigin = await metadataOrigin(base.poolId);
    const metadataRes = await browseAt(`${spOrigin}/saml2/metadata/${base.poolId}`, new Jar());
    assert.equal(metadataRes.status, 200);
    const spMetadata = await metadataRes.text();
    const idp = await startTestIdp({ spMetadata, attributes: { email: "saml@corp.example" } });
    idps.push(idp);
    const sdk = server.client();
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: base.poolId,
        ProviderName: "Corp",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: idp.metadata },
        AttributeMapping: { email: "email" },
      }),
    );
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: base.poolId,
        ClientName: "saml",
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["Corp"],
      }),
    );
    return { poolId: base.poolId, clientId: UserPoolClient!.ClientId!, idp, spMetadata, spOrigin };
  }

  const authorizeQuery = (clientId: string) =>
    new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
      identity_provider: "Corp",
    }).toString();

  test("on a custom domain and a prefix domain, the SP's endpoints are the domain's", async () => {
    const server = servers[0]!;
    const sdk = server.client();
    for (const kind of ["custom", "prefix"] as const) {
      const app = await samlApp(server, async (poolId) => {
        if (kind === "custom") {
          await sdk.send(
            new CreateUserPoolDomainCommand({
              UserPoolId: poolId,
              Domain: CUSTOM,
              CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
            }),
          );
          return `http://${CUSTOM}:${server.port}`;
        }
        await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "saml-prefix" }));
        return `http://saml-prefix.auth.us-east-1.localhost:${server.port}`;
      });
      const acs = `${app.spOrigin}/saml2/idpresponse`;
      assert.match(app.spMetadata, new RegExp(`Location="${acs.replace(/\./g, "\\.")}"`));
      assert.match(
        app.spMetadata,
        new RegExp(`Location="${app.spOrigin.replace(/\./g, "\\.")}/saml2/logout"`),
      );

      const jar = new Jar();
      const start = await browseAt(`${app.spOrigin}/oauth2/authorize?${authorizeQuery(app.clientId)}`, jar);
      assert.equal(start.status, 302, await start.clone().text());
      assert.equal((await fetch(start.headers.get("location")!)).status, 200);
      const request = app.idp.requests.at(-1)!;
      assert.match(request.xml, new RegExp(`AssertionConsumerServiceURL="${acs.replace(/\./g, "\\.")}"`));
      const response = await app.idp.respond(`user-${kind}`, { inResponseTo: request.id });
      // Posted to the public URL, its Destination (the domain's ACS) is not that endpoint.
      const elsewhere = await browse(`${server.url}/saml2/idpresponse`, jar, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ SAMLResponse: response }).toString(),
      });
      assert.equal(elsewhere.status, 400);
      assert.match(await elsewhere.text(), /Destination/);
      const res = await browseAt(acs, jar, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ SAMLResponse: response }).toString(),
      });
      assert.equal(res.status, 302, await res.clone().text());
      const callback = new URL(res.headers.get("location")!);
      assert.equal(callback.origin + callback.pathname, CALLBACK);
      assert.ok(callback.searchParams.get("code"));
    }
  });

  test("a sign-in started at one instance finishes at another", async () => {
    const [first, second] = [servers[0]!, servers.at(-1)!];
    // Both instances as one public address (here: each one's own URL stands for it, so the IdP
    // is given the second's metadata, where its response goes).
    const app = await samlApp(first, async () => second.url);
    const jar = new Jar();
    const start = await browse(`${first.url}/oauth2/authorize?${authorizeQuery(app.clientId)}`, jar);
    assert.equal(start.status, 302);
    assert.equal((await fetch(start.headers.get("location")!)).status, 200);
    const response = await app.idp.respond("roamer", { inResponseTo: app.idp.requests.at(-1)!.id });
    const res = await browse(`${second.url}/saml2/idpresponse`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ SAMLResponse: response }).toString(),
    });
    assert.equal(res.status, 302, await res.clone().text());
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const token = await fetch(`${first.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        code,
        redirect_uri: CALLBACK,
      }).toString(),
    });
    assert.equal(token.status, 200, await token.clone().text());
  });
});
