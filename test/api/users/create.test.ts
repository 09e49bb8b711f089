import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
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

  test("AdminCreateUser creates a FORCE_CHANGE_PASSWORD user with a sub", async () => {
    const id = await pool();
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "alice",
        UserAttributes: [
          { Name: "email", Value: "alice@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
    assert.equal(User?.Username, "alice");
    assert.equal(User?.UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal(User?.Enabled, true);
    assert.match(
      attr(User?.Attributes, "sub") ?? "",
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const got = await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "alice" }));
    assert.equal(attr(got.UserAttributes, "email"), "alice@example.com");
    assert.equal(attr(got.UserAttributes, "sub"), attr(User?.Attributes, "sub"));
    assert.ok(got.UserCreateDate instanceof Date);
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    assert.equal(UserPool?.EstimatedNumberOfUsers, 1);
  });

  test("a SUPPRESS user without a TemporaryPassword signs in with no password until one is set", async () => {
    const id = await pool();
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: id,
        ClientName: "admin",
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const signIn = (password: string) =>
      client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: id,
          ClientId: UserPoolClient!.ClientId!,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "carol", PASSWORD: password },
        }),
      );
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "carol", MessageAction: "SUPPRESS" }),
    );
    // The generated password reached no one: every password is a wrong one.
    for (const password of ["Passw0rd!", "x".repeat(20)])
      await rejectsWith(signIn(password), "NotAuthorizedException", 400, /Incorrect username or password/);
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: id, Username: "carol", Password: "Temp-passw0rd!" }),
    );
    const { ChallengeName } = await signIn("Temp-passw0rd!");
    assert.equal(ChallengeName, "NEW_PASSWORD_REQUIRED");
  });

  test("a second user with the same username is UsernameExistsException", async () => {
    const id = await pool();
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "bob", MessageAction: "SUPPRESS" }),
    );
    await rejectsWith(
      client.send(new AdminCreateUserCommand({ UserPoolId: id, Username: "bob", MessageAction: "SUPPRESS" })),
      "UsernameExistsException",
      400,
    );
  });

  test("usernames honour the pool's case sensitivity", async () => {
    const sensitive = await pool();
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: sensitive, Username: "Carol", MessageAction: "SUPPRESS" }),
    );
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: sensitive, Username: "carol", MessageAction: "SUPPRESS" }),
    );
    await rejectsWith(
      client.send(new AdminGetUserCommand({ UserPoolId: sensitive, Username: "CAROL" })),
      "UserNotFoundException",
      400,
    );

    const insensitive = await pool({ UsernameConfiguration: { CaseSensitive: false } });
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: insensitive, Username: "Dave", MessageAction: "SUPPRESS" }),
    );
    const got = await client.send(new AdminGetUserCommand({ UserPoolId: insensitive, Username: "DAVE" }));
    assert.equal(got.Username, "Dave");
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({ UserPoolId: insensitive, Username: "dave", MessageAction: "SUPPRESS" }),
      ),
      "UsernameExistsException",
      400,
    );
  });

  test("a temporary password must follow the pool's policy", async () => {
    const id = await pool();
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: "weak",
          TemporaryPassword: "short",
          MessageAction: "SUPPRESS",
        }),
      ),
      "InvalidPasswordException",
      400,
    );
    await rejectsWith(
      client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "weak" })),
      "UserNotFoundException",
      400,
    );
  });

  test("unknown attributes are refused and nothing is created", async () => {
    const id = await pool();
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: "x",
          UserAttributes: [{ Name: "custom:nope", Value: "1" }],
          MessageAction: "SUPPRESS",
        }),
      ),
      "InvalidParameterException",
      400,
      /did not conform to the schema/,
    );
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: id }));
    assert.equal(Users?.length, 0);
  });

  test("pools with email as username keep the sub as username", async () => {
    const id = await pool({ UsernameAttributes: ["email"] });
    const { User } = await client.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "erin@example.com", MessageAction: "SUPPRESS" }),
    );
    assert.equal(User?.Username, attr(User?.Attributes, "sub"));
    assert.equal(attr(User?.Attributes, "email"), "erin@example.com");
    const byEmail = await client.send(
      new AdminGetUserCommand({ UserPoolId: id, Username: "erin@example.com" }),
    );
    assert.equal(byEmail.Username, User?.Username);
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: "erin@example.com",
          MessageAction: "SUPPRESS",
        }),
      ),
      "UsernameExistsException",
      400,
    );
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({ UserPoolId: id, Username: "not-an-email", MessageAction: "SUPPRESS" }),
      ),
      "InvalidParameterException",
      400,
      /Username should be an email/,
    );
  });

  test("verified aliases are unique and name their user", async () => {
    const id = await pool({ AliasAttributes: ["email"] });
    const verified = [
      { Name: "email", Value: "frank@example.com" },
      { Name: "email_verified", Value: "true" },
    ];
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "frank",
        UserAttributes: verified,
        MessageAction: "SUPPRESS",
      }),
    );
    const byAlias = await client.send(
      new AdminGetUserCommand({ UserPoolId: id, Username: "frank@example.com" }),
    );
    assert.equal(byAlias.Username, "frank");
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: "frank2",
          UserAttributes: verified,
          MessageAction: "SUPPRESS",
        }),
      ),
      "AliasExistsException",
      400,
    );
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: "frank3",
        UserAttributes: verified,
        ForceAliasCreation: true,
        MessageAction: "SUPPRESS",
      }),
    );
    const moved = await client.send(
      new AdminGetUserCommand({ UserPoolId: id, Username: "frank@example.com" }),
    );
    assert.equal(moved.Username, "frank3");
    const old = await client.send(new AdminGetUserCommand({ UserPoolId: id, Username: "frank" }));
    assert.equal(attr(old.UserAttributes, "email_verified"), "false");
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({ UserPoolId: id, Username: "g@example.com", MessageAction: "SUPPRESS" }),
      ),
      "InvalidParameterException",
      400,
      /email format/,
    );
  });
});
