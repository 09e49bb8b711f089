/** AdminDisableProviderForUser. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { federatedTokens, jwtClaims } from "../../support/federation.ts";
import type { TestServer } from "../../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../../support/srp-client.ts";
import { PASSWORD, SAML_EMAIL, linkingSuite } from "./setup.ts";

describe("federated users and account linking", () => {
  const suite = linkingSuite();
  const { unique, nativeUser, passwordSignIn, link, native, social, disable, getUser } = suite;
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(() => {
    ({ server, cognito, poolId, clientId } = suite);
  });

  test("disable provider: a native user (Cognito, Cognito_Subject, username) can no longer sign in with the password", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await disable({
      ProviderName: "Cognito",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: username,
    });
    await rejectsWith(
      passwordSignIn(username),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
    await rejectsWith(
      cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      ),
      "NotAuthorizedException",
      400,
    );
    // Nor with SRP.
    const srp = startClientSrp();
    const challenge = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
      }),
    );
    await rejectsWith(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: passwordVerifierResponses({
            poolId,
            password: PASSWORD,
            client: srp,
            challengeParameters: challenge.ChallengeParameters!,
          }),
        }),
      ),
      "NotAuthorizedException",
      400,
    );
    // The user is still there, enabled, and still signs in through the linked identity.
    const user = await getUser(username);
    assert.equal(user.Enabled, true);
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username);
  });

  test("disable provider: for a native user the ProviderAttributeName must be Cognito_Subject", async () => {
    const username = await nativeUser();
    await rejectsWith(
      disable({
        ProviderName: "Cognito",
        ProviderAttributeName: "username",
        ProviderAttributeValue: username,
      }),
      "InvalidParameterException",
      400,
    );
    assert.ok((await passwordSignIn(username)).AuthenticationResult, "nothing changed");
    await rejectsWith(
      disable({
        ProviderName: "Cognito",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: "nobody",
      }),
      "UserNotFoundException",
      400,
    );
  });

  test("disable provider: a linked identity's link is removed; its next sign-in creates a new user", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await federatedTokens(server, clientId, "Google", { sub });
    await disable(social("Google", sub));
    assert.deepEqual(
      (await getUser(username)).identities,
      [],
      "the destination no longer lists the identity",
    );
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Google_${sub}`);
    assert.equal((await getUser(`Google_${sub}`)).UserStatus, "EXTERNAL_PROVIDER");
    assert.ok((await passwordSignIn(username)).AuthenticationResult, "the native user is untouched");
  });

  test("disable provider: the ProviderName must be one of the pool's providers", async () => {
    await rejectsWith(disable(social("Nope", "1")), "InvalidParameterException", 400, /Nope/);
  });

  test("disable provider: for a social provider the ProviderAttributeName must be Cognito_Subject", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await rejectsWith(
      disable({ ProviderName: "Google", ProviderAttributeName: "sub", ProviderAttributeValue: sub }),
      "InvalidParameterException",
      400,
      /Cognito_Subject/,
    );
    assert.equal((await getUser(username)).identities.length, 1, "nothing changed");
  });

  test("disable provider: the value must be the exact subject the identity was linked with", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await rejectsWith(disable(social("Google", `${sub}-other`)), "UserNotFoundException", 400);
    await rejectsWith(disable(social("Google", sub.toUpperCase())), "UserNotFoundException", 400);
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username, "still linked");
  });

  test("disable provider, SAML never signed in: the attribute name and value it was linked with", async () => {
    const username = await nativeUser();
    const email = `${unique("s")}@corp.example`;
    const source = { ProviderName: "Corp", ProviderAttributeName: SAML_EMAIL, ProviderAttributeValue: email };
    await link(native(username), source);
    await disable(source);
    const nameId = unique("nameid");
    const tokens = await federatedTokens(server, clientId, "Corp", { NameID: nameId, [SAML_EMAIL]: email });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Corp_${nameId}`);
  });

  test("disable provider, SAML linked with Cognito_Subject and never signed in: the same values", async () => {
    const username = await nativeUser();
    const nameId = unique("nameid");
    await link(native(username), social("Corp", nameId));
    await disable(social("Corp", nameId));
    const tokens = await federatedTokens(server, clientId, "Corp", { NameID: nameId });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Corp_${nameId}`);
  });

  test("disable provider, SAML already signed in: Cognito_Subject and the subject of the assertion", async () => {
    const username = await nativeUser();
    const email = `${unique("s")}@corp.example`;
    const nameId = unique("nameid");
    const source = { ProviderName: "Corp", ProviderAttributeName: SAML_EMAIL, ProviderAttributeValue: email };
    await link(native(username), source);
    const first = await federatedTokens(server, clientId, "Corp", { NameID: nameId, [SAML_EMAIL]: email });
    assert.equal(jwtClaims(first.IdToken!)["cognito:username"], username);
    assert.equal((await getUser(username)).identities[0]!.userId, nameId, "now named by its subject");
    // The original attribute no longer names it...
    await rejectsWith(disable(source), "UserNotFoundException", 400);
    // ...its subject does.
    await disable(social("Corp", nameId));
    const next = await federatedTokens(server, clientId, "Corp", { NameID: nameId, [SAML_EMAIL]: email });
    assert.equal(jwtClaims(next.IdToken!)["cognito:username"], `Corp_${nameId}`);
  });
});
