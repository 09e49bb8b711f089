/**
 * Federated users and account linking, one test per rule of the API reference pages of
 * AdminLinkProviderForUser, AdminDisableProviderForUser and AdminDisableUser. Identities sign in
 * through the test-only federated sign-in endpoint, which runs the same code as the OAuth2 and
 * SAML endpoints once a provider has vouched for a user.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  type ProviderUserIdentifierType,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import {
  AMAZON_DETAILS,
  FACEBOOK_DETAILS,
  federatedSignIn,
  federatedTokens,
  GOOGLE_DETAILS,
  jwtClaims,
  OIDC_DETAILS,
  samlMetadata,
} from "../support/federation.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Sup3r-secret!";
const SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

interface Identity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

describe("federated users and account linking", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let n = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-federation"] });
    cognito = server.client();
    poolId = (
      await cognito.send(
        new CreateUserPoolCommand({
          PoolName: "linking",
          Schema: [{ Name: "badge", AttributeDataType: "String", Mutable: false }],
        }),
      )
    ).UserPool!.Id!;
    const idp = (
      name: string,
      type: string,
      details: Record<string, string>,
      mapping?: Record<string, string>,
    ) =>
      cognito.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: name,
          ProviderType: type as "OIDC",
          ProviderDetails: details,
          AttributeMapping: mapping,
        }),
      );
    await idp("Google", "Google", GOOGLE_DETAILS, { username: "sub", email: "email", name: "name" });
    await idp("Facebook", "Facebook", FACEBOOK_DETAILS);
    await idp("LoginWithAmazon", "LoginWithAmazon", AMAZON_DETAILS);
    await idp("Okta", "OIDC", OIDC_DETAILS);
    await idp("Corp", "SAML", { MetadataFile: samlMetadata("urn:corp:idp") }, { email: SAML_EMAIL });
    clientId = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
          SupportedIdentityProviders: ["COGNITO", "Google", "Facebook", "LoginWithAmazon", "Okta", "Corp"],
        }),
      )
    ).UserPoolClient!.ClientId!;
  });
  after(() => server.stop());

  const unique = (prefix: string) => `${prefix}${++n}${Date.now() % 100000}`;

  /** A confirmed native user with a password. */
  async function nativeUser(attrs: { Name: string; Value: string }[] = []): Promise<string> {
    const username = unique("native");
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: attrs,
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    return username;
  }

  const passwordSignIn = (username: string) =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );

  const link = (destination: ProviderUserIdentifierType, source: ProviderUserIdentifierType) =>
    cognito.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: destination,
        SourceUser: source,
      }),
    );

  const native = (username: string): ProviderUserIdentifierType => ({
    ProviderName: "Cognito",
    ProviderAttributeValue: username,
  });
  const social = (provider: string, subject: string): ProviderUserIdentifierType => ({
    ProviderName: provider,
    ProviderAttributeName: "Cognito_Subject",
    ProviderAttributeValue: subject,
  });

  const disable = (user: ProviderUserIdentifierType) =>
    cognito.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: user }));

  async function getUser(username: string) {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const attrs = Object.fromEntries(out.UserAttributes!.map((a) => [a.Name!, a.Value!]));
    const identities = attrs.identities ? (JSON.parse(attrs.identities) as Identity[]) : [];
    return { ...out, attrs, identities };
  }

  async function exists(username: string): Promise<boolean> {
    try {
      await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      return true;
    } catch (e) {
      if ((e as Error).name === "UserNotFoundException") return false;
      throw e;
    }
  }

  // Federated users as Cognito stores them.

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

  // AdminLinkProviderForUser

  test("link: the external identity then signs in as the existing native user, and its tokens say so", async () => {
    const username = await nativeUser([{ Name: "email", Value: "ada@example.com" }]);
    const native_ = await getUser(username);
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    const tokens = await federatedTokens(server, clientId, "Google", {
      sub,
      email: "ada@gmail.com",
      name: "Ada",
    });
    const id = jwtClaims(tokens.IdToken!);
    assert.equal(id["cognito:username"], username);
    assert.equal(id.sub, native_.attrs.sub);
    assert.equal(jwtClaims(tokens.AccessToken!).username, username);
    assert.equal(await exists(`Google_${sub}`), false, "no federated user was created");
    // The linked profile is updated with the claims mapped from the sign-in.
    const after_ = await getUser(username);
    assert.equal(after_.attrs.name, "Ada");
    assert.equal(after_.attrs.email, "ada@gmail.com");
    assert.equal(after_.UserStatus, "CONFIRMED");
    // And the native user still signs in with the password.
    assert.ok((await passwordSignIn(username)).AuthenticationResult?.AccessToken);
  });

  test("link: the destination's identities attribute lists the linked identity (not primary)", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    const { identities } = await getUser(username);
    assert.equal(identities.length, 1);
    assert.equal(identities[0]!.userId, sub);
    assert.equal(identities[0]!.providerName, "Google");
    assert.equal(identities[0]!.primary, false);
  });

  test("link: the DestinationUser may be a federated user, named by provider and user id", async () => {
    const fbId = unique("fb");
    const fbTokens = await federatedTokens(server, clientId, "Facebook", { id: fbId });
    const sub = unique("g");
    await link({ ProviderName: "Facebook", ProviderAttributeValue: fbId }, social("Google", sub));
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], `Facebook_${fbId}`);
    assert.equal(jwtClaims(tokens.IdToken!).sub, jwtClaims(fbTokens.IdToken!).sub);
    const { identities } = await getUser(`Facebook_${fbId}`);
    assert.deepEqual(
      identities.map((i) => [i.providerName, i.userId, i.primary]),
      [
        ["Facebook", fbId, true],
        ["Google", sub, false],
      ],
    );
  });

  test("link: a DestinationUser that does not exist is a UserNotFoundException", async () => {
    await rejectsWith(
      link(native("nobody-here"), social("Google", unique("g"))),
      "UserNotFoundException",
      400,
    );
    await rejectsWith(
      link({ ProviderName: "Facebook", ProviderAttributeValue: "404" }, social("Google", unique("g"))),
      "UserNotFoundException",
      400,
    );
  });

  test("link: the ProviderAttributeName of the DestinationUser is ignored", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(
      { ProviderName: "Cognito", ProviderAttributeName: "anything at all", ProviderAttributeValue: username },
      social("Google", sub),
    );
    const tokens = await federatedTokens(server, clientId, "Google", { sub });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], username);
  });

  test("link: the SourceUser must be a federated user, not a native one", async () => {
    const a = await nativeUser();
    const b = await nativeUser();
    await rejectsWith(
      link(native(a), {
        ProviderName: "Cognito",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: b,
      }),
      "InvalidParameterException",
      400,
      /^Invalid SourceUser: Cognito users with a username\/password may not be passed in as a SourceUser, only as a DestinationUser$/,
    );
  });

  test("link: the SourceUser must not exist yet in the user pool", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await federatedTokens(server, clientId, "Google", { sub });
    await rejectsWith(
      link(native(username), social("Google", sub)),
      "InvalidParameterException",
      400,
      /^Merging is not currently supported, provide a SourceUser that has not been signed up in order to link$/,
    );
    assert.deepEqual((await getUser(username)).identities, [], "nothing changed");
  });

  test("link: a social SourceUser must use ProviderAttributeName Cognito_Subject", async () => {
    const username = await nativeUser();
    await rejectsWith(
      link(native(username), {
        ProviderName: "Google",
        ProviderAttributeName: "email",
        ProviderAttributeValue: "a@b.c",
      }),
      "InvalidParameterException",
      400,
      /Cognito_Subject/,
    );
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

  // AdminDisableProviderForUser

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

  // AdminDisableUser

  test("disable user: the user cannot sign in, with a password or through a linked identity", async () => {
    const username = await nativeUser();
    const sub = unique("g");
    await link(native(username), social("Google", sub));
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await rejectsWith(passwordSignIn(username), "NotAuthorizedException", 400, /^User is disabled\.$/);
    const answer = await federatedSignIn(server, clientId, "Google", { sub });
    assert.equal(answer.__type, "NotAuthorizedException");
    assert.equal(answer.message, "User is disabled.");
    const fbId = unique("fb");
    await federatedTokens(server, clientId, "Facebook", { id: fbId });
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: `Facebook_${fbId}` }));
    assert.equal(
      (await federatedSignIn(server, clientId, "Facebook", { id: fbId })).message,
      "User is disabled.",
    );
  });

  test("disable user: every token of the user stops working at once", async () => {
    const username = await nativeUser();
    const tokens = (await passwordSignIn(username)).AuthenticationResult!;
    await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await rejectsWith(
      cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });

  test("disable user: the user still appears in AdminGetUser and ListUsers", async () => {
    const username = await nativeUser([{ Name: "email", Value: `${unique("d")}@example.com` }]);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    const user = await getUser(username);
    assert.equal(user.Enabled, false);
    assert.equal(user.UserStatus, "CONFIRMED");
    const { Users } = await cognito.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: `username = "${username}"` }),
    );
    assert.equal(Users!.length, 1);
    assert.equal(Users![0]!.Enabled, false);
  });

  test("enable user: sign-in works again, the old tokens stay dead", async () => {
    const username = await nativeUser();
    const old = (await passwordSignIn(username)).AuthenticationResult!;
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
    const fresh = (await passwordSignIn(username)).AuthenticationResult!;
    await cognito.send(new GetUserCommand({ AccessToken: fresh.AccessToken }));
    await rejectsWith(
      cognito.send(new GetUserCommand({ AccessToken: old.AccessToken })),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: old.RefreshToken! },
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });

  test("disable user: an unknown user is a UserNotFoundException", async () => {
    await rejectsWith(
      cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "nobody-here" })),
      "UserNotFoundException",
      400,
    );
  });
});
