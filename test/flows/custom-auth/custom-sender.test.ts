/**
 * CustomEmailSender and CustomSMSSender: the pool's function gets the code encrypted with the AWS
 * Encryption SDK, decrypts it with the same SDK, and the user confirms with it; Lanyard's own
 * delivery sends nothing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startFakeKms } from "../../support/fake-kms.ts";
import { inbox } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../../fixtures/triggers/custom-sender.ts");
const SENDER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:custom-sender";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PASSWORD = "S3nder-password!";

interface Sent {
  event: {
    version: string;
    triggerSource: string;
    userPoolId: string;
    userName: string;
    callerContext: { clientId: string };
    request: {
      type: string;
      code: string;
      userAttributes: Record<string, string>;
      clientMetadata?: Record<string, string>;
    };
  };
  code: string;
  encryptionContext: Record<string, string>;
}

describe("CustomEmailSender and CustomSMSSender", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let dir: string;
  let out: string;
  let poolId: string;
  let clientId: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "lanyard-custom-sender-"));
    out = path.join(dir, "sent.jsonl");
    writeFileSync(out, "");
    const key = randomBytes(32).toString("base64");
    server = await startServer({
      args: ["--memory", "--delivery", "inbox"],
      env: {
        LANYARD_TRIGGERS: JSON.stringify({ [SENDER_ARN]: { module: FIXTURE } }),
        LANYARD_CUSTOM_SENDER_RAW_AES_KEY: key,
        CUSTOM_SENDER_KEY: key,
        CUSTOM_SENDER_OUT: out,
      },
    });
    sdk = server.client();
    ({ poolId, clientId } = await poolWithClient(sdk, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        LambdaConfig: {
          CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: SENDER_ARN },
          CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: SENDER_ARN },
          KMSKeyID: KEY_ARN,
        },
        SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function takeSent(): Sent[] {
    const lines = readFileSync(out, "utf8").split("\n").filter(Boolean);
    writeFileSync(out, "");
    return lines.map((l) => JSON.parse(l) as Sent);
  }

  test("SignUp: CustomEmailSender_SignUp gets the encrypted code, the function decrypts it, ConfirmSignUp takes it", async () => {
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "henry",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "henry@example.com" }],
        ClientMetadata: { campaign: "spring" },
      }),
    );
    const [sent, ...more] = takeSent();
    assert.equal(more.length, 0);
    const { event, code } = sent!;
    assert.equal(event.triggerSource, "CustomEmailSender_SignUp");
    assert.equal(event.version, "1");
    assert.equal(event.userPoolId, poolId);
    assert.equal(event.userName, "henry");
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.type, "customEmailSenderRequestV1");
    assert.deepEqual(event.request.clientMetadata, { campaign: "spring" });
    assert.equal(event.request.userAttributes.email, "henry@example.com");
    assert.equal(event.request.userAttributes["cognito:user_status"], "UNCONFIRMED");
    assert.match(code, /^\d{6}$/);
    assert.ok(!event.request.code.includes(code), "the code travels encrypted");
    assert.equal(sent!.encryptionContext["userpool-id"], poolId);
    // Lanyard's delivery sent nothing.
    assert.deepEqual(await inbox(server, { poolId }), []);
    await sdk.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "henry", ConfirmationCode: code }),
    );
    const signedIn = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "henry", PASSWORD },
      }),
    );
    assert.ok(signedIn.AuthenticationResult?.IdToken);

    // The attribute verification codes of a signed-in user: _UpdateUserAttribute, _VerifyUserAttribute.
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    await sdk.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: "henry@example.org" }],
      }),
    );
    const [updated] = takeSent();
    assert.equal(updated!.event.triggerSource, "CustomEmailSender_UpdateUserAttribute");
    assert.equal(updated!.event.callerContext.clientId, clientId);
    await sdk.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken,
        AttributeName: "email",
        ClientMetadata: { step: "verify" },
      }),
    );
    const [verify] = takeSent();
    assert.equal(verify!.event.triggerSource, "CustomEmailSender_VerifyUserAttribute");
    assert.deepEqual(verify!.event.request.clientMetadata, { step: "verify" });
    await sdk.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: verify!.code }),
    );
    assert.deepEqual(await inbox(server, { poolId }), []);
  });

  test("ResendConfirmationCode and ForgotPassword: _ResendCode and _ForgotPassword", async () => {
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "iris",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "iris@example.com" }],
      }),
    );
    takeSent();
    await sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "iris" }));
    const [resent] = takeSent();
    assert.equal(resent!.event.triggerSource, "CustomEmailSender_ResendCode");
    await sdk.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "iris", ConfirmationCode: resent!.code }),
    );

    await sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "iris" }));
    const [forgot] = takeSent();
    assert.equal(forgot!.event.triggerSource, "CustomEmailSender_ForgotPassword");
    await sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "iris",
        ConfirmationCode: forgot!.code,
        Password: "N3w-sender-password!",
      }),
    );
    assert.deepEqual(await inbox(server, { poolId }), []);
  });

  test("AdminCreateUser: the temporary password goes to CustomSMSSender_AdminCreateUser, encrypted", async () => {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "jack",
        UserAttributes: [{ Name: "phone_number", Value: "+15555550123" }],
        DesiredDeliveryMediums: ["SMS"],
        ClientMetadata: { source: "admin" },
      }),
    );
    const [sent] = takeSent();
    assert.equal(sent!.event.triggerSource, "CustomSMSSender_AdminCreateUser");
    assert.equal(sent!.event.request.type, "customSMSSenderRequestV1");
    assert.equal(sent!.event.callerContext.clientId, "CLIENT_ID_NOT_APPLICABLE");
    assert.deepEqual(sent!.event.request.clientMetadata, { source: "admin" });
    const step = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "jack", PASSWORD: sent!.code },
      }),
    );
    assert.equal(step.ChallengeName, "NEW_PASSWORD_REQUIRED");
    assert.deepEqual(await inbox(server, { poolId }), []);
  });

  test("an SMS MFA code goes to CustomSMSSender_Authentication", async () => {
    await sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsAuthenticationMessage: "Your code is {####}" },
      }),
    );
    await confirmedUser(sdk, poolId, "kate", PASSWORD, [
      { Name: "phone_number", Value: "+15555550177" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "kate",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    takeSent();
    const step = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "kate", PASSWORD },
      }),
    );
    assert.equal(step.ChallengeName, "SMS_MFA");
    const [sent] = takeSent();
    assert.equal(sent!.event.triggerSource, "CustomSMSSender_Authentication");
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "SMS_MFA",
        Session: step.Session,
        ChallengeResponses: { USERNAME: "kate", SMS_MFA_CODE: sent!.code },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.deepEqual(await inbox(server, { poolId }), []);
  });
});

describe("CustomEmailSender with a KMS endpoint", () => {
  test("the code is encrypted with the KMS keyring for the pool's KMSKeyID; the function decrypts it through KMS", async () => {
    const kms = await startFakeKms();
    const dir = mkdtempSync(path.join(tmpdir(), "lanyard-custom-sender-kms-"));
    const out = path.join(dir, "sent.jsonl");
    writeFileSync(out, "");
    const credentials = { AWS_ACCESS_KEY_ID: "AKIDKMSTEST", AWS_SECRET_ACCESS_KEY: "kms-secret" };
    const server = await startServer({
      args: ["--memory", "--delivery", "inbox"],
      env: {
        LANYARD_TRIGGERS: JSON.stringify({
          [SENDER_ARN]: {
            module: path.resolve(import.meta.dirname, "../../fixtures/triggers/custom-sender-kms.ts"),
          },
        }),
        LANYARD_CUSTOM_SENDER_KMS_ENDPOINT: kms.url,
        KMS_ENDPOINT: kms.url,
        KEY_ARN,
        CUSTOM_SENDER_OUT: out,
        ...credentials,
      },
    });
    try {
      const sdk = server.client();
      const { poolId, clientId } = await poolWithClient(sdk, {
        pool: {
          AutoVerifiedAttributes: ["email"],
          LambdaConfig: {
            CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: SENDER_ARN },
            KMSKeyID: KEY_ARN,
          },
        },
      });
      await sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "liam",
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: "liam@example.com" }],
        }),
      );
      const [sent] = readFileSync(out, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Sent);
      assert.equal(sent!.event.triggerSource, "CustomEmailSender_SignUp");
      assert.match(sent!.code, /^\d{6}$/);
      assert.deepEqual(kms.calls, ["GenerateDataKey", "Decrypt"]);
      await sdk.send(
        new ConfirmSignUpCommand({ ClientId: clientId, Username: "liam", ConfirmationCode: sent!.code }),
      );
      assert.deepEqual(await inbox(server, { poolId }), []);
    } finally {
      await server.stop();
      await kms.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("A custom sender without a key to encrypt with", () => {
  test("the message fails with UnexpectedLambdaException and nothing is sent", async () => {
    const server = await startServer({
      args: ["--memory", "--delivery", "inbox"],
      env: { LANYARD_TRIGGERS: JSON.stringify({ [SENDER_ARN]: { module: FIXTURE } }) },
    });
    try {
      const sdk = server.client();
      const { poolId, clientId } = await poolWithClient(sdk, {
        pool: {
          AutoVerifiedAttributes: ["email"],
          LambdaConfig: {
            CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: SENDER_ARN },
            KMSKeyID: KEY_ARN,
          },
        },
      });
      await assert.rejects(
        sdk.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "mia",
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: "mia@example.com" }],
          }),
        ),
        (e: Error) => e.name === "UnexpectedLambdaException",
      );
      assert.deepEqual(await inbox(server, { poolId }), []);
    } finally {
      await server.stop();
    }
  });
});
