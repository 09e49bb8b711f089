import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { usersSuite } from "./setup.ts";

describe("users", () => {
  const suite = usersSuite();
  const { pool } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  test("AdminSetUserPassword sets status; AdminResetUserPassword; AdminConfirmSignUp", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "kim",
        UserAttributes: [
          { Name: "email", Value: "kim@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    await rejectsWith(
      client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: id,
          Username: "kim",
          Password: "password",
          Permanent: true,
        }),
      ),
      "InvalidPasswordException",
      400,
      /Password does not conform to policy/,
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: id,
        Username: "kim",
        Password: "Corr3ct-Horse",
        Permanent: true,
      }),
    );
    assert.equal(
      (await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "kim" }))).UserStatus,
      "CONFIRMED",
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: id,
        Username: "kim",
        Password: "Corr3ct-Horse2",
        Permanent: false,
      }),
    );
    assert.equal(
      (await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "kim" }))).UserStatus,
      "FORCE_CHANGE_PASSWORD",
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: id,
        Username: "kim",
        Password: "Corr3ct-Horse3",
        Permanent: true,
      }),
    );
    await client.send(new AdminResetUserPasswordCommand({ UserPoolId: id, Username: "kim" }));
    assert.equal(
      (await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "kim" }))).UserStatus,
      "RESET_REQUIRED",
    );
    await rejectsWith(
      client.send(new AdminConfirmSignUpCommand({ UserPoolId: id, Username: "kim" })),
      "NotAuthorizedException",
      400,
      /Current status is RESET_REQUIRED/,
    );
  });

  test("AdminDeleteUser removes the user", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "leo", MessageAction: "SUPPRESS" }),
    );
    await client.send(new AdminDeleteUserCommand({ UserPoolId: id, Username: "leo" }));
    await rejectsWith(
      client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "leo" })),
      "UserNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(new AdminDeleteUserCommand({ UserPoolId: id, Username: "leo" })),
      "UserNotFoundException",
      400,
    );
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    assert.equal(UserPool?.EstimatedNumberOfUsers, 0);
  });
});
