/** AdminLinkProviderForUser: the destination and source users. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { rejectsWith } from "../../support/assert.ts";
import { federatedTokens, jwtClaims } from "../../support/federation.ts";
import type { TestServer } from "../../support/server.ts";
import { linkingSuite } from "./setup.ts";

describe("federated users and account linking", () => {
  const suite = linkingSuite();
  const { unique, nativeUser, passwordSignIn, link, native, social, getUser, exists } = suite;
  let server: TestServer;
  let clientId: string;
  before(() => {
    ({ server, clientId } = suite);
  });

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
});
