/** AdminLinkProviderForUser: matching identities per provider type, limits and deletion. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminDeleteUserCommand,
  AdminLinkProviderForUserCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { federatedTokens, jwtClaims } from "../../support/federation.ts";
import type { TestServer } from "../../support/server.ts";
import { SAML_EMAIL, linkingSuite } from "./setup.ts";

describe("federated users and account linking", () => {
  const suite = linkingSuite();
  const { unique, nativeUser, link, native, social, getUser } = suite;
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(() => {
    ({ server, cognito, poolId, clientId } = suite);
  });

  test("link: Facebook, Google and Login with Amazon identities are matched by id, sub and user_id", async () => {
    for (const [provider, claim] of [
      ["Facebook", "id"],
      ["Google", "sub"],
      ["LoginWithAmazon", "user_id"],
    ] as const) {
      const username = await nativeUser();
      const value = unique(provider);
      await link(native(username), social(provider, value));
      const tokens = await federatedTokens(server, clientId, provider, { [claim]: value });
      assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username, provider);
    }
  });

  test("link: for SAML, ProviderAttributeName can be any claim of the assertion", async () => {
    const username = await nativeUser();
    const email = `${unique("s")}@corp.example`;
    await link(native(username), {
      ProviderName: "Corp",
      ProviderAttributeName: SAML_EMAIL,
      ProviderAttributeValue: email,
    });
    const tokens = await federatedTokens(server, clientId, "Corp", {
      NameID: unique("nameid"),
      [SAML_EMAIL]: email,
    });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username);
  });

  test("link: for SAML with Cognito_Subject, the subject of the assertion is matched", async () => {
    const username = await nativeUser();
    const subject = unique("nameid");
    await link(native(username), social("Corp", subject));
    const tokens = await federatedTokens(server, clientId, "Corp", { NameID: subject });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username);
  });

  test("link: an OIDC identity, by its sub", async () => {
    const username = await nativeUser();
    const sub = unique("okta");
    await link(native(username), social("Okta", sub));
    const tokens = await federatedTokens(server, clientId, "Okta", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username);
  });

  test("link: at most five identities per user (LimitExceededException), and the sixth changes nothing", async () => {
    const username = await nativeUser();
    for (let i = 0; i < 5; i++) await link(native(username), social("Google", unique("g")));
    const sixth = unique("g");
    await rejectsWith(link(native(username), social("Google", sixth)), "LimitExceededException", 400);
    assert.equal((await getUser(username)).identities.length, 5);
    const tokens = await federatedTokens(server, clientId, "Google", { sub: sixth });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Google_${sixth}`);
  });

  test("link: an identity already linked: to this user InvalidParameterException, to another AliasExistsException", async () => {
    const a = await nativeUser();
    const b = await nativeUser();
    const sub = unique("g");
    await link(native(a), social("Google", sub));
    await rejectsWith(
      link(native(a), social("Google", sub)),
      "InvalidParameterException",
      400,
      /^SourceUser is already linked to DestinationUser$/,
    );
    await rejectsWith(link(native(b), social("Google", sub)), "AliasExistsException", 400);
    assert.deepEqual((await getUser(b)).identities, []);
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], a);
  });

  test("link: all attributes of the DestinationUser must be mutable", async () => {
    const username = await nativeUser([{ Name: "custom:badge", Value: "007" }]);
    await rejectsWith(
      link(native(username), social("Google", unique("g"))),
      "InvalidParameterException",
      400,
      /immutable/,
    );
  });

  test("link: an unknown provider or user pool, missing members", async () => {
    const username = await nativeUser();
    await rejectsWith(link(native(username), social("Nope", "1")), "InvalidParameterException", 400, /Nope/);
    await rejectsWith(
      link(native(username), { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject" }),
      "InvalidParameterException",
      400,
      /ProviderAttributeValue/,
    );
    await rejectsWith(
      cognito.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: "us-east-1_missing00",
          DestinationUser: native(username),
          SourceUser: social("Google", "1"),
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("link: deleting the destination user deletes its links", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Google_${sub}`);
  });
});
