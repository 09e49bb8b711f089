import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

const attr = (list: AttributeType[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe("users", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "users", ...extra }))).UserPool!.Id!;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

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

  test("ListUsers: filters, AttributesToGet, Limit and stable pagination", async () => {
    const id = await pool();
    const names = ["maria", "mark", "martin", "nina", "oscar", "mary"];
    for (const n of names) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: n,
          UserAttributes: [
            { Name: "email", Value: `${n}@example.com` },
            { Name: "given_name", Value: n.toUpperCase() },
          ],
          MessageAction: "SUPPRESS",
        }),
      );
    }
    const exact = await client.send(
      new ListUsersCommand({ UserPoolId: id, Filter: 'email = "nina@example.com"' }),
    );
    assert.deepEqual(
      exact.Users?.map((u) => u.Username),
      ["nina"],
    );
    const prefix = await client.send(new ListUsersCommand({ UserPoolId: id, Filter: 'username ^= "mar"' }));
    assert.deepEqual(prefix.Users?.map((u) => u.Username).sort(), ["maria", "mark", "martin", "mary"]);
    const status = await client.send(
      new ListUsersCommand({ UserPoolId: id, Filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"' }),
    );
    assert.equal(status.Users?.length, names.length);
    const some = await client.send(
      new ListUsersCommand({ UserPoolId: id, AttributesToGet: ["email"], Limit: 1 }),
    );
    assert.deepEqual(
      some.Users?.[0]?.Attributes?.map((a) => a.Name),
      ["email"],
    );

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListUsersCommand({ UserPoolId: id, Filter: 'email ^= "ma"', Limit: 2, PaginationToken: token }),
      );
      assert.ok((page.Users?.length ?? 0) <= 2);
      seen.push(...(page.Users?.map((u) => u.Username!) ?? []));
      token = page.PaginationToken;
    } while (token);
    assert.deepEqual(seen.sort(), ["maria", "mark", "martin", "mary"]);

    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, Filter: "email = nina" })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, Filter: 'nickname = "x"' })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, PaginationToken: "bogus" })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: "us-east-1_missing00" })),
      "ResourceNotFoundException",
      400,
    );
  });
});
