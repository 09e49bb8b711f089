/**
 * PreSignUp and PostConfirmation through the AWS SDK: the events as Cognito documents them
 * (triggerSource, userName, callerContext, userAttributes as strings, validationData,
 * clientMetadata), autoConfirmUser / autoVerifyEmail / autoVerifyPhone, a refused sign-up that stores
 * nothing, and a PostConfirmation failure that leaves the confirmation standing. Also Cognito's
 * error mapping for every way a function can fail (a throw, a timeout, a bad answer, no mapping).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from "aws-lambda";
import { inbox, latestCode } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, failsWith, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";

describe("PreSignUp and PostConfirmation", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    t = await startTriggerServer(
      {
        [arn("record")]: { module: join(FIXTURES, "record.ts") },
        [arn("throws")]: { module: join(FIXTURES, "throws.ts") },
        [arn("loops")]: { module: join(FIXTURES, "loops.ts") },
        [arn("garbage")]: { module: join(FIXTURES, "garbage.ts") },
      },
      ["--memory", "--delivery", "inbox", "--enable-test-clock"],
    );
    client = t.server.client();
  });
  after(() => t.stop());

  const pool = (lambda: Record<string, string>) =>
    poolWithClient(client, { pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: lambda } });
  const usernames = async (poolId: string) =>
    ((await client.send(new ListUsersCommand({ UserPoolId: poolId }))).Users ?? []).map((u) => u.Username);

  test("SignUp: the PreSignUp_SignUp event, and a user waiting for its code", async () => {
    const { poolId, clientId } = await pool({ PreSignUp: arn("record") });
    t.clearEvents();
    const out = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "alice",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
        ValidationData: [{ Name: "captcha", Value: "ok" }],
        ClientMetadata: { app: "web" },
      }),
    );
    assert.equal(out.UserConfirmed, false);
    const [event] = t.events<PreSignUpTriggerEvent>("PreSignUp_SignUp");
    assert.ok(event);
    assert.deepEqual(event, {
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "alice",
      callerContext: { awsSdkVersion: event.callerContext.awsSdkVersion, clientId },
      request: {
        userAttributes: { email: "alice@example.com" },
        validationData: { captcha: "ok" },
        clientMetadata: { app: "web" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    assert.equal(typeof event.callerContext.awsSdkVersion, "string");
    assert.equal((await inbox(t.server, { poolId, username: "alice" })).length, 1);
  });

  test("autoConfirmUser and autoVerifyEmail: confirmed at once, verified, no code sent", async () => {
    const { poolId, clientId } = await pool({ PreSignUp: arn("record"), PostConfirmation: arn("record") });
    t.clearEvents();
    const out = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "bob",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "bob@example.com" }],
        ValidationData: [{ Name: "auto", Value: "confirm" }],
      }),
    );
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bob" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    assert.equal((await inbox(t.server, { poolId, username: "bob" })).length, 0);
    // An auto-confirmed user was not confirmed through a confirmation operation.
    assert.equal(t.events("PostConfirmation_ConfirmSignUp").length, 0);
  });

  test("a sign-up PreSignUp refuses: UserLambdaValidationException, and no user is stored", async () => {
    const { poolId, clientId } = await pool({ PreSignUp: arn("record") });
    await failsWith(
      client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "deny-carol",
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: "carol@example.com" }],
        }),
      ),
      "UserLambdaValidationException",
      "PreSignUp failed with error PreSignUp_SignUp says no.",
    );
    assert.deepEqual(await usernames(poolId), []);
    assert.equal((await inbox(t.server, { poolId })).length, 0);
  });

  test("AdminCreateUser: PreSignUp_AdminCreateUser, with no app client, and its refusal", async () => {
    const { poolId } = await pool({ PreSignUp: arn("record") });
    t.clearEvents();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "dave",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "dave@example.com" }],
        ValidationData: [{ Name: "auto", Value: "confirm" }],
        ClientMetadata: { by: "admin" },
      }),
    );
    const [event] = t.events<PreSignUpTriggerEvent>("PreSignUp_AdminCreateUser");
    assert.equal(event?.userName, "dave");
    assert.equal(event?.callerContext.clientId, "CLIENT_ID_NOT_APPLICABLE");
    assert.deepEqual(event?.request.clientMetadata, { by: "admin" });
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "dave" }));
    // autoConfirmUser does not change an invited user's state; autoVerifyEmail applies.
    assert.equal(user.UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    await failsWith(
      client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "deny-erin", MessageAction: "SUPPRESS" }),
      ),
      "UserLambdaValidationException",
      "PreSignUp failed with error PreSignUp_AdminCreateUser says no.",
    );
    assert.deepEqual(await usernames(poolId), ["dave"]);
  });

  test("ConfirmSignUp and AdminConfirmSignUp: PostConfirmation_ConfirmSignUp with the user's attributes", async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: arn("record") });
    for (const name of ["frank", "grace"])
      await client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: name,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: `${name}@example.com` }],
        }),
      );
    t.clearEvents();
    const code = await latestCode(t.server, { poolId, username: "frank" });
    await client.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "frank",
        ConfirmationCode: code,
        ClientMetadata: { k: "v" },
      }),
    );
    await client.send(
      new AdminConfirmSignUpCommand({
        UserPoolId: poolId,
        Username: "grace",
        ClientMetadata: { k: "admin" },
      }),
    );
    const events = t.events<PostConfirmationTriggerEvent>("PostConfirmation_ConfirmSignUp");
    assert.equal(events.length, 2);
    const [frank, grace] = events;
    assert.equal(frank!.userName, "frank");
    assert.equal(frank!.callerContext.clientId, clientId);
    assert.deepEqual(frank!.request.clientMetadata, { k: "v" });
    assert.equal(frank!.request.userAttributes.email, "frank@example.com");
    assert.equal(frank!.request.userAttributes.email_verified, "true");
    assert.equal(frank!.request.userAttributes["cognito:user_status"], "CONFIRMED");
    assert.match(frank!.request.userAttributes.sub!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(frank!.response, {});
    assert.equal(grace!.callerContext.clientId, "CLIENT_ID_NOT_APPLICABLE");
    assert.deepEqual(grace!.request.clientMetadata, { k: "admin" });
  });

  test("ConfirmForgotPassword: PostConfirmation_ConfirmForgotPassword", async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: arn("record") });
    await confirmedUser(client, poolId, "heidi", PASSWORD, [
      { Name: "email", Value: "heidi@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "heidi" }));
    t.clearEvents();
    const code = await latestCode(t.server, { poolId, username: "heidi" });
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "heidi",
        ConfirmationCode: code,
        Password: PASSWORD,
        ClientMetadata: { flow: "reset" },
      }),
    );
    const [event] = t.events<PostConfirmationTriggerEvent>("PostConfirmation_ConfirmForgotPassword");
    assert.equal(event?.userName, "heidi");
    assert.deepEqual(event?.request.clientMetadata, { flow: "reset" });
  });

  test("a failing PostConfirmation is the request's error, and the confirmation stands", async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: arn("throws") });
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ivan",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ivan@example.com" }],
      }),
    );
    const code = await latestCode(t.server, { poolId, username: "ivan" });
    await failsWith(
      client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "ivan", ConfirmationCode: code })),
      "UserLambdaValidationException",
      "PostConfirmation failed with error Email domain not allowed.",
    );
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ivan" }));
    assert.equal(user.UserStatus, "CONFIRMED");
  });

  describe("Cognito's errors for a function that fails", () => {
    const signUp = (clientId: string, username: string) =>
      client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));

    test("an answer that is not an event: InvalidLambdaResponseException", async () => {
      const { poolId, clientId } = await pool({ PreSignUp: arn("garbage") });
      await failsWith(
        signUp(clientId, "judy"),
        "InvalidLambdaResponseException",
        "Unrecognizable lambda output",
      );
      assert.deepEqual(await usernames(poolId), []);
    });

    test("an ARN no mapping names: UnexpectedLambdaException", async () => {
      const { poolId, clientId } = await pool({ PreSignUp: arn("nowhere") });
      await failsWith(
        signUp(clientId, "ken"),
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error ResourceNotFoundException.",
      );
      assert.deepEqual(await usernames(poolId), []);
    });

    test("a function that runs past 5 seconds: UnexpectedLambdaException, and nothing stored", async () => {
      const { poolId, clientId } = await pool({ PreSignUp: arn("loops") });
      const started = Date.now();
      await failsWith(
        signUp(clientId, "leo"),
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
      );
      const took = Date.now() - started;
      assert.ok(took >= 4900 && took < 8000, `took ${took} ms`);
      assert.deepEqual(await usernames(poolId), []);
    });
  });
});
