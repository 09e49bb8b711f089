/**
 * The users of OIDC sign-ins (through /oauth2/idpresponse, with a hand-made provider): the
 * attribute mapping applied at every sign-in, the `identities` claim, and PreSignUp_ExternalProvider
 * before a federated user is made (its event, and a refusal that makes no user).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  ListUsersCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import * as oidc from "openid-client";
import { type FederatedApp, federatedApp } from "../support/federated-app.ts";
import { type FakeIdp, fakeIdp } from "../support/oidc-idp.ts";
import { browse, CALLBACK, Jar, relyingParty } from "../support/oauth.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../support/triggers.ts";

describe("OIDC federated users", () => {
  let t: TriggerServer;
  let idp: FakeIdp;
  before(async () => {
    t = await startTriggerServer({
      [arn("record")]: { module: join(FIXTURES, "record.ts") },
      [arn("throws")]: { module: join(FIXTURES, "throws.ts") },
    });
    idp = await fakeIdp("lanyard-at-fake");
  });
  after(async () => {
    await idp?.close();
    await t?.stop();
  });

  async function app(preSignUp?: string): Promise<FederatedApp> {
    const a = await federatedApp(t.server, {
      ProviderDetails: {
        client_id: "lanyard-at-fake",
        client_secret: "s3cret",
        authorize_scopes: "openid email",
        oidc_issuer: idp.issuer,
        attributes_request_method: "GET",
      },
      AttributeMapping: { email: "email", name: "name" },
    });
    if (preSignUp) {
      await t.server
        .client()
        .send(
          new UpdateUserPoolCommand({ UserPoolId: a.poolId, LambdaConfig: { PreSignUp: arn(preSignUp) } }),
        );
    }
    return a;
  }

  async function signIn(a: FederatedApp): Promise<Response> {
    const jar = new Jar();
    const url = `${t.server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: a.clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
      identity_provider: "Corp",
    })}`;
    const start = await browse(url, jar);
    const atIdp = await fetch(start.headers.get("location")!, { redirect: "manual" });
    return browse(atIdp.headers.get("location")!, jar);
  }

  async function idToken(a: FederatedApp, res: Response) {
    assert.equal(res.status, 302, await res.clone().text());
    const tokens = await oidc.authorizationCodeGrant(
      await relyingParty(a),
      new URL(res.headers.get("location")!),
    );
    return tokens.claims()!;
  }

  test("the attribute mapping is applied at every sign-in, and identities names the provider", async () => {
    const a = await app();
    idp.next = { sub: "gina", email: "gina@corp.example", name: "Gina" };
    const first = await idToken(a, await signIn(a));
    assert.equal(first.email, "gina@corp.example");
    const identities = first.identities as Record<string, unknown>[];
    assert.deepEqual(
      identities.map((i) => [i.providerName, i.providerType, i.userId, i.primary, i.issuer]),
      // As in Cognito's ID tokens, `primary` is a string.
      [["Corp", "OIDC", "gina", "true", null]],
    );
    idp.next = { sub: "gina", email: "gina.new@corp.example", name: "Gina N." };
    const second = await idToken(a, await signIn(a));
    assert.equal(second.email, "gina.new@corp.example");
    assert.equal(second.sub, first.sub);
    const user = await t.server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: "Corp_gina" }));
    assert.equal(user.UserAttributes!.find((x) => x.Name === "name")!.Value, "Gina N.");
  });

  test("PreSignUp_ExternalProvider runs before the federated user is made, once", async () => {
    const a = await app("record");
    t.clearEvents();
    idp.next = { sub: "hank", email: "hank@corp.example" };
    await idToken(a, await signIn(a));
    await idToken(a, await signIn(a));
    const events = t.events<PreSignUpTriggerEvent>("PreSignUp_ExternalProvider");
    assert.equal(events.length, 1);
    assert.equal(events[0]!.userName, "Corp_hank");
    assert.equal(events[0]!.callerContext.clientId, a.clientId);
    assert.equal(events[0]!.request.userAttributes.email, "hank@corp.example");
  });

  test("a PreSignUp refusal is an error page, and no user is made", async () => {
    const a = await app("throws");
    idp.next = { sub: "ivan", email: "ivan@corp.example" };
    const res = await signIn(a);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Email domain not allowed/);
    const users = await t.server.client().send(new ListUsersCommand({ UserPoolId: a.poolId }));
    assert.deepEqual(
      users.Users!.map((u) => u.Username),
      ["alice"],
    );
  });
});
