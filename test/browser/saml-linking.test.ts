/**
 * AdminLinkProviderForUser and AdminDisableProviderForUser seen through real SAML sign-ins (signed
 * assertions from a samlify IdP on 127.0.0.1, posted to /saml2/idpresponse, the code exchanged at
 * /oauth2/token): a linked identity signs in as the native user; after AdminDisableProviderForUser
 * its next sign-in creates a new user; both SAML scenarios of AdminDisableProviderForUser (linked
 * but never signed in, and signed in before).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  type ProviderUserIdentifierType,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { browse, Jar, type OAuthApp, oauthApp } from "../support/oauth.ts";
import { confirmedUser } from "../support/pools.ts";
import { startTestIdp, type TestIdp } from "../support/saml-idp.ts";
import { startServer, type TestServer } from "../support/server.ts";

const EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("SAML sign-ins and identity links", () => {
  let server: TestServer;
  let site: CallbackSite;
  let app: OAuthApp;
  let idp: TestIdp;
  const unique = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

  before(async () => {
    site = await callbackSite();
    server = await startServer();
    app = await oauthApp(server, { CallbackURLs: [site.callback] });
    const spMetadata = await (await fetch(`${server.url}/saml2/metadata/${app.poolId}`)).text();
    idp = await startTestIdp({ spMetadata });
    const sdk = server.client();
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: app.poolId,
        ProviderName: "Corp",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: idp.metadata },
        AttributeMapping: { email: EMAIL },
      }),
    );
    await sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [site.callback],
        SupportedIdentityProviders: ["COGNITO", "Corp"],
      }),
    );
  });
  after(async () => {
    await idp?.close();
    await site?.close();
    await server?.stop();
  });

  /** A full SP-initiated SAML sign-in of `nameId`; answers the ID token's claims. */
  async function samlSignIn(nameId: string, attributes: Record<string, string> = {}) {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: site.callback,
      scope: "openid email",
      identity_provider: "Corp",
    });
    const jar = new Jar();
    const start = await browse(`${server.url}/oauth2/authorize?${q}`, jar);
    assert.equal(start.status, 302);
    assert.equal((await fetch(start.headers.get("location")!)).status, 200);
    const requestId = idp.requests.at(-1)!.id;
    const response = await idp.respond(nameId, { inResponseTo: requestId, attributes });
    const acs = await browse(`${server.url}/saml2/idpresponse`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ SAMLResponse: response }).toString(),
    });
    assert.equal(acs.status, 302, await acs.clone().text());
    const code = new URL(acs.headers.get("location")!).searchParams.get("code")!;
    const token = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        redirect_uri: site.callback,
        code,
      }).toString(),
    });
    assert.equal(token.status, 200);
    return claimsOf(((await token.json()) as { id_token: string }).id_token);
  }

  async function nativeUser(): Promise<{ username: string; sub: string }> {
    const username = unique("native");
    await confirmedUser(server.client(), app.poolId, username, "Passw0rd!long");
    const { UserAttributes } = await server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: username }));
    return { username, sub: UserAttributes!.find((a) => a.Name === "sub")!.Value! };
  }

  const link = (username: string, source: ProviderUserIdentifierType) =>
    server.client().send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: app.poolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: username },
        SourceUser: source,
      }),
    );
  const disable = (user: ProviderUserIdentifierType) =>
    server.client().send(new AdminDisableProviderForUserCommand({ UserPoolId: app.poolId, User: user }));
  const bySubject = (nameId: string) => ({
    ProviderName: "Corp",
    ProviderAttributeName: "Cognito_Subject",
    ProviderAttributeValue: nameId,
  });

  test("a linked identity signs in as the native user; after AdminDisableProviderForUser it creates a new user", async () => {
    const native = await nativeUser();
    const nameId = unique("linked");
    await link(native.username, bySubject(nameId));
    const first = await samlSignIn(nameId);
    assert.equal(first["cognito:username"], native.username);
    assert.equal(first.sub, native.sub);
    await disable(bySubject(nameId));
    const next = await samlSignIn(nameId);
    assert.equal(next["cognito:username"], `Corp_${nameId}`);
    assert.notEqual(next.sub, native.sub);
  });

  test("linked by a SAML attribute and never signed in: disabled with that attribute and value", async () => {
    const native = await nativeUser();
    const email = `${unique("s")}@corp.example`;
    const source = { ProviderName: "Corp", ProviderAttributeName: EMAIL, ProviderAttributeValue: email };
    await link(native.username, source);
    await disable(source);
    const nameId = unique("nameid");
    const claims = await samlSignIn(nameId, { [EMAIL]: email });
    assert.equal(claims["cognito:username"], `Corp_${nameId}`);
  });

  test("linked by a SAML attribute and signed in before: disabled with Cognito_Subject and the assertion's subject", async () => {
    const native = await nativeUser();
    const email = `${unique("s")}@corp.example`;
    const nameId = unique("nameid");
    const source = { ProviderName: "Corp", ProviderAttributeName: EMAIL, ProviderAttributeValue: email };
    await link(native.username, source);
    const first = await samlSignIn(nameId, { [EMAIL]: email });
    assert.equal(first["cognito:username"], native.username);
    // The attribute no longer names the identity...
    await assert.rejects(disable(source), { name: "UserNotFoundException" });
    // ...its subject does.
    await disable(bySubject(nameId));
    const next = await samlSignIn(nameId, { [EMAIL]: email });
    assert.equal(next["cognito:username"], `Corp_${nameId}`);
  });
});
