/**
 * Behaviour checked against Cognito's documentation and reports of its real answers (see
 * docs/compatibility/30-fidelity.md): ListUsers filters and AttributesToGet, boolean attribute
 * values, schema constraints, alias conflicts, AdminResetUserPassword on a disabled user, the
 * invitation's default medium, and the wording of password-policy errors per operation.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { rejectsWith } from "../support/assert.ts";
import { inbox } from "../support/inbox.ts";
import { startServer, type TestServer } from "../support/server.ts";

const attr = (list: AttributeType[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe("fidelity to Cognito", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "fidelity", ...extra }))).UserPool!.Id!;
  const createUser = (poolId: string, username: string, attrs: AttributeType[] = []) =>
    client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: attrs,
        MessageAction: "SUPPRESS",
      }),
    );
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
  });
  after(() => server.stop());

  describe("ListUsers Filter", () => {
    let poolId: string;
    before(async () => {
      poolId = await pool();
      await createUser(poolId, "tess", [{ Name: "email", Value: "testuser@example.com" }]);
      await createUser(poolId, "omar", [{ Name: "email", Value: "other@example.com" }]);
      await createUser(poolId, "quinn", [{ Name: "given_name", Value: 'say "hi"' }]);
    });
    const names = async (Filter: string) =>
      ((await client.send(new ListUsersCommand({ UserPoolId: poolId, Filter }))).Users ?? [])
        .map((u) => u.Username)
        .sort();

    test('accepts the API reference\'s own example, "email"^="testuser"', async () => {
      assert.deepEqual(await names('"email"^="testuser"'), ["tess"]);
    });

    test("takes the attribute name quoted or not, with or without spaces around the operator", async () => {
      assert.deepEqual(await names('email = "testuser@example.com"'), ["tess"]);
      assert.deepEqual(await names('"email"="testuser@example.com"'), ["tess"]);
      assert.deepEqual(await names('  "email"  ^=  "other"  '), ["omar"]);
      assert.deepEqual(await names('username^="t"'), ["tess"]);
    });

    test("quotes inside the value are escaped with a backslash", async () => {
      assert.deepEqual(await names('given_name = "say \\"hi\\""'), ["quinn"]);
    });

    test("a half-quoted name or a bare value is a parse error", async () => {
      for (const bad of ['"email ^= "x"', "email ^= x", 'email" = "x"'])
        await rejectsWith(
          client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: bad })),
          "InvalidParameterException",
          400,
          /^Error while parsing filter\.$/,
        );
    });
  });

  describe("ListUsers AttributesToGet", () => {
    test("an attribute not every listed user has is an error; one they all have is returned", async () => {
      const poolId = await pool();
      await createUser(poolId, "ana", [
        { Name: "email", Value: "ana@example.com" },
        { Name: "locale", Value: "en" },
      ]);
      await createUser(poolId, "ben", [{ Name: "email", Value: "ben@example.com" }]);
      await rejectsWith(
        client.send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ["locale"] })),
        "InvalidParameterException",
        400,
        /^One or more requested attributes do not exist\.$/,
      );
      const all = await client.send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ["email"] }));
      assert.equal(all.Users?.length, 2);
      for (const u of all.Users ?? [])
        assert.deepEqual(
          u.Attributes?.map((a) => a.Name),
          ["email"],
        );
      // Narrowed by a filter to users that have it, the attribute comes back.
      const some = await client.send(
        new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ["locale"], Filter: 'username = "ana"' }),
      );
      assert.deepEqual(some.Users?.[0]?.Attributes, [{ Name: "locale", Value: "en" }]);
    });
  });

  describe("boolean attributes", () => {
    test('"True" and "TRUE" are accepted, kept as sent, and count as true', async () => {
      const poolId = await pool({ AliasAttributes: ["email"] });
      const clientId = (
        await client.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: "app",
            ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          }),
        )
      ).UserPoolClient!.ClientId!;
      await createUser(poolId, "vera", [
        { Name: "email", Value: "vera@example.com" },
        { Name: "email_verified", Value: "True" },
      ]);
      const got = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "vera" }));
      assert.equal(attr(got.UserAttributes, "email_verified"), "True");
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: "vera",
          Password: "Verified-passw0rd!",
          Permanent: true,
        }),
      );
      // The verified email is an alias to sign in with, and the ID token says it is verified.
      const out = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "vera@example.com", PASSWORD: "Verified-passw0rd!" },
        }),
      );
      assert.equal(decodeJwt(out.AuthenticationResult!.IdToken!).email_verified, true);

      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: "vera",
          UserAttributes: [{ Name: "email_verified", Value: "FALSE" }],
        }),
      );
      const after = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "vera" }));
      assert.equal(attr(after.UserAttributes, "email_verified"), "FALSE");
      await rejectsWith(
        client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: poolId,
            Username: "vera",
            UserAttributes: [{ Name: "email_verified", Value: "yes" }],
          }),
        ),
        "InvalidParameterException",
        400,
        /Boolean must be either true or false/,
      );
    });
  });

  describe("schema constraints", () => {
    const refused = async (Schema: CreateUserPoolCommandInput["Schema"], message: RegExp) => {
      await rejectsWith(
        client.send(new CreateUserPoolCommand({ PoolName: "bad-schema", Schema })),
        "InvalidParameterException",
        400,
        message,
      );
    };

    test("constraints that are not numbers are refused, and never stored", async () => {
      await refused(
        [{ Name: "nick", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "lots" } }],
        /^Invalid StringAttributeConstraints for schema attribute custom:nick$/,
      );
      await refused(
        [{ Name: "age", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "zero" } }],
        /^Invalid NumberAttributeConstraints for schema attribute custom:age$/,
      );
      await refused(
        [{ Name: "name", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "-1" } }],
        /^Invalid StringAttributeConstraints for schema attribute name$/,
      );
    });

    test("MaxLength over 2048 and a minimum over the maximum are refused", async () => {
      await refused(
        [{ Name: "bio", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "4096" } }],
        /^user\.custom:bio: String attributes cannot have a length of more than 2048$/,
      );
      await refused(
        [
          {
            Name: "code",
            AttributeDataType: "String",
            StringAttributeConstraints: { MinLength: "10", MaxLength: "5" },
          },
        ],
        /^user\.custom:code: Max length cannot be less than min length\.$/,
      );
      await refused(
        [
          {
            Name: "score",
            AttributeDataType: "Number",
            NumberAttributeConstraints: { MinValue: "10", MaxValue: "1" },
          },
        ],
        /^user\.custom:score: Max value cannot be less than min value\.$/,
      );
    });

    test("AddCustomAttributes checks the same, and names the attribute in its duplicate message", async () => {
      const poolId = await pool({ Schema: [{ Name: "plan", AttributeDataType: "String" }] });
      await rejectsWith(
        client.send(
          new AddCustomAttributesCommand({
            UserPoolId: poolId,
            CustomAttributes: [
              { Name: "tier", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "x" } },
            ],
          }),
        ),
        "InvalidParameterException",
        400,
        /^Invalid StringAttributeConstraints for schema attribute custom:tier$/,
      );
      await rejectsWith(
        client.send(
          new AddCustomAttributesCommand({
            UserPoolId: poolId,
            CustomAttributes: [{ Name: "plan", AttributeDataType: "String" }],
          }),
        ),
        "InvalidParameterException",
        400,
        /^custom:plan: Existing attribute already has name custom:plan\.$/,
      );
      const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(
        UserPool?.SchemaAttributes?.some((a) => a.Name === "custom:tier"),
        false,
      );
      // Well-formed constraints are kept.
      await client.send(
        new AddCustomAttributesCommand({
          UserPoolId: poolId,
          CustomAttributes: [
            {
              Name: "tier",
              AttributeDataType: "String",
              StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
            },
          ],
        }),
      );
      const { UserPool: d } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(
        d?.SchemaAttributes?.find((a) => a.Name === "custom:tier")?.StringAttributeConstraints,
        {
          MinLength: "1",
          MaxLength: "2048",
        },
      );
    });
  });

  test("AdminResetUserPassword refuses a disabled user", async () => {
    const poolId = await pool();
    await createUser(poolId, "dora", [
      { Name: "email", Value: "dora@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "dora",
        Password: "Disabled-passw0rd!",
        Permanent: true,
      }),
    );
    await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "dora" }));
    await rejectsWith(
      client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "dora" })),
      "NotAuthorizedException",
      400,
      /^User is disabled\.$/,
    );
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "dora" }));
    assert.equal(user.UserStatus, "CONFIRMED");
  });

  describe("an email or phone number another user signs in with", () => {
    test("in a pool that signs in by email or phone, the update is refused with AliasExistsException", async () => {
      const poolId = await pool({ UsernameAttributes: ["email", "phone_number"] });
      await createUser(poolId, "first@example.com", [{ Name: "phone_number", Value: "+15550100" }]);
      const second = (await createUser(poolId, "second@example.com")).User!.Username!;
      await rejectsWith(
        client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: poolId,
            Username: second,
            UserAttributes: [{ Name: "email", Value: "first@example.com" }],
          }),
        ),
        "AliasExistsException",
        400,
        /^An account with the given email already exists\.$/,
      );
      await rejectsWith(
        client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: poolId,
            Username: second,
            UserAttributes: [{ Name: "phone_number", Value: "+15550100" }],
          }),
        ),
        "AliasExistsException",
        400,
        /^An account with the given phone_number already exists\.$/,
      );
    });

    test("in an alias pool, taking another user's verified email is refused with AliasExistsException", async () => {
      const poolId = await pool({ AliasAttributes: ["email"] });
      await createUser(poolId, "owner", [
        { Name: "email", Value: "shared@example.com" },
        { Name: "email_verified", Value: "true" },
      ]);
      await createUser(poolId, "taker");
      await rejectsWith(
        client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: poolId,
            Username: "taker",
            UserAttributes: [
              { Name: "email", Value: "shared@example.com" },
              { Name: "email_verified", Value: "true" },
            ],
          }),
        ),
        "AliasExistsException",
        400,
        /^An account with the email already exists\.$/,
      );
    });
  });

  test("AdminCreateUser without DesiredDeliveryMediums: SMS when there is a phone number, else email", async () => {
    const poolId = await pool();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "mailonly",
        UserAttributes: [{ Name: "email", Value: "mailonly@example.com" }],
      }),
    );
    const [mail, ...rest] = await inbox(server, { poolId, username: "mailonly" });
    assert.equal(rest.length, 0);
    assert.equal(mail?.channel, "EMAIL");
    assert.equal(mail?.purpose, "invitation");
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "both",
        UserAttributes: [
          { Name: "email", Value: "both@example.com" },
          { Name: "phone_number", Value: "+15550123" },
        ],
      }),
    );
    const sent = await inbox(server, { poolId, username: "both" });
    assert.deepEqual(
      sent.map((m) => m.channel),
      ["SMS"],
    );
  });

  describe("password policy wording", () => {
    test('SignUp says "Password did not conform with policy"; the admin operations say "does not conform to"', async () => {
      const poolId = await pool();
      const clientId = (
        await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }))
      ).UserPoolClient!.ClientId!;
      await rejectsWith(
        client.send(new SignUpCommand({ ClientId: clientId, Username: "weak", Password: "short" })),
        "InvalidPasswordException",
        400,
        /^Password did not conform with policy: Password not long enough$/,
      );
      await rejectsWith(
        client.send(new SignUpCommand({ ClientId: clientId, Username: "weak", Password: "longenough" })),
        "InvalidPasswordException",
        400,
        /^Password did not conform with policy: Password must have uppercase characters$/,
      );
      await createUser(poolId, "strong");
      await rejectsWith(
        client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: poolId,
            Username: "strong",
            Password: "short",
            Permanent: true,
          }),
        ),
        "InvalidPasswordException",
        400,
        /^Password does not conform to policy: Password not long enough$/,
      );
      await rejectsWith(
        client.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: "temp",
            TemporaryPassword: "short",
            MessageAction: "SUPPRESS",
          }),
        ),
        "InvalidPasswordException",
        400,
        /^Password does not conform to policy: Password not long enough$/,
      );
    });
  });
});
