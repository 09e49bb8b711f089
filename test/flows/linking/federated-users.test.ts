/** Federated users as Cognito stores them. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { federatedSignIn, federatedTokens, jwtClaims } from "../../support/federation.ts";
import type { TestServer } from "../../support/server.ts";
import { SAML_EMAIL, linkingSuite } from "./setup.ts";

describe("federated users and account linking", () => {
  const suite = linkingSuite();
  const { unique, getUser } = suite;
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(() => {
    ({ server, cognito, poolId, clientId } = suite);
  });

  test("a first federated sign-in creates <ProviderName>_<subject>, EXTERNAL_PROVIDER, with identities and mapped attributes", async () => {
    const sub = unique("g");
    const tokens = await federatedTokens(server, clientId, "Google", {
      sub,
      email: `${sub}@gmail.com`,
      name: "Grace Hopper",
      email_verified: true,
    });
    const user = await getUser(`Google_${sub}`);
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    assert.equal(user.Enabled, true);
    assert.equal(user.attrs.email, `${sub}@gmail.com`);
    assert.equal(user.attrs.name, "Grace Hopper");
    assert.equal(user.attrs.email_verified, undefined, "only mapped claims become attributes");
    assert.equal(user.identities.length, 1);
    const [identity] = user.identities;
    assert.deepEqual(
      { ...identity, dateCreated: typeof identity!.dateCreated },
      {
        userId: sub,
        providerName: "Google",
        providerType: "Google",
        issuer: null,
        primary: true,
        dateCreated: "number",
      },
    );
    const id = jwtClaims(tokens.IdToken!);
    assert.equal(id["cognito:username"], `Google_${sub}`);
    assert.equal(id.sub, user.attrs.sub);
    assert.deepEqual(id.identities, [
      {
        userId: sub,
        providerName: "Google",
        providerType: "Google",
        issuer: null,
        primary: "true",
        dateCreated: String(identity!.dateCreated),
      },
    ]);
    assert.equal(jwtClaims(tokens.AccessToken!).username, `Google_${sub}`);
    assert.ok(tokens.RefreshToken);

    // The next sign-in is the same user, its attributes refreshed from the claims.
    const again = await federatedTokens(server, clientId, "Google", {
      sub,
      email: `${sub}@gmail.com`,
      name: "G. Hopper",
    });
    assert.equal(jwtClaims(again.IdToken!).sub, user.attrs.sub);
    assert.equal((await getUser(`Google_${sub}`)).attrs.name, "G. Hopper");
  });

  test("a SAML user's identity names the IdP's entityID as issuer; its subject is the NameID", async () => {
    const subject = unique("saml");
    await federatedTokens(server, clientId, "Corp", {
      NameID: subject,
      [SAML_EMAIL]: `${subject}@corp.example`,
    });
    const user = await getUser(`Corp_${subject}`);
    assert.equal(user.attrs.email, `${subject}@corp.example`);
    assert.equal(user.identities[0]!.issuer, "urn:corp:idp");
    assert.equal(user.identities[0]!.providerType, "SAML");
  });

  test("a provider the app client does not support cannot sign in through it", async () => {
    const other = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "google-less",
          SupportedIdentityProviders: ["COGNITO"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const answer = await federatedSignIn(server, other, "Google", { sub: unique("g") });
    assert.equal(answer.status, 400);
    assert.equal(answer.__type, "InvalidParameterException");
  });
});
