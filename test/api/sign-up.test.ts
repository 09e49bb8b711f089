import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { secretHash } from "../../src/crypto/secret-hash.ts";
import { rejectsWith } from "../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../support/inbox.ts";
import { poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const attr = (list: AttributeType[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;
const PASSWORD = "Corr3ct-Horse";

describe("sign-up", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  /** A pool (auto-verifying email unless told otherwise) and an app client of it. */
  const setup = async (
    extra: Partial<CreateUserPoolCommandInput> = {},
    clientExtra: Partial<CreateUserPoolClientCommandInput> = {},
  ) => {
    const { poolId, clientId, app } = await poolWithClient(client, {
      pool: { PoolName: "sign-up", AutoVerifiedAttributes: ["email"], ...extra },
      app: clientExtra,
    });
    return { poolId, clientId, secret: app.ClientSecret };
  };
  const getUser = (poolId: string, username: string) =>
    client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const signUp = (clientId: string, username: string, email: string, password = PASSWORD) =>
    client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: password,
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    );
  const confirm = (clientId: string, username: string, code: string, force?: boolean) =>
    client.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        ForceAliasCreation: force,
      }),
    );

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
  });
  after(() => server.stop());

  test("SignUp refuses a developer-only attribute, which only administrators write", async () => {
    const { poolId, clientId } = await setup({
      Schema: [{ Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true }],
    });
    for (const name of ["dev:custom:secret", "custom:secret"])
      await rejectsWith(
        client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "dana",
            Password: PASSWORD,
            UserAttributes: [
              { Name: "email", Value: "dana@example.com" },
              { Name: name, Value: "x" },
            ],
          }),
        ),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
    assert.equal((await client.send(new ListUsersCommand({ UserPoolId: poolId }))).Users?.length, 0);
  });

  test("SignUp sends a code to the auto-verified email; ConfirmSignUp confirms and verifies it", async () => {
    const { poolId, clientId } = await setup();
    const out = await signUp(clientId, "alice", "alice@example.com");
    assert.equal(out.UserConfirmed, false);
    assert.match(out.UserSub ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });

    const [message, ...others] = await inbox(server, { poolId });
    assert.equal(others.length, 0);
    assert.equal(message?.destination, "alice@example.com");
    assert.equal(message?.channel, "EMAIL");
    assert.equal(message?.subject, "Your verification code");
    assert.match(message?.code ?? "", /^\d{6}$/);
    assert.equal(message?.body, `Your verification code is ${message?.code}. `);

    const before = await getUser(poolId, "alice");
    assert.equal(before.UserStatus, "UNCONFIRMED");
    assert.equal(attr(before.UserAttributes, "sub"), out.UserSub);
    assert.equal(attr(before.UserAttributes, "email_verified"), "false");

    await confirm(clientId, "alice", message!.code);
    const after = await getUser(poolId, "alice");
    assert.equal(after.UserStatus, "CONFIRMED");
    assert.equal(attr(after.UserAttributes, "email_verified"), "true");

    await rejectsWith(
      confirm(clientId, "alice", message!.code),
      "NotAuthorizedException",
      400,
      /^User cannot be confirmed\. Current status is CONFIRMED$/,
    );
  });

  test("a wrong code is CodeMismatchException and changes nothing", async () => {
    const { poolId, clientId } = await setup();
    await signUp(clientId, "bob", "bob@example.com");
    const code = await latestCode(server, { poolId, username: "bob" });
    const wrong = code === "000000" ? "111111" : "000000";
    await rejectsWith(
      confirm(clientId, "bob", wrong),
      "CodeMismatchException",
      400,
      /^Invalid verification code provided, please try again\.$/,
    );
    assert.equal((await getUser(poolId, "bob")).UserStatus, "UNCONFIRMED");
    await confirm(clientId, "bob", code);
    assert.equal((await getUser(poolId, "bob")).UserStatus, "CONFIRMED");
  });

  test("after five wrong codes the code is void: LimitExceededException, even for the right code", async () => {
    const { poolId, clientId } = await setup();
    await signUp(clientId, "carl", "carl@example.com");
    const code = await latestCode(server, { poolId });
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++)
      await rejectsWith(confirm(clientId, "carl", wrong), "CodeMismatchException", 400);
    await rejectsWith(
      confirm(clientId, "carl", code),
      "LimitExceededException",
      400,
      /^Attempt limit exceeded, please try after some time\.$/,
    );
    assert.equal((await getUser(poolId, "carl")).UserStatus, "UNCONFIRMED");

    // A new code replaces the void one.
    await client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "carl" }));
    await confirm(clientId, "carl", await latestCode(server, { poolId }));
    assert.equal((await getUser(poolId, "carl")).UserStatus, "CONFIRMED");
  });

  test("ResendConfirmationCode replaces the code: the old one no longer works", async () => {
    const { poolId, clientId } = await setup({
      VerificationMessageTemplate: {
        EmailSubject: "Welcome to Acme",
        EmailMessage: "Acme code: {####} ({username})",
      },
    });
    await signUp(clientId, "dora", "dora@example.com");
    const first = await latestCode(server, { poolId });
    const resent = await client.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "dora" }),
    );
    assert.deepEqual(resent.CodeDeliveryDetails, {
      Destination: "d***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const messages = await inbox(server, { poolId });
    assert.equal(messages.length, 2);
    const [newest] = messages;
    assert.equal(newest?.purpose, "resend_code");
    assert.equal(newest?.subject, "Welcome to Acme");
    // {username} is no placeholder of verification messages.
    assert.equal(newest?.body, `Acme code: ${newest?.code} ({username})`);
    if (first !== newest?.code)
      await rejectsWith(confirm(clientId, "dora", first), "CodeMismatchException", 400);
    await confirm(clientId, "dora", newest!.code);
    assert.equal((await getUser(poolId, "dora")).UserStatus, "CONFIRMED");
    await rejectsWith(
      client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "dora" })),
      "InvalidParameterException",
      400,
      /^User is already confirmed\.$/,
    );
  });

  test("a sign-up code expires after 24 hours", async () => {
    const { poolId, clientId } = await setup();
    await signUp(clientId, "eve", "eve@example.com");
    await signUp(clientId, "fay", "fay@example.com");
    const eveCode = await latestCode(server, { poolId, username: "eve" });
    const fayCode = await latestCode(server, { poolId, username: "fay" });
    try {
      await setClockOffset(server, 23 * 3600_000 + 59 * 60_000);
      await confirm(clientId, "eve", eveCode);
      await setClockOffset(server, 24 * 3600_000 + 60_000);
      await rejectsWith(
        confirm(clientId, "fay", fayCode),
        "ExpiredCodeException",
        400,
        /^Invalid code provided, please request a code again\.$/,
      );
    } finally {
      await setClockOffset(server, 0);
    }
    assert.equal((await getUser(poolId, "eve")).UserStatus, "CONFIRMED");
    assert.equal((await getUser(poolId, "fay")).UserStatus, "UNCONFIRMED");
  });

  test("SignUp refuses what Cognito refuses, and a refused sign-up creates nothing", async () => {
    const { poolId, clientId } = await setup({
      Schema: [{ Name: "given_name", Required: true }],
    });
    await rejectsWith(
      signUp(clientId, "gil", "gil@example.com"),
      "InvalidParameterException",
      400,
      /^Attributes did not conform to the schema: given_name: The attribute is required\n$/,
    );
    await rejectsWith(
      client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "gil",
          Password: "weak",
          UserAttributes: [
            { Name: "email", Value: "gil@example.com" },
            { Name: "given_name", Value: "Gil" },
          ],
        }),
      ),
      "InvalidPasswordException",
      400,
    );
    await rejectsWith(
      client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "gil",
          Password: PASSWORD,
          UserAttributes: [
            { Name: "given_name", Value: "Gil" },
            { Name: "email", Value: "gil@example.com" },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      ),
      "NotAuthorizedException",
      400,
      /^A client attempted to write unauthorized attribute$/,
    );
    assert.equal((await client.send(new ListUsersCommand({ UserPoolId: poolId }))).Users?.length, 0);
    assert.equal((await inbox(server, { poolId })).length, 0);

    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "gil",
        Password: PASSWORD,
        UserAttributes: [
          { Name: "given_name", Value: "Gil" },
          { Name: "email", Value: "gil@example.com" },
        ],
      }),
    );
    await rejectsWith(
      client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "gil",
          Password: PASSWORD,
          UserAttributes: [{ Name: "given_name", Value: "Gil" }],
        }),
      ),
      "UsernameExistsException",
      400,
      /^User already exists$/,
    );
    await rejectsWith(
      client.send(
        new SignUpCommand({ ClientId: "nosuchclient0000000000000a", Username: "x", Password: PASSWORD }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("AllowAdminCreateUserOnly pools refuse SignUp", async () => {
    const { clientId } = await setup({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    await rejectsWith(
      signUp(clientId, "hal", "hal@example.com"),
      "NotAuthorizedException",
      400,
      /^SignUp is not permitted for this user pool$/,
    );
  });

  test("clients with a secret need SECRET_HASH", async () => {
    const { poolId, clientId, secret } = await setup({}, { GenerateSecret: true });
    await rejectsWith(
      signUp(clientId, "ida", "ida@example.com"),
      "NotAuthorizedException",
      400,
      /is configured for secret but secret was not received/,
    );
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ida",
        Password: PASSWORD,
        SecretHash: secretHash(secret!, "ida", clientId),
        UserAttributes: [{ Name: "email", Value: "ida@example.com" }],
      }),
    );
    const code = await latestCode(server, { poolId });
    await rejectsWith(
      client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "ida", ConfirmationCode: code })),
      "NotAuthorizedException",
      400,
    );
    await client.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "ida",
        ConfirmationCode: code,
        SecretHash: secretHash(secret!, "ida", clientId),
      }),
    );
    assert.equal((await getUser(poolId, "ida")).UserStatus, "CONFIRMED");
  });

  test("in pools that sign in by email, the email is the username and is unique", async () => {
    const { poolId, clientId } = await setup({ UsernameAttributes: ["email"] });
    const out = await client.send(
      new SignUpCommand({ ClientId: clientId, Username: "jo@example.com", Password: PASSWORD }),
    );
    const user = await getUser(poolId, "jo@example.com");
    assert.equal(user.Username, out.UserSub);
    assert.equal(attr(user.UserAttributes, "email"), "jo@example.com");
    await rejectsWith(
      client.send(new SignUpCommand({ ClientId: clientId, Username: "jo@example.com", Password: PASSWORD })),
      "UsernameExistsException",
      400,
      /^An account with the given email already exists\.$/,
    );
    await confirm(clientId, "jo@example.com", await latestCode(server, { destination: "jo@example.com" }));
    assert.equal((await getUser(poolId, "jo@example.com")).UserStatus, "CONFIRMED");
  });

  test("a pool that verifies phone numbers sends the code by SMS", async () => {
    const { poolId, clientId } = await setup({
      AutoVerifiedAttributes: ["email", "phone_number"],
      SmsVerificationMessage: "Code {####}",
    });
    const out = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "kai",
        Password: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: "kai@example.com" },
          { Name: "phone_number", Value: "+12065551234" },
        ],
      }),
    );
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: "+*******1234",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
    const [sms] = await inbox(server, { poolId });
    assert.equal(sms?.channel, "SMS");
    assert.equal(sms?.destination, "+12065551234");
    assert.equal(sms?.subject, undefined);
    assert.equal(sms?.body, `Code ${sms?.code}`);
    await confirm(clientId, "kai", sms!.code);
    const user = await getUser(poolId, "kai");
    assert.equal(attr(user.UserAttributes, "phone_number_verified"), "true");
    assert.equal(attr(user.UserAttributes, "email_verified"), "false");
  });

  test("without auto-verified attributes no code is sent and none can be resent", async () => {
    const { poolId, clientId } = await setup({ AutoVerifiedAttributes: [] });
    const out = await signUp(clientId, "lea", "lea@example.com");
    assert.equal(out.CodeDeliveryDetails, undefined);
    assert.equal((await inbox(server, { poolId })).length, 0);
    await rejectsWith(
      client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "lea" })),
      "NotAuthorizedException",
      400,
      /^Cannot resend codes\. Auto verification not turned on\.$/,
    );
  });

  test("confirming an email alias another user holds needs ForceAliasCreation", async () => {
    const { poolId, clientId } = await setup({ AliasAttributes: ["email"] });
    await signUp(clientId, "max", "shared@example.com");
    await confirm(clientId, "max", await latestCode(server, { poolId, username: "max" }));
    await signUp(clientId, "nia", "shared@example.com");
    const code = await latestCode(server, { poolId, username: "nia" });
    await rejectsWith(confirm(clientId, "nia", code), "AliasExistsException", 400);
    assert.equal((await getUser(poolId, "nia")).UserStatus, "UNCONFIRMED");
    // The refused confirmation left the code unused.
    await confirm(clientId, "nia", code, true);
    assert.equal((await getUser(poolId, "nia")).UserStatus, "CONFIRMED");
    assert.equal(attr((await getUser(poolId, "max")).UserAttributes, "email_verified"), "false");
    assert.equal((await getUser(poolId, "shared@example.com")).Username, "nia");
  });

  test("PreventUserExistenceErrors hides unknown users from ConfirmSignUp and ResendConfirmationCode", async () => {
    const legacy = await setup();
    await rejectsWith(
      confirm(legacy.clientId, "nobody", "123456"),
      "UserNotFoundException",
      400,
      /^Username\/client id combination not found\.$/,
    );
    await rejectsWith(
      client.send(new ResendConfirmationCodeCommand({ ClientId: legacy.clientId, Username: "nobody" })),
      "UserNotFoundException",
      400,
    );

    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: "ENABLED" });
    await rejectsWith(confirm(clientId, "nobody", "123456"), "CodeMismatchException", 400);
    const first = await client.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody" }),
    );
    const again = await client.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody" }),
    );
    assert.equal(first.CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    assert.equal(first.CodeDeliveryDetails?.AttributeName, "email");
    assert.match(first.CodeDeliveryDetails?.Destination ?? "", /^[a-z]\*\*\*@[a-z]\*\*\*$/);
    assert.deepEqual(again.CodeDeliveryDetails, first.CodeDeliveryDetails);
    const byEmail = await client.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody@example.org" }),
    );
    assert.equal(byEmail.CodeDeliveryDetails?.Destination, "n***@e***");
    assert.equal((await inbox(server, { poolId })).length, 0);
  });
});
