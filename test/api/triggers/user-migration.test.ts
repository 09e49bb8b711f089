/**
 * UserMigration through the AWS SDK and amazon-cognito-identity-js: an unknown user who signs in is
 * migrated with the password the function checked (and signs in with it afterwards without the
 * function), RESET_REQUIRED, forceAliasCreation, a migrated ForgotPassword, the function's refusal
 * and its "no such user", with and without PreventUserExistenceErrors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import type { UserMigrationTriggerEvent } from "aws-lambda";
import { inbox, latestCode } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, failsWith, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const OLD = "Old-passw0rd!";

describe("UserMigration", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    t = await startTriggerServer({ [arn("migrate")]: { module: join(FIXTURES, "migrate.ts") } }, [
      "--memory",
      "--delivery",
      "inbox",
    ]);
    client = t.server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        LambdaConfig: { UserMigration: arn("migrate") },
        AliasAttributes: ["email"],
        Schema: [{ Name: "origin", AttributeDataType: "String", Mutable: true }],
      },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    }));
  });
  after(() => t.stop());

  const signIn = (username: string, password: string, meta?: Record<string, string>) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
        ...(meta ? { ClientMetadata: meta } : {}),
      }),
    );
  const getUser = (username: string) =>
    client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

  test("an unknown user signs in: the function checks the password, the user is created with it", async () => {
    t.clearEvents();
    const out = await signIn("legacy-ann", OLD, { app: "web" });
    assert.ok(out.AuthenticationResult?.AccessToken);
    const [event] = t.events<UserMigrationTriggerEvent>("UserMigration_Authentication");
    assert.ok(event);
    assert.equal(event.userName, "legacy-ann");
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.password, OLD);
    assert.deepEqual(event.request.validationData, { app: "web" });
    // A sign-in's ClientMetadata comes as validationData only (ForgotPassword's as clientMetadata).
    assert.equal(event.request.clientMetadata, undefined);
    assert.deepEqual(event.response, {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    });
    const user = await getUser("legacy-ann");
    assert.equal(user.UserStatus, "CONFIRMED");
    const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    assert.equal(attrs.email, "ann@old.example");
    assert.equal(attrs["custom:origin"], "old");
    assert.match(attrs.sub!, /^[0-9a-f-]{36}$/);
    // Now a user of the pool: the next sign-in (SRP, through amazon-cognito-identity-js) needs no function.
    t.clearEvents();
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: clientId,
      endpoint: `${t.server.url}/`,
    });
    await new Promise((resolve, reject) =>
      new CognitoUser({ Username: "legacy-ann", Pool: pool }).authenticateUser(
        new AuthenticationDetails({ Username: "legacy-ann", Password: OLD }),
        { onSuccess: resolve, onFailure: reject },
      ),
    );
    assert.deepEqual(t.events(), []);
  });

  test("amazon-cognito-identity-js's USER_PASSWORD_AUTH (its migration flow), and forceAliasCreation", async () => {
    await confirmedUser(client, poolId, "someone", "Some-passw0rd!", [
      { Name: "email", Value: "taken@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: clientId,
      endpoint: `${t.server.url}/`,
    });
    const user = new CognitoUser({ Username: "legacy-alias", Pool: pool });
    user.setAuthenticationFlowType("USER_PASSWORD_AUTH");
    await new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: "legacy-alias", Password: OLD }), {
        onSuccess: resolve,
        onFailure: reject,
      }),
    );
    assert.equal((await getUser("legacy-alias")).UserStatus, "CONFIRMED");
    // The email alias moved to the migrated user.
    assert.equal((await getUser("taken@example.com")).Username, "legacy-alias");
  });

  test("the migrated password is not held to the pool's policy, as the developer guide says", async () => {
    assert.ok((await signIn("legacy-weak", "weak")).AuthenticationResult?.AccessToken);
    assert.equal((await getUser("legacy-weak")).UserStatus, "CONFIRMED");
    // It is the user's password from now on.
    assert.ok((await signIn("legacy-weak", "weak")).AuthenticationResult?.AccessToken);
  });

  test("a wrong password: the function's refusal, and no user", async () => {
    await failsWith(
      signIn("legacy-reset", "Wrong-passw0rd!"),
      "UserLambdaValidationException",
      "UserMigration failed with error Bad password.",
    );
    const users = (
      await client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "legacy-reset"' }))
    ).Users;
    assert.deepEqual(users, []);
  });

  test("finalUserStatus RESET_REQUIRED: the user is created and must reset the password", async () => {
    await assert.rejects(signIn("legacy-reset", OLD), { name: "PasswordResetRequiredException" });
    assert.equal((await getUser("legacy-reset")).UserStatus, "RESET_REQUIRED");
  });

  test("messageAction SUPPRESS: a migrated user gets no welcome message", async () => {
    assert.deepEqual(await inbox(t.server, { poolId, username: "legacy-ann" }), []);
    assert.deepEqual(await inbox(t.server, { poolId, username: "legacy-reset" }), []);
  });

  test("without SUPPRESS, RESET_REQUIRED: the welcome message by the desiredDeliveryMediums asked for", async () => {
    await assert.rejects(signIn("welcome-email", OLD, { app: "web" }), {
      name: "PasswordResetRequiredException",
    });
    assert.equal((await getUser("welcome-email")).UserStatus, "RESET_REQUIRED");
    const messages = await inbox(t.server, { poolId, username: "welcome-email" });
    assert.equal(messages.length, 1, "EMAIL only, though the user has a phone number");
    const [m] = messages;
    assert.equal(m!.channel, "EMAIL");
    assert.equal(m!.destination, "welcome@old.example");
    assert.equal(m!.purpose, "invitation");
    assert.equal(m!.subject, "Your temporary password");
    assert.equal(m!.body, "Your username is welcome-email and temporary password is ********. ");
    assert.ok(!m!.body.includes(OLD), "the password is never sent");
  });

  test("without SUPPRESS and with no medium named: the welcome message goes by SMS", async () => {
    assert.ok((await signIn("welcome-sms", OLD)).AuthenticationResult?.AccessToken);
    const messages = await inbox(t.server, { poolId, username: "welcome-sms" });
    assert.deepEqual(
      messages.map((m) => [m.channel, m.destination, m.purpose]),
      [["SMS", "+15550100002", "invitation"]],
    );
  });

  test("a migrated ForgotPassword without SUPPRESS: the reset code (there is no password to welcome with)", async () => {
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "welcome-forgot" }));
    const messages = await inbox(t.server, { poolId, username: "welcome-forgot" });
    assert.deepEqual(
      messages.map((m) => [m.channel, m.destination, m.purpose]),
      [["EMAIL", "wforgot@old.example", "forgot_password"]],
    );
    assert.match(messages[0]!.body, /^Your password reset code is \d{6}$/);
  });

  test("a name the old system does not know either: UserNotFoundException", async () => {
    await failsWith(
      signIn("nobody", OLD),
      "UserNotFoundException",
      `Exception migrating user in app client ${clientId}`,
    );
  });

  test("with PreventUserExistenceErrors, such a name gets the usual answer", async () => {
    const hiding = await poolWithClient(client, {
      pool: { LambdaConfig: { UserMigration: arn("migrate") } },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors: "ENABLED",
      },
    });
    await failsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: hiding.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "nobody", PASSWORD: OLD },
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  test("ForgotPassword for an unknown user: UserMigration_ForgotPassword, a code, and the new password", async () => {
    t.clearEvents();
    const out = await client.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: "legacy-forgot",
        ClientMetadata: { via: "reset" },
      }),
    );
    assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    const [event] = t.events<UserMigrationTriggerEvent>("UserMigration_ForgotPassword");
    assert.ok(event);
    assert.equal(event.request.password, undefined);
    assert.deepEqual(event.request.clientMetadata, { via: "reset" });
    assert.equal((await getUser("legacy-forgot")).UserStatus, "RESET_REQUIRED");
    const code = await latestCode(t.server, { poolId, username: "legacy-forgot" });
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "legacy-forgot",
        ConfirmationCode: code,
        Password: "New-passw0rd!",
      }),
    );
    assert.ok((await signIn("legacy-forgot", "New-passw0rd!")).AuthenticationResult?.IdToken);
  });
});
