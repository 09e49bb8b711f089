/**
 * The InboundFederation trigger at a federated sign-in through the mock identity provider
 * (`--enable-mock-idp`): UpdateUserPool takes its LambdaConfig member and DescribeUserPool returns
 * it; the function gets the provider's answer in parts (token response, ID token, user info) and
 * its `userAttributesToMap` is what the attribute mapping maps (an attribute left out is dropped,
 * an empty answer keeps the provider's); a function that throws ends on the error page with no
 * user made. The same at a SAML sign-in (a samlify IdP on 127.0.0.1), with the assertion's
 * attributes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { InboundFederationTriggerEvent } from "aws-lambda";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import {
  browse,
  CALLBACK,
  hiddenFields,
  Jar,
  type OAuthApp,
  oauthApp,
  relyingParty,
} from "../support/oauth.ts";
import { startTestIdp, type TestIdp } from "../support/saml-idp.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../support/triggers.ts";

describe("the InboundFederation trigger", () => {
  let t: TriggerServer;
  let a: FederatedApp;
  before(async () => {
    t = await startTriggerServer({ [arn("inbound")]: { module: join(FIXTURES, "inbound-federation.ts") } }, [
      "--memory",
      "--enable-mock-idp",
    ]);
    a = await federatedApp(t.server, {
      ProviderName: "Mock",
      ProviderDetails: {
        client_id: "my-app",
        client_secret: "anything",
        authorize_scopes: "openid email",
        oidc_issuer: `${t.server.url}/_lanyard/mock-idp`,
        attributes_request_method: "GET",
      },
      AttributeMapping: {
        email: "email",
        given_name: "given_name",
        family_name: "family_name",
        nickname: "team",
      },
    });
    await t.server.client().send(
      new UpdateUserPoolCommand({
        UserPoolId: a.poolId,
        LambdaConfig: { InboundFederation: { LambdaArn: arn("inbound"), LambdaVersion: "V1_0" } },
      }),
    );
  });
  after(() => t?.stop());

  /** Signs in at the mock provider as `sub` with `claims`; the answer of /oauth2/idpresponse. */
  async function signIn(sub: string, claims: Record<string, string>): Promise<Response> {
    const jar = new Jar();
    const start = await browse(
      `${t.server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        scope: "openid email",
        state: "st",
        identity_provider: "Mock",
      })}`,
      jar,
    );
    const page = await (await browse(start.headers.get("location")!, jar)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const signed = await browse(`${t.server.url}${action}`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...hiddenFields(page), sub, claims: JSON.stringify(claims) }).toString(),
    });
    return browse(signed.headers.get("location")!, jar);
  }

  const attributesOf = async (username: string) => {
    const user = await t.server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: username }));
    return Object.fromEntries((user.UserAttributes ?? []).map((x) => [x.Name, x.Value]));
  };

  test("CreateUserPool and UpdateUserPool take it; DescribeUserPool returns it; only V1_0", async () => {
    const sdk = t.server.client();
    const described = await sdk.send(new DescribeUserPoolCommand({ UserPoolId: a.poolId }));
    assert.deepEqual(described.UserPool?.LambdaConfig?.InboundFederation, {
      LambdaArn: arn("inbound"),
      LambdaVersion: "V1_0",
    });
    const created = await sdk.send(
      new CreateUserPoolCommand({
        PoolName: "with-inbound",
        LambdaConfig: { InboundFederation: { LambdaArn: arn("inbound"), LambdaVersion: "V1_0" } },
      }),
    );
    assert.equal(created.UserPool?.LambdaConfig?.InboundFederation?.LambdaArn, arn("inbound"));
    await assert.rejects(
      sdk.send(
        new CreateUserPoolCommand({
          PoolName: "bad-version",
          LambdaConfig: {
            InboundFederation: { LambdaArn: arn("inbound"), LambdaVersion: "V2_0" as "V1_0" },
          },
        }),
      ),
      (e: Error) => {
        assert.equal(e.name, "InvalidParameterException");
        return true;
      },
    );
  });

  test("the event has the provider's answer; userAttributesToMap is what the mapping maps", async () => {
    t.clearEvents();
    const done = await signIn("fed-ann", {
      email: "Ann@Example.COM",
      given_name: "Ann",
      family_name: "Old",
    });
    assert.equal(done.status, 302, await done.clone().text());
    const [event] = t.events<InboundFederationTriggerEvent>("InboundFederation_ExternalProvider");
    assert.ok(event);
    assert.equal(event.version, "1");
    assert.equal(event.userPoolId, a.poolId);
    assert.equal(event.userName, "Mock_fed-ann");
    assert.equal(event.callerContext.clientId, a.clientId);
    assert.equal(event.request.providerName, "Mock");
    assert.equal(event.request.providerType, "OIDC");
    const { idToken, tokenResponse, userInfo } = event.request.attributes;
    assert.equal(idToken?.sub, "fed-ann");
    assert.equal(idToken?.email, "Ann@Example.COM");
    assert.equal(idToken?.iss, `${t.server.url}/_lanyard/mock-idp`);
    assert.equal(typeof tokenResponse?.access_token, "string");
    assert.equal(typeof tokenResponse?.id_token, "string");
    assert.equal(userInfo?.sub, "fed-ann");
    assert.deepEqual(event.response, { userAttributesToMap: {} });
    const tokens = await oidc.authorizationCodeGrant(
      await relyingParty(a),
      new URL(done.headers.get("location")!),
      { expectedState: "st" },
    );
    assert.equal(tokens.claims()!.email, "ann@example.com");
    const attrs = await attributesOf("Mock_fed-ann");
    assert.equal(attrs.email, "ann@example.com");
    assert.equal(attrs.given_name, "Ann");
    assert.equal(attrs.nickname, "eng", "an attribute the function added");
    assert.equal(attrs.family_name, undefined, "an attribute the function left out");
  });

  test("an empty answer keeps the provider's attributes", async () => {
    const done = await signIn("keep-bob", { email: "Bob@Example.com", family_name: "Builder" });
    assert.equal(done.status, 302);
    const attrs = await attributesOf("Mock_keep-bob");
    assert.equal(attrs.email, "Bob@Example.com");
    assert.equal(attrs.family_name, "Builder");
    assert.equal(attrs.nickname, undefined);
  });

  test("a function that throws: the error page, and no user", async () => {
    const done = await signIn("deny-eve", { email: "eve@example.com" });
    assert.equal(done.status, 400);
    const page = await done.text();
    assert.match(page, /InboundFederation failed with error Not a member of this company\./);
    await assert.rejects(
      t.server.client().send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "Mock_deny-eve" })),
      { name: "UserNotFoundException" },
    );
  });
});

describe("the InboundFederation trigger at a SAML sign-in", () => {
  let t: TriggerServer;
  let app: OAuthApp;
  let idp: TestIdp;
  before(async () => {
    t = await startTriggerServer({ [arn("inbound")]: { module: join(FIXTURES, "inbound-federation.ts") } });
    app = await oauthApp(
      t.server,
      {},
      {},
      {
        LambdaConfig: { InboundFederation: { LambdaArn: arn("inbound"), LambdaVersion: "V1_0" } },
      },
    );
    const spMetadata = await (await fetch(`${t.server.url}/saml2/metadata/${app.poolId}`)).text();
    idp = await startTestIdp({ spMetadata, attributes: { mail: "Jo@Corp.Example", dept: "sales" } });
    const sdk = t.server.client();
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: app.poolId,
        ProviderName: "Corp",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: idp.metadata },
        AttributeMapping: { email: "mail", nickname: "team", family_name: "dept" },
      }),
    );
    await sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO", "Corp"],
      }),
    );
  });
  after(async () => {
    await idp?.close();
    await t?.stop();
  });

  /** An SP-initiated SAML sign-in of `nameId`; the answer of /saml2/idpresponse. */
  async function signIn(nameId: string): Promise<Response> {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
      identity_provider: "Corp",
    });
    const res = await fetch(`${t.server.url}/oauth2/authorize?${q}`, { redirect: "manual" });
    // The cookie that binds the sign-in to this browser (login CSRF), as a browser would send it.
    const binding = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .find((c) => c.startsWith("lanyard_federation="));
    assert.ok(binding, "the authorize endpoint binds the sign-in to the browser");
    await fetch(res.headers.get("location")!);
    const id = idp.requests.at(-1)!.id;
    return fetch(`${t.server.url}/saml2/idpresponse`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: binding },
      body: new URLSearchParams({ SAMLResponse: await idp.respond(nameId, { inResponseTo: id }) }).toString(),
      redirect: "manual",
    });
  }

  test("the event has the assertion's attributes; the answer is what the mapping maps", async () => {
    t.clearEvents();
    const res = await signIn("jo");
    assert.equal(res.status, 302, await res.clone().text());
    const [event] = t.events<InboundFederationTriggerEvent>("InboundFederation_ExternalProvider");
    assert.ok(event);
    assert.equal(event.userName, "Corp_jo");
    assert.equal(event.callerContext.clientId, app.clientId);
    assert.equal(event.request.providerType, "SAML");
    assert.deepEqual(event.request.attributes, {
      samlResponse: { mail: "Jo@Corp.Example", dept: "sales" },
    });
    const user = await t.server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "Corp_jo" }));
    const attrs = Object.fromEntries((user.UserAttributes ?? []).map((x) => [x.Name, x.Value]));
    // The function answered email and team from `mail`, and left `dept` out.
    assert.equal(attrs.nickname, "eng");
    assert.equal(attrs.family_name, undefined);
    assert.equal(attrs.email, "jo@corp.example");
  });

  test("a function that throws: refused, and no user", async () => {
    const res = await signIn("deny-mallory");
    assert.equal(res.status, 400);
    assert.match(await res.text(), /InboundFederation failed with error Not a member of this company\./);
    await assert.rejects(
      t.server
        .client()
        .send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "Corp_deny-mallory" })),
      { name: "UserNotFoundException" },
    );
  });
});
