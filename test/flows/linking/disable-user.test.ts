/** AdminDisableUser and AdminEnableUser. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { federatedSignIn, federatedTokens } from "../../support/federation.ts";
import type { TestServer } from "../../support/server.ts";
import { linkingSuite } from "./setup.ts";

describe("federated users and account linking", () => {
  const suite = linkingSuite();
  const { unique, nativeUser, passwordSignIn, link, native, social, getUser } = suite;
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(() => {
    ({ server, cognito, poolId, clientId } = suite);
  });

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
