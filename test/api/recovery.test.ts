import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const OLD_PASSWORD = "Old-Passw0rd";
const NEW_PASSWORD = "New-Passw0rd";

describe("password recovery", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  const setup = async (
    extra: Partial<CreateUserPoolCommandInput> = {},
    clientExtra: Partial<CreateUserPoolClientCommandInput> = {},
  ) => {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { PoolName: "recovery", ...extra },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], ...clientExtra },
    });
    return { poolId, clientId };
  };
  /** A CONFIRMED user with a password and the given attributes. */
  const user = (poolId: string, username: string, attributes: AttributeType[]) =>
    confirmedUser(client, poolId, username, OLD_PASSWORD, attributes);
  const verifiedEmail = (email: string): AttributeType[] => [
    { Name: "email", Value: email },
    { Name: "email_verified", Value: "true" },
  ];
  const forgot = (clientId: string, username: string) =>
    client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const confirmForgot = (clientId: string, username: string, code: string, password = NEW_PASSWORD) =>
    client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        Password: password,
      }),
    );
  const signIn = (clientId: string, username: string, password: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const status = async (poolId: string, username: string) =>
    (await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
  });
  after(() => server.stop());

  test("ForgotPassword mails a code; ConfirmForgotPassword sets the new password", async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, "amy", verifiedEmail("amy@example.com"));
    const out = await forgot(clientId, "amy");
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [message] = await inbox(server, { poolId });
    assert.equal(message?.purpose, "forgot_password");
    assert.equal(message?.destination, "amy@example.com");
    assert.equal(message?.subject, "Your verification code");
    assert.equal(message?.body, `Your password reset code is ${message?.code}`);
    assert.equal(await status(poolId, "amy"), "CONFIRMED");

    await confirmForgot(clientId, "amy", message!.code);
    assert.equal(await status(poolId, "amy"), "CONFIRMED");
    assert.ok((await signIn(clientId, "amy", NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    await rejectsWith(signIn(clientId, "amy", OLD_PASSWORD), "NotAuthorizedException", 400);

    // Single use.
    await rejectsWith(
      confirmForgot(clientId, "amy", message!.code, "Another-Passw0rd"),
      "ExpiredCodeException",
      400,
      /^Invalid code provided, please request a code again\.$/,
    );
  });

  test("ConfirmForgotPassword ends a sign-in lockout and leaves issued tokens valid", async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, "ada", verifiedEmail("ada@example.com"));
    const session = await signIn(clientId, "ada", OLD_PASSWORD);
    const refreshToken = session.AuthenticationResult?.RefreshToken;
    assert.ok(refreshToken);
    await forgot(clientId, "ada");
    const code = await latestCode(server, { poolId });
    for (let i = 0; i < 5; i++)
      await rejectsWith(signIn(clientId, "ada", "Wrong-Passw0rd"), "NotAuthorizedException", 400);
    try {
      // Ten minutes back, the lockout that began now lasts: no waiting on real time.
      await setClockOffset(server, -10 * 60_000);
      await rejectsWith(
        signIn(clientId, "ada", OLD_PASSWORD),
        "NotAuthorizedException",
        400,
        /^Password attempts exceeded$/,
      );
      await confirmForgot(clientId, "ada", code);
      assert.ok((await signIn(clientId, "ada", NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    } finally {
      await setClockOffset(server, 0);
    }
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);
  });

  test("a password that breaks the policy is refused and leaves the code usable", async () => {
    const { poolId, clientId } = await setup({
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, PasswordHistorySize: 2 } },
    });
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "ben",
        UserAttributes: verifiedEmail("ben@example.com"),
        MessageAction: "SUPPRESS",
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "ben",
        Password: "first-pass-1",
        Permanent: true,
      }),
    );
    await forgot(clientId, "ben");
    const code = await latestCode(server, { poolId });
    await rejectsWith(
      confirmForgot(clientId, "ben", code, "short-1"),
      "InvalidPasswordException",
      400,
      /^Password does not conform to policy: Password not long enough$/,
    );
    await rejectsWith(
      confirmForgot(clientId, "ben", code, "no-digits-here"),
      "InvalidPasswordException",
      400,
      /Password must have numeric characters/,
    );
    await rejectsWith(
      confirmForgot(clientId, "ben", code, "first-pass-1"),
      "PasswordHistoryPolicyViolationException",
      400,
    );
    await confirmForgot(clientId, "ben", code, "second-pass-2");
    assert.ok((await signIn(clientId, "ben", "second-pass-2")).AuthenticationResult);
  });

  test("wrong codes count: five, then LimitExceededException until a new code is sent", async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, "cat", verifiedEmail("cat@example.com"));
    await rejectsWith(confirmForgot(clientId, "cat", "123456"), "ExpiredCodeException", 400);
    await forgot(clientId, "cat");
    const code = await latestCode(server, { poolId });
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++)
      await rejectsWith(
        confirmForgot(clientId, "cat", wrong),
        "CodeMismatchException",
        400,
        /^Invalid verification code provided, please try again\.$/,
      );
    await rejectsWith(
      confirmForgot(clientId, "cat", code),
      "LimitExceededException",
      400,
      /^Attempt limit exceeded, please try after some time\.$/,
    );
    assert.ok((await signIn(clientId, "cat", OLD_PASSWORD)).AuthenticationResult);
    await forgot(clientId, "cat");
    await confirmForgot(clientId, "cat", await latestCode(server, { poolId }));
    assert.ok((await signIn(clientId, "cat", NEW_PASSWORD)).AuthenticationResult);
  });

  test("a forgot-password code is valid for one hour", async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, "dan", verifiedEmail("dan@example.com"));
    await user(poolId, "dee", verifiedEmail("dee@example.com"));
    await forgot(clientId, "dan");
    await forgot(clientId, "dee");
    const danCode = await latestCode(server, { poolId, username: "dan" });
    const deeCode = await latestCode(server, { poolId, username: "dee" });
    try {
      await setClockOffset(server, 59 * 60_000);
      await confirmForgot(clientId, "dan", danCode);
      await setClockOffset(server, 61 * 60_000);
      await rejectsWith(confirmForgot(clientId, "dee", deeCode), "ExpiredCodeException", 400);
    } finally {
      await setClockOffset(server, 0);
    }
    assert.ok((await signIn(clientId, "dan", NEW_PASSWORD)).AuthenticationResult);
    assert.ok((await signIn(clientId, "dee", OLD_PASSWORD)).AuthenticationResult);
  });

  test("the code goes where AccountRecoverySetting says, verified attributes only", async () => {
    const { poolId, clientId } = await setup({
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: "verified_phone_number", Priority: 1 },
          { Name: "verified_email", Priority: 2 },
        ],
      },
    });
    await user(poolId, "eli", [
      ...verifiedEmail("eli@example.com"),
      { Name: "phone_number", Value: "+447700900123" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await user(poolId, "fin", [
      ...verifiedEmail("fin@example.com"),
      { Name: "phone_number", Value: "+447700900124" },
    ]);
    await user(poolId, "gus", [{ Name: "email", Value: "gus@example.com" }]);

    const eli = await forgot(clientId, "eli");
    assert.deepEqual(eli.CodeDeliveryDetails, {
      Destination: "+********0123",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
    assert.equal((await inbox(server, { username: "eli" }))[0]?.channel, "SMS");
    const fin = await forgot(clientId, "fin");
    assert.equal(fin.CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    await rejectsWith(
      forgot(clientId, "gus"),
      "InvalidParameterException",
      400,
      /^Cannot reset password for the user as there is no registered\/verified email or phone_number$/,
    );

    const adminOnly = await setup({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] },
    });
    await user(adminOnly.poolId, "hap", verifiedEmail("hap@example.com"));
    await rejectsWith(forgot(adminOnly.clientId, "hap"), "NotAuthorizedException", 400);
  });

  test("LEGACY clients say why; PreventUserExistenceErrors clients answer alike for everyone", async () => {
    const legacy = await setup();
    await user(legacy.poolId, "ivy", verifiedEmail("ivy@example.com"));
    await client.send(new AdminDisableUserCommand({ UserPoolId: legacy.poolId, Username: "ivy" }));
    await user(legacy.poolId, "jon", [{ Name: "email", Value: "jon@example.com" }]);
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: legacy.poolId,
        Username: "kit",
        UserAttributes: verifiedEmail("kit@example.com"),
        MessageAction: "SUPPRESS",
      }),
    );
    await rejectsWith(
      forgot(legacy.clientId, "nobody"),
      "UserNotFoundException",
      400,
      /^Username\/client id combination not found\.$/,
    );
    await rejectsWith(forgot(legacy.clientId, "ivy"), "NotAuthorizedException", 400, /^User is disabled\.$/);
    await rejectsWith(forgot(legacy.clientId, "jon"), "InvalidParameterException", 400);
    await rejectsWith(
      forgot(legacy.clientId, "kit"),
      "NotAuthorizedException",
      400,
      /^User password cannot be reset in the current state\.$/,
    );
    await rejectsWith(confirmForgot(legacy.clientId, "nobody", "123456"), "UserNotFoundException", 400);
    await rejectsWith(confirmForgot(legacy.clientId, "ivy", "123456"), "NotAuthorizedException", 400);

    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: "ENABLED" });
    await user(poolId, "ivy", verifiedEmail("ivy@example.com"));
    await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "ivy" }));
    await user(poolId, "jon", [{ Name: "email", Value: "jon@example.com" }]);
    for (const name of ["nobody", "ivy", "jon"]) {
      const first = await forgot(clientId, name);
      const again = await forgot(clientId, name);
      assert.equal(first.CodeDeliveryDetails?.DeliveryMedium, "EMAIL", name);
      assert.equal(first.CodeDeliveryDetails?.AttributeName, "email", name);
      assert.match(first.CodeDeliveryDetails?.Destination ?? "", /^[a-z]\*\*\*@[a-z]\*\*\*$/, name);
      assert.deepEqual(again.CodeDeliveryDetails, first.CodeDeliveryDetails, name);
    }
    // Unknown and disabled users, and a user who was sent no code: CodeMismatchException alike (an
    // ExpiredCodeException for the last would tell a real user from an unknown name).
    await rejectsWith(confirmForgot(clientId, "nobody", "123456"), "CodeMismatchException", 400);
    await rejectsWith(confirmForgot(clientId, "ivy", "123456"), "CodeMismatchException", 400);
    await rejectsWith(confirmForgot(clientId, "jon", "123456"), "CodeMismatchException", 400);
    assert.equal(
      (await forgot(clientId, "someone@example.net")).CodeDeliveryDetails?.Destination,
      "s***@e***",
    );
    // Nothing was sent to anyone, and the password policy answers first for everyone.
    assert.equal((await inbox(server, { poolId })).length, 0);
    await rejectsWith(confirmForgot(clientId, "nobody", "123456", "weak"), "InvalidPasswordException", 400);
  });

  test("AdminResetUserPassword sends a code; ConfirmForgotPassword with it confirms the user", async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, "lou", verifiedEmail("lou@example.com"));
    await client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "lou" }));
    assert.equal(await status(poolId, "lou"), "RESET_REQUIRED");
    const [message] = await inbox(server, { poolId });
    assert.equal(message?.purpose, "forgot_password");
    assert.equal(message?.destination, "lou@example.com");
    await confirmForgot(clientId, "lou", message!.code);
    assert.equal(await status(poolId, "lou"), "CONFIRMED");
    assert.ok((await signIn(clientId, "lou", NEW_PASSWORD)).AuthenticationResult);

    // Without a verified address the status changes, and nothing is sent.
    await user(poolId, "mia", [{ Name: "email", Value: "mia@example.com" }]);
    await client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "mia" }));
    assert.equal(await status(poolId, "mia"), "RESET_REQUIRED");
    assert.equal((await inbox(server, { poolId, username: "mia" })).length, 0);
  });
});
