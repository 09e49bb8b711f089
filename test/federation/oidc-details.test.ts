/**
 * What ProviderDetails and the provider's discovery document change in an OIDC sign-in: the
 * client authentication at the token endpoint (client_secret_post, or client_secret_basic when
 * the provider takes only that), the user-info request (GET or POST as attributes_request_method
 * says) whose claims are mapped; and the linking rules seen through real sign-ins:
 * AdminDisableProviderForUser, and `/_lanyard/federated-sign-in` giving the same user as a real
 * sign-in.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { federatedSignIn, jwtClaims } from "../support/federation.ts";
import { type FakeIdp, fakeIdp } from "../support/oidc-idp.ts";
import { browse, CALLBACK, Jar, relyingParty } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("OIDC provider details", () => {
  let server: TestServer;
  const idps: FakeIdp[] = [];
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-federation"] });
  });
  after(async () => {
    for (const idp of idps) await idp.close();
    await server?.stop();
  });

  async function setup(
    options: Parameters<typeof fakeIdp>[1],
    method: "GET" | "POST" = "GET",
  ): Promise<{ idp: FakeIdp; a: FederatedApp }> {
    const idp = await fakeIdp("lanyard-at-fake", options);
    idps.push(idp);
    const a = await federatedApp(server, {
      ProviderDetails: {
        client_id: "lanyard-at-fake",
        client_secret: "s3cret/+:",
        authorize_scopes: "openid,email",
        oidc_issuer: idp.issuer,
        attributes_request_method: method,
      },
      AttributeMapping: { email: "email", nickname: "nick" },
    });
    return { idp, a };
  }

  async function signIn(idp: FakeIdp, a: FederatedApp) {
    const jar = new Jar();
    const start = await browse(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        scope: "openid email",
        identity_provider: "Corp",
      })}`,
      jar,
    );
    assert.equal(new URL(start.headers.get("location")!).searchParams.get("scope"), "openid email");
    const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const res = await browse(atIdp.headers.get("location")!, jar);
    assert.equal(res.status, 302, await res.clone().text());
    const tokens = await oidc.authorizationCodeGrant(
      await relyingParty(a),
      new URL(res.headers.get("location")!),
    );
    return tokens.claims()!;
  }

  test("the secret goes in the form (client_secret_post) by default", async () => {
    const { idp, a } = await setup({});
    idp.next = { sub: "jo" };
    await signIn(idp, a);
    const [request] = idp.tokenRequests;
    assert.equal(request!.authorization, undefined);
    assert.equal(request!.form.get("client_id"), "lanyard-at-fake");
    assert.equal(request!.form.get("client_secret"), "s3cret/+:");
    assert.equal(request!.form.get("redirect_uri"), `${server.url}/oauth2/idpresponse`);
    assert.equal(request!.form.get("grant_type"), "authorization_code");
  });

  test("client_secret_basic when the provider takes only that", async () => {
    const { idp, a } = await setup({ authMethods: ["client_secret_basic"] });
    idp.next = { sub: "kim" };
    await signIn(idp, a);
    const [request] = idp.tokenRequests;
    const expected = `Basic ${Buffer.from(`lanyard-at-fake:${encodeURIComponent("s3cret/+:")}`).toString("base64")}`;
    assert.equal(request!.authorization, expected);
    assert.equal(request!.form.get("client_secret"), null);
  });

  for (const method of ["GET", "POST"] as const)
    test(`user info is read by ${method} and its claims are mapped`, async () => {
      const { idp, a } = await setup(
        { userinfo: { nick: "lee-the-nick", email: "lee@corp.example" } },
        method,
      );
      idp.next = { sub: "lee" };
      const claims = await signIn(idp, a);
      assert.deepEqual(idp.userinfoRequests, [method]);
      assert.equal(claims.email, "lee@corp.example");
      const user = await server
        .client()
        .send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "Corp_lee" }));
      assert.equal(user.UserAttributes!.find((x) => x.Name === "nickname")!.Value, "lee-the-nick");
    });

  test("after AdminDisableProviderForUser, the next sign-in of a linked identity makes a new user", async () => {
    const { idp, a } = await setup({});
    const sdk = server.client();
    const source = {
      ProviderName: "Corp",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: "max",
    };
    await sdk.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: a.poolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "alice" },
        SourceUser: source,
      }),
    );
    idp.next = { sub: "max" };
    assert.equal((await signIn(idp, a))["cognito:username"], "alice");
    await sdk.send(new AdminDisableProviderForUserCommand({ UserPoolId: a.poolId, User: source }));
    assert.equal((await signIn(idp, a))["cognito:username"], "Corp_max");
  });

  test("/_lanyard/federated-sign-in gives the same user as a real sign-in", async () => {
    const { idp, a } = await setup({});
    idp.next = { sub: "ned", email: "ned@corp.example" };
    const real = await signIn(idp, a);
    const direct = await federatedSignIn(server, a.clientId, "Corp", {
      sub: "ned",
      email: "ned@corp.example",
    });
    assert.equal(direct.status, 200);
    const claims = jwtClaims(direct.AuthenticationResult!.IdToken!);
    assert.equal(claims.sub, real.sub);
    assert.equal(claims["cognito:username"], real["cognito:username"]);
    assert.equal(claims.email, real.email);
    assert.deepEqual(claims.identities, real.identities);
  });
});
