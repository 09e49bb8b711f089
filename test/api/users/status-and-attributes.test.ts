import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { attr, usersSuite } from "./setup.ts";

describe("users", () => {
  const suite = usersSuite();
  const { pool } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  test("AdminDisableUser and AdminEnableUser; a disabled user is still listed", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "henry", MessageAction: "SUPPRESS" }),
    );
    await client.send(new AdminDisableUserCommand({ UserPoolId: id, Username: "henry" }));
    const got = await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "henry" }));
    assert.equal(got.Enabled, false);
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: id }));
    assert.equal(Users?.[0]?.Enabled, false);
    const disabled = await client.send(
      new ListUsersCommand({ UserPoolId: id, Filter: 'status = "Disabled"' }),
    );
    assert.equal(disabled.Users?.length, 1);
    await client.send(new AdminEnableUserCommand({ UserPoolId: id, Username: "henry" }));
    assert.equal(
      (await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "henry" }))).Enabled,
      true,
    );
    await rejectsWith(
      client.send(new AdminDisableUserCommand({ UserPoolId: id, Username: "nobody" })),
      "UserNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(new AdminDisableUserCommand({ UserPoolId: "us-east-1_missing00", Username: "henry" })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("AdminUpdateUserAttributes: a changed email becomes unverified", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "ivy",
        UserAttributes: [
          { Name: "email", Value: "ivy@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: id,
        Username: "ivy",
        UserAttributes: [
          { Name: "email", Value: "ivy2@example.com" },
          { Name: "given_name", Value: "Ivy" },
        ],
      }),
    );
    const got = await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "ivy" }));
    assert.equal(attr(got.UserAttributes, "email"), "ivy2@example.com");
    assert.equal(attr(got.UserAttributes, "email_verified"), "false");
    assert.equal(attr(got.UserAttributes, "given_name"), "Ivy");
    await rejectsWith(
      client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: id,
          Username: "ivy",
          UserAttributes: [{ Name: "sub", Value: "x" }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: id,
          Username: "ivy",
          UserAttributes: [{ Name: "email", Value: "nope" }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("AdminDeleteUserAttributes removes attributes", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "jack",
        UserAttributes: [
          { Name: "nickname", Value: "J" },
          { Name: "email", Value: "jack@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    await client.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: id,
        Username: "jack",
        UserAttributeNames: ["nickname", "email"],
      }),
    );
    const got = await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "jack" }));
    assert.equal(attr(got.UserAttributes, "nickname"), undefined);
    assert.equal(attr(got.UserAttributes, "email"), undefined);
    assert.equal(attr(got.UserAttributes, "email_verified"), undefined);
  });
});
