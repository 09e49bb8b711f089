/**
 * ClientMetadata reaches the triggers of every operation that takes it, by operation group (the
 * sign-up, confirmation and sign-in groups are in sign-up.test.ts, sign-in.test.ts,
 * custom-message.test.ts and custom-auth/): the attribute updates (UpdateUserAttributes,
 * AdminUpdateUserAttributes) and AdminResetUserPassword to CustomMessage and to the custom senders,
 * AdminInitiateAuth's MFA code to CustomSMSSender, AdminRespondToAuthChallenge and
 * GetTokensFromRefreshToken to PreTokenGeneration.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomMessageTriggerEvent, PreTokenGenerationTriggerEvent } from "aws-lambda";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };

interface Sent {
  event: { triggerSource: string; request: { clientMetadata?: Record<string, string> } };
}

describe("ClientMetadata to the triggers, by operation", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let dir: string;
  let out: string;
  /** A pool with CustomMessage, one with the custom senders (both with PreTokenGeneration). */
  let messages: { poolId: string; clientId: string };
  let senders: { poolId: string; clientId: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lanyard-client-metadata-"));
    out = join(dir, "sent.jsonl");
    writeFileSync(out, "");
    const key = randomBytes(32).toString("base64");
    t = await startTriggerServer(
      {
        [arn("custom-message")]: { module: join(FIXTURES, "custom-message.ts") },
        [arn("custom-sender")]: { module: join(FIXTURES, "custom-sender.ts") },
        [arn("pre-token")]: { module: join(FIXTURES, "pre-token.ts") },
      },
      ["--memory", "--delivery", "inbox"],
      { LANYARD_CUSTOM_SENDER_RAW_AES_KEY: key, CUSTOM_SENDER_KEY: key, CUSTOM_SENDER_OUT: out },
    );
    client = t.server.client();
    const app = {
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ] as ("ALLOW_USER_PASSWORD_AUTH" | "ALLOW_ADMIN_USER_PASSWORD_AUTH" | "ALLOW_REFRESH_TOKEN_AUTH")[],
    };
    messages = await poolWithClient(client, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        LambdaConfig: { CustomMessage: arn("custom-message"), PreTokenGeneration: arn("pre-token") },
      },
      app,
    });
    senders = await poolWithClient(client, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        SmsConfiguration: SMS,
        LambdaConfig: {
          CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: arn("custom-sender") },
          CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: arn("custom-sender") },
          KMSKeyID: KEY_ARN,
        },
      },
      app,
    });
  });
  after(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const takeSent = (): Sent[] => {
    const lines = readFileSync(out, "utf8").split("\n").filter(Boolean);
    writeFileSync(out, "");
    return lines.map((l) => JSON.parse(l) as Sent);
  };
  const lastMessageEvent = (source: string) => t.events<CustomMessageTriggerEvent>(source).at(-1);
  const user = (poolId: string, name: string) =>
    confirmedUser(client, poolId, name, PASSWORD, [
      { Name: "email", Value: `${name}@example.com` },
      { Name: "email_verified", Value: "true" },
    ]);
  const accessToken = async (clientId: string, name: string) =>
    (
      await client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: name, PASSWORD },
        }),
      )
    ).AuthenticationResult!;

  test("UpdateUserAttributes and AdminUpdateUserAttributes: CustomMessage_UpdateUserAttribute", async () => {
    await user(messages.poolId, "uma");
    const { AccessToken } = await accessToken(messages.clientId, "uma");
    await client.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: "uma2@example.com" }],
        ClientMetadata: { by: "user" },
      }),
    );
    assert.deepEqual(lastMessageEvent("CustomMessage_UpdateUserAttribute")?.request.clientMetadata, {
      by: "user",
    });
    t.clearEvents();
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: messages.poolId,
        Username: "uma",
        UserAttributes: [{ Name: "email", Value: "uma3@example.com" }],
        ClientMetadata: { by: "admin" },
      }),
    );
    const event = lastMessageEvent("CustomMessage_UpdateUserAttribute");
    assert.deepEqual(event?.request.clientMetadata, { by: "admin" });
    assert.equal(event?.callerContext.clientId, "CLIENT_ID_NOT_APPLICABLE");
  });

  test("UpdateUserAttributes and AdminUpdateUserAttributes: CustomEmailSender_UpdateUserAttribute", async () => {
    await user(senders.poolId, "ursula");
    takeSent();
    const { AccessToken } = await accessToken(senders.clientId, "ursula");
    await client.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: "ursula2@example.com" }],
        ClientMetadata: { by: "user" },
      }),
    );
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: senders.poolId,
        Username: "ursula",
        UserAttributes: [{ Name: "email", Value: "ursula3@example.com" }],
        ClientMetadata: { by: "admin" },
      }),
    );
    assert.deepEqual(
      takeSent().map((s) => [s.event.triggerSource, s.event.request.clientMetadata]),
      [
        ["CustomEmailSender_UpdateUserAttribute", { by: "user" }],
        ["CustomEmailSender_UpdateUserAttribute", { by: "admin" }],
      ],
    );
  });

  test("AdminResetUserPassword: CustomMessage_ForgotPassword and CustomEmailSender_ForgotPassword", async () => {
    await user(messages.poolId, "rita");
    await client.send(
      new AdminResetUserPasswordCommand({
        UserPoolId: messages.poolId,
        Username: "rita",
        ClientMetadata: { reason: "audit" },
      }),
    );
    assert.deepEqual(lastMessageEvent("CustomMessage_ForgotPassword")?.request.clientMetadata, {
      reason: "audit",
    });
    await user(senders.poolId, "rosa");
    takeSent();
    await client.send(
      new AdminResetUserPasswordCommand({
        UserPoolId: senders.poolId,
        Username: "rosa",
        ClientMetadata: { reason: "audit" },
      }),
    );
    assert.deepEqual(
      takeSent().map((s) => [s.event.triggerSource, s.event.request.clientMetadata]),
      [["CustomEmailSender_ForgotPassword", { reason: "audit" }]],
    );
  });

  test("AdminInitiateAuth's SMS MFA code: CustomSMSSender_Authentication", async () => {
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: senders.poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsConfiguration: SMS },
      }),
    );
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: senders.poolId,
        Username: "mia",
        MessageAction: "SUPPRESS",
        TemporaryPassword: PASSWORD,
        UserAttributes: [
          { Name: "phone_number", Value: "+15555550123" },
          { Name: "phone_number_verified", Value: "true" },
        ],
      }),
    );
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: senders.poolId,
        Username: "mia",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    takeSent();
    // A temporary password first: NEW_PASSWORD_REQUIRED, then the MFA code.
    const first = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: senders.poolId,
        ClientId: senders.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "mia", PASSWORD },
        ClientMetadata: { step: "password" },
      }),
    );
    assert.equal(first.ChallengeName, "NEW_PASSWORD_REQUIRED");
    const second = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: senders.poolId,
        ClientId: senders.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "mia", NEW_PASSWORD: `${PASSWORD}2` },
        ClientMetadata: { step: "new-password" },
      }),
    );
    assert.equal(second.ChallengeName, "SMS_MFA");
    assert.deepEqual(
      takeSent().map((s) => [s.event.triggerSource, s.event.request.clientMetadata]),
      [["CustomSMSSender_Authentication", { step: "new-password" }]],
    );
  });

  test("AdminRespondToAuthChallenge and GetTokensFromRefreshToken: PreTokenGeneration", async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: messages.poolId,
        Username: "nina",
        MessageAction: "SUPPRESS",
        TemporaryPassword: PASSWORD,
      }),
    );
    const first = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: messages.poolId,
        ClientId: messages.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "nina", PASSWORD },
      }),
    );
    t.clearEvents();
    const done = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: messages.poolId,
        ClientId: messages.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "nina", NEW_PASSWORD: `${PASSWORD}2` },
        ClientMetadata: { tenant: "respond" },
      }),
    );
    const [answered] = t.events<PreTokenGenerationTriggerEvent>("TokenGeneration_NewPasswordChallenge");
    assert.deepEqual(answered?.request.clientMetadata, { tenant: "respond" });
    t.clearEvents();
    await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: messages.clientId,
        RefreshToken: done.AuthenticationResult!.RefreshToken!,
        ClientMetadata: { tenant: "refresh" },
      }),
    );
    const [refreshed] = t.events<PreTokenGenerationTriggerEvent>("TokenGeneration_RefreshTokens");
    assert.deepEqual(refreshed?.request.clientMetadata, { tenant: "refresh" });
  });
});
