import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../support/inbox.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Sup3r-secret!";

describe("token-authorised self-service operations", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
  });
  after(() => server.stop());

  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "self-service", ...extra }))).UserPool!.Id!;
  const appClient = async (poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) =>
    (
      await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
          ...extra,
        }),
      )
    ).UserPoolClient!.ClientId!;
  const user = async (poolId: string, username: string, attributes: AttributeType[] = []) => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: attributes,
        MessageAction: "SUPPRESS",
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  };
  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const accessToken = async (clientId: string, username: string, password = PASSWORD) =>
    (await signIn(clientId, username, password)).AuthenticationResult!.AccessToken!;
  /** A pool, an app client and a signed-in user. */
  const signedIn = async (
    attributes: AttributeType[] = [],
    poolExtra: Partial<CreateUserPoolCommandInput> = {},
    clientExtra: Partial<CreateUserPoolClientCommandInput> = {},
  ) => {
    const poolId = await pool(poolExtra);
    const clientId = await appClient(poolId, clientExtra);
    await user(poolId, "ann", attributes);
    return { poolId, clientId, token: await accessToken(clientId, "ann") };
  };
  const attrs = (list: AttributeType[] | undefined) =>
    Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
  const adminAttrs = async (poolId: string, username: string) =>
    attrs(
      (await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes,
    );
  const getUser = (token: string) => client.send(new GetUserCommand({ AccessToken: token }));
  const update = (token: string, list: AttributeType[]) =>
    client.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: list }));
  const verifiedEmail = (email: string): AttributeType[] => [
    { Name: "email", Value: email },
    { Name: "email_verified", Value: "true" },
  ];

  describe("GetUser", () => {
    test("answers the username and the attributes, sub first", async () => {
      const { token } = await signedIn([
        ...verifiedEmail("ann@example.com"),
        { Name: "given_name", Value: "Ann" },
      ]);
      const out = await getUser(token);
      assert.equal(out.Username, "ann");
      assert.equal(out.UserAttributes?.[0]?.Name, "sub");
      assert.match(out.UserAttributes![0]!.Value!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(attrs(out.UserAttributes.slice(1)), {
        email: "ann@example.com",
        email_verified: "true",
        given_name: "Ann",
      });
    });

    test("shows only what the app client may read", async () => {
      const poolId = await pool();
      const reader = await appClient(poolId, { ReadAttributes: ["email", "email_verified"] });
      await user(poolId, "ann", [...verifiedEmail("ann@example.com"), { Name: "given_name", Value: "Ann" }]);
      const out = await getUser(await accessToken(reader, "ann"));
      assert.deepEqual(
        out.UserAttributes?.map((a) => a.Name),
        ["sub", "email", "email_verified"],
      );
    });

    test("refuses tokens that are not valid access tokens", async () => {
      const { clientId } = await signedIn();
      await rejectsWith(getUser("not-a-token"), "NotAuthorizedException", 400, /^Invalid Access Token$/);
      const result = (await signIn(clientId, "ann")).AuthenticationResult!;
      await rejectsWith(getUser(result.IdToken!), "NotAuthorizedException", 400, /^Invalid Access Token$/);
      const [header, payload, signature] = result.AccessToken!.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, username: "someone-else" })).toString(
        "base64url",
      );
      await rejectsWith(
        getUser(`${header}.${forged}.${signature}`),
        "NotAuthorizedException",
        400,
        /^Invalid Access Token$/,
      );
    });

    test("an access token expires after its validity (an hour by default)", async () => {
      const { token } = await signedIn();
      try {
        await setClockOffset(server, 3_590_000);
        assert.equal((await getUser(token)).Username, "ann");
        await setClockOffset(server, 3_601_000);
        await rejectsWith(getUser(token), "NotAuthorizedException", 400, /^Access Token has expired$/);
      } finally {
        await setClockOffset(server, 0);
      }
    });
  });

  describe("UpdateUserAttributes", () => {
    test("a changed email is unverified and gets a code when the pool verifies email", async () => {
      const { poolId, token } = await signedIn(verifiedEmail("ann@example.com"), {
        AutoVerifiedAttributes: ["email"],
      });
      const out = await update(token, [
        { Name: "email", Value: "new@example.com" },
        { Name: "given_name", Value: "Annie" },
      ]);
      assert.deepEqual(out.CodeDeliveryDetailsList, [
        { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" },
      ]);
      assert.deepEqual(await adminAttrs(poolId, "ann"), {
        sub: (await adminAttrs(poolId, "ann")).sub,
        email: "new@example.com",
        email_verified: "false",
        given_name: "Annie",
      });
      const [message] = await inbox(server, { poolId });
      assert.equal(message?.purpose, "update_attribute");
      assert.equal(message?.destination, "new@example.com");
      assert.equal(message?.body, `Your verification code is ${message?.code}. `);

      await client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: message!.code }),
      );
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
    });

    test("without auto-verification the change is unverified and no code is sent", async () => {
      const { poolId, token } = await signedIn(verifiedEmail("ann@example.com"));
      const out = await update(token, [{ Name: "email", Value: "other@example.com" }]);
      assert.equal(out.CodeDeliveryDetailsList, undefined);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "false");
      assert.deepEqual(await inbox(server, { poolId }), []);
    });

    test("an empty value deletes the attribute", async () => {
      const { poolId, token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      await update(token, [{ Name: "given_name", Value: "" }]);
      assert.equal((await adminAttrs(poolId, "ann")).given_name, undefined);
    });

    test("users cannot mark their own email verified, nor write what the client may not", async () => {
      const poolId = await pool({ Schema: [{ Name: "team", AttributeDataType: "String" }] });
      const open = await appClient(poolId);
      const narrow = await appClient(poolId, { WriteAttributes: ["given_name"] });
      await user(poolId, "ann", [{ Name: "email", Value: "ann@example.com" }]);
      const before = await adminAttrs(poolId, "ann");
      const token = await accessToken(open, "ann");
      await rejectsWith(
        update(token, [
          { Name: "given_name", Value: "Ann" },
          { Name: "email_verified", Value: "true" },
        ]),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      await rejectsWith(
        update(await accessToken(narrow, "ann"), [{ Name: "custom:team", Value: "red" }]),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      // Bad input changes nothing.
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
      await update(token, [{ Name: "custom:team", Value: "red" }]);
      assert.equal((await adminAttrs(poolId, "ann"))["custom:team"], "red");
    });

    test("attributes outside the schema or malformed values are refused", async () => {
      const { poolId, token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      const before = await adminAttrs(poolId, "ann");
      await rejectsWith(
        update(token, [
          { Name: "given_name", Value: "Changed" },
          { Name: "custom:nope", Value: "x" },
        ]),
        "InvalidParameterException",
        400,
        /custom:nope: Attribute does not exist in the schema/,
      );
      await rejectsWith(
        update(token, [{ Name: "email", Value: "not-an-email" }]),
        "InvalidParameterException",
        400,
        /Invalid email address format/,
      );
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
    });

    test("with AttributesRequireVerificationBeforeUpdate the original email stays until the new one is verified", async () => {
      const { poolId, clientId, token } = await signedIn(verifiedEmail("ann@example.com"), {
        AliasAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
      });
      const out = await update(token, [{ Name: "email", Value: "new@example.com" }]);
      assert.equal(out.CodeDeliveryDetailsList?.[0]?.Destination, "n***@e***");
      assert.equal((await adminAttrs(poolId, "ann")).email, "ann@example.com");
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
      // The original address still signs in.
      assert.ok((await signIn(clientId, "ann@example.com")).AuthenticationResult);
      const code = await latestCode(server, { poolId, destination: "new@example.com" });
      await rejectsWith(
        client.send(
          new VerifyUserAttributeCommand({
            AccessToken: token,
            AttributeName: "email",
            Code: code === "000000" ? "111111" : "000000",
          }),
        ),
        "CodeMismatchException",
        400,
      );
      assert.equal((await adminAttrs(poolId, "ann")).email, "ann@example.com");
      await client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
      );
      const now = await adminAttrs(poolId, "ann");
      assert.equal(now.email, "new@example.com");
      assert.equal(now.email_verified, "true");
      assert.ok((await signIn(clientId, "new@example.com")).AuthenticationResult);
    });
  });

  describe("DeleteUserAttributes", () => {
    test("deletes the named attributes, with the verified flag of an email", async () => {
      const { poolId, token } = await signedIn([
        ...verifiedEmail("ann@example.com"),
        { Name: "given_name", Value: "Ann" },
      ]);
      await client.send(
        new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ["given_name", "email"] }),
      );
      const now = await adminAttrs(poolId, "ann");
      assert.deepEqual(Object.keys(now), ["sub"]);
    });

    test("refuses required, unknown and unwritable attributes, changing nothing", async () => {
      const poolId = await pool({
        Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
      });
      const open = await appClient(poolId);
      const narrow = await appClient(poolId, { WriteAttributes: ["email", "given_name"] });
      await user(poolId, "ann", [
        { Name: "email", Value: "ann@example.com" },
        { Name: "family_name", Value: "Smith" },
      ]);
      const token = await accessToken(open, "ann");
      const before = await adminAttrs(poolId, "ann");
      const del = (names: string[], accessToken = token) =>
        client.send(new DeleteUserAttributesCommand({ AccessToken: accessToken, UserAttributeNames: names }));
      await rejectsWith(
        del(["family_name", "email"]),
        "InvalidParameterException",
        400,
        /required attribute/,
      );
      await rejectsWith(del(["custom:nope"]), "InvalidParameterException", 400, /Invalid attribute name/);
      await rejectsWith(
        del(["family_name"], await accessToken(narrow, "ann")),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
    });
  });

  describe("GetUserAttributeVerificationCode and VerifyUserAttribute", () => {
    const getCode = (token: string, name: string) =>
      client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: name }));
    const verify = (token: string, name: string, code: string) =>
      client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: name, Code: code }));

    test("a code by email verifies the email; it works once", async () => {
      const { poolId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      const out = await getCode(token, "email");
      assert.deepEqual(out.CodeDeliveryDetails, {
        Destination: "a***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      const [message] = await inbox(server, { poolId });
      assert.equal(message?.purpose, "verify_attribute");
      assert.equal(message?.destination, "ann@example.com");
      const wrong = message!.code === "000000" ? "111111" : "000000";
      await rejectsWith(
        verify(token, "email", wrong),
        "CodeMismatchException",
        400,
        /^Invalid verification code provided, please try again\.$/,
      );
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, undefined);
      await verify(token, "email", message!.code);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
      await rejectsWith(verify(token, "email", message!.code), "ExpiredCodeException", 400);
    });

    test("a code by SMS verifies the phone number", async () => {
      const { poolId, token } = await signedIn([{ Name: "phone_number", Value: "+15555550123" }]);
      const out = await getCode(token, "phone_number");
      assert.deepEqual(out.CodeDeliveryDetails, {
        Destination: "+*******0123",
        DeliveryMedium: "SMS",
        AttributeName: "phone_number",
      });
      await verify(token, "phone_number", await latestCode(server, { poolId }));
      assert.equal((await adminAttrs(poolId, "ann")).phone_number_verified, "true");
    });

    test("only an email or phone number the user has can be verified", async () => {
      const { token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      await rejectsWith(getCode(token, "given_name"), "InvalidParameterException", 400);
      await rejectsWith(getCode(token, "phone_number"), "InvalidParameterException", 400);
      await rejectsWith(verify(token, "given_name", "123456"), "InvalidParameterException", 400);
    });

    test("a code expires after 24 hours", async () => {
      const { poolId, clientId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      await getCode(token, "email");
      const code = await latestCode(server, { poolId });
      try {
        await setClockOffset(server, 24 * 3_600_000 + 1000);
        // The access token has expired by then: sign in again.
        const fresh = await accessToken(clientId, "ann");
        await rejectsWith(verify(fresh, "email", code), "ExpiredCodeException", 400);
      } finally {
        await setClockOffset(server, 0);
      }
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, undefined);
    });

    test("a code sent to an earlier email does not verify a changed one", async () => {
      const { poolId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      await getCode(token, "email");
      const code = await latestCode(server, { poolId, destination: "ann@example.com" });
      await update(token, [{ Name: "email", Value: "new@example.com" }]);
      await rejectsWith(verify(token, "email", code), "ExpiredCodeException", 400);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "false");
    });
  });

  describe("ChangePassword", () => {
    const change = (token: string, previous: string, proposed: string) =>
      client.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: previous,
          ProposedPassword: proposed,
        }),
      );

    test("the new password signs in (USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH), the old one not", async () => {
      const { poolId, clientId, token } = await signedIn();
      await change(token, PASSWORD, "Brand-n3w-pass!");
      assert.ok((await signIn(clientId, "ann", "Brand-n3w-pass!")).AuthenticationResult?.AccessToken);
      const admin = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ann", PASSWORD: "Brand-n3w-pass!" },
        }),
      );
      assert.ok(admin.AuthenticationResult?.AccessToken);
      await rejectsWith(
        signIn(clientId, "ann", PASSWORD),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
      // The session that changed the password stays signed in.
      assert.equal((await getUser(token)).Username, "ann");
    });

    test("a wrong previous password or a weak new one changes nothing", async () => {
      const { clientId, token } = await signedIn();
      await rejectsWith(
        change(token, "Wrong-passw0rd!", "Brand-n3w-pass!"),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
      await rejectsWith(
        change(token, PASSWORD, "short"),
        "InvalidPasswordException",
        400,
        /^Password does not conform to policy: Password not long enough$/,
      );
      assert.ok((await signIn(clientId, "ann")).AuthenticationResult);
    });

    test("the pool's password history applies", async () => {
      const { token } = await signedIn([], {
        Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } },
      });
      await rejectsWith(change(token, PASSWORD, PASSWORD), "PasswordHistoryPolicyViolationException", 400);
      await change(token, PASSWORD, "Second-pass-2");
      await rejectsWith(
        change(token, "Second-pass-2", PASSWORD),
        "PasswordHistoryPolicyViolationException",
        400,
      );
      await change(token, "Second-pass-2", "Third-pass-3");
    });

    test("wrong previous passwords count like failed sign-ins: then LimitExceededException", async () => {
      const { clientId, token } = await signedIn();
      for (let i = 0; i < 5; i++)
        await rejectsWith(
          change(token, `Wrong-pass-${i}!`, "Brand-n3w-pass!"),
          "NotAuthorizedException",
          400,
        );
      await rejectsWith(
        change(token, PASSWORD, "Brand-n3w-pass!"),
        "LimitExceededException",
        400,
        /^Attempt limit exceeded, please try after some time\.$/,
      );
      await rejectsWith(
        signIn(clientId, "ann"),
        "NotAuthorizedException",
        400,
        /^Password attempts exceeded$/,
      );
      try {
        await setClockOffset(server, 2000);
        await change(token, PASSWORD, "Brand-n3w-pass!");
      } finally {
        await setClockOffset(server, 0);
      }
      assert.ok((await signIn(clientId, "ann", "Brand-n3w-pass!")).AuthenticationResult);
    });
  });

  describe("DeleteUser", () => {
    test("deletes the account: its tokens, sign-in and the admin view go with it", async () => {
      const { poolId, clientId, token } = await signedIn();
      await client.send(new DeleteUserCommand({ AccessToken: token }));
      await rejectsWith(
        client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" })),
        "UserNotFoundException",
        400,
      );
      await assert.rejects(getUser(token));
      await assert.rejects(signIn(clientId, "ann"));
    });
  });
});
