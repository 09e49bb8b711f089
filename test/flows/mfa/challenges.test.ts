/** The MFA challenges through the AWS SDK: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP. */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import { rejectsWith } from "../../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Correct-Horse-1";
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };
const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};

let offsetMs = 0;
const code = (secret: string, stepOffset = 0) =>
  generateSync({ secret, epoch: Math.floor((Date.now() + offsetMs) / 1000) + stepOffset * 30 });

describe("MFA challenges", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: { EmailConfiguration: SES, SmsConfiguration: SMS },
      app: {
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      },
    }));
  });
  after(() => server.stop());
  beforeEach(async () => {
    offsetMs = 0;
    await setClockOffset(server, 0);
    await mfaConfig("OPTIONAL");
  });

  function mfaConfig(
    mode: "ON" | "OPTIONAL",
    factors: ("SMS" | "TOTP" | "EMAIL")[] = ["SMS", "TOTP", "EMAIL"],
  ) {
    return client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: mode,
        ...(factors.includes("SMS")
          ? { SmsMfaConfiguration: { SmsAuthenticationMessage: "Lanyard code {####}" } }
          : {}),
        ...(factors.includes("TOTP") ? { SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
        ...(factors.includes("EMAIL")
          ? { EmailMfaConfiguration: { Subject: "Sign-in code", Message: "Your sign-in code is {####}" } }
          : {}),
      }),
    );
  }

  const signIn = (username: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );

  const respond = (
    ChallengeName: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SELECT_MFA_TYPE" | "MFA_SETUP",
    Session: string | undefined,
    responses: Record<string, string>,
  ) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName,
        Session,
        ChallengeResponses: responses,
      }),
    );

  /** A user with a verified authenticator turned on; its secret. */
  async function totpUser(username: string, attrs: { Name: string; Value: string }[] = []): Promise<string> {
    await confirmedUser(client, poolId, username, PASSWORD, attrs);
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const AccessToken = out.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    // The previous step's code: the sign-ins of the test use the current one.
    await client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: code(SecretCode!, -1) }));
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        SoftwareTokenMfaSettings: { Enabled: true },
      }),
    );
    return SecretCode!;
  }

  test("SOFTWARE_TOKEN_MFA: a wrong code, the right one, then the same code refused (replay)", async () => {
    const secret = await totpUser("totp-1");
    const first = await signIn("totp-1");
    assert.equal(first.ChallengeName, "SOFTWARE_TOKEN_MFA");
    assert.deepEqual(first.ChallengeParameters, {});
    assert.equal(first.AuthenticationResult, undefined);
    const right = code(secret);
    const wrong = right === "000000" ? "111111" : "000000";
    await rejectsWith(
      respond("SOFTWARE_TOKEN_MFA", first.Session, { USERNAME: "totp-1", SOFTWARE_TOKEN_MFA_CODE: wrong }),
      "CodeMismatchException",
      400,
    );
    // The session survives a wrong code.
    const done = await respond("SOFTWARE_TOKEN_MFA", first.Session, {
      USERNAME: "totp-1",
      SOFTWARE_TOKEN_MFA_CODE: right,
    });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const again = await signIn("totp-1");
    await rejectsWith(
      respond("SOFTWARE_TOKEN_MFA", again.Session, { USERNAME: "totp-1", SOFTWARE_TOKEN_MFA_CODE: right }),
      "CodeMismatchException",
      400,
    );
    // The next step's code is accepted (one step of drift).
    const next = await respond("SOFTWARE_TOKEN_MFA", again.Session, {
      USERNAME: "totp-1",
      SOFTWARE_TOKEN_MFA_CODE: code(secret, 1),
    });
    assert.ok(next.AuthenticationResult?.IdToken);
  });

  test("the admin forms: ADMIN_USER_PASSWORD_AUTH then AdminRespondToAuthChallenge", async () => {
    const secret = await totpUser("totp-admin");
    const first = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "totp-admin", PASSWORD },
      }),
    );
    assert.equal(first.ChallengeName, "SOFTWARE_TOKEN_MFA");
    const done = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "SOFTWARE_TOKEN_MFA",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "totp-admin", SOFTWARE_TOKEN_MFA_CODE: code(secret) },
      }),
    );
    assert.ok(done.AuthenticationResult?.RefreshToken);
  });

  test("SMS_MFA: the code goes out with the pool's template, once", async () => {
    await confirmedUser(client, poolId, "sms-1", PASSWORD, [{ Name: "phone_number", Value: "+15555550123" }]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "sms-1",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    const first = await signIn("sms-1");
    assert.equal(first.ChallengeName, "SMS_MFA");
    assert.deepEqual(first.ChallengeParameters, {
      CODE_DELIVERY_DELIVERY_MEDIUM: "SMS",
      CODE_DELIVERY_DESTINATION: "+*******0123",
    });
    const [message] = await inbox(server, { poolId, username: "sms-1" });
    assert.equal(message?.channel, "SMS");
    assert.equal(message?.body, `Lanyard code ${message?.code}`);
    const done = await respond("SMS_MFA", first.Session, { USERNAME: "sms-1", SMS_MFA_CODE: message!.code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const again = await signIn("sms-1");
    await rejectsWith(
      respond("SMS_MFA", again.Session, { USERNAME: "sms-1", SMS_MFA_CODE: message!.code }),
      "CodeMismatchException",
      400,
      /Invalid code or auth state for the user/,
    );
  });

  test("EMAIL_OTP: the code by email with the pool's subject and message; expired after 3 minutes", async () => {
    await confirmedUser(client, poolId, "mail-1", PASSWORD, [{ Name: "email", Value: "mail-1@example.com" }]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "mail-1",
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const first = await signIn("mail-1");
    assert.equal(first.ChallengeName, "EMAIL_OTP");
    assert.deepEqual(first.ChallengeParameters, {
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "m***@e***",
    });
    const [message] = await inbox(server, { poolId, username: "mail-1" });
    assert.equal(message?.subject, "Sign-in code");
    assert.equal(message?.body, `Your sign-in code is ${message?.code}`);
    assert.ok(
      (await respond("EMAIL_OTP", first.Session, { USERNAME: "mail-1", EMAIL_OTP_CODE: message!.code }))
        .AuthenticationResult,
    );

    // A session that outlives the code (AuthSessionValidity 15 minutes): the code has expired.
    await client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthSessionValidity: 15,
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      }),
    );
    try {
      const late = await signIn("mail-1");
      const lateCode = await latestCode(server, { poolId, username: "mail-1" });
      offsetMs = 3 * 60_000 + 5_000;
      await setClockOffset(server, offsetMs);
      await rejectsWith(
        respond("EMAIL_OTP", late.Session, { USERNAME: "mail-1", EMAIL_OTP_CODE: lateCode }),
        "ExpiredCodeException",
        400,
      );
      // With the default session (3 minutes) the session has expired with the code.
      await setClockOffset(server, 0);
    } finally {
      await client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
        }),
      );
    }
    const short = await signIn("mail-1");
    const shortCode = await latestCode(server, { poolId, username: "mail-1" });
    offsetMs = 3 * 60_000 + 5_000;
    await setClockOffset(server, offsetMs);
    await rejectsWith(
      respond("EMAIL_OTP", short.Session, { USERNAME: "mail-1", EMAIL_OTP_CODE: shortCode }),
      "NotAuthorizedException",
      400,
      /session is expired/,
    );
  });

  test("a code for another user, and another user's USERNAME on a session, are refused", async () => {
    for (const name of ["other-a", "other-b"]) {
      await confirmedUser(client, poolId, name, PASSWORD, [{ Name: "email", Value: `${name}@example.com` }]);
      await client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: poolId,
          Username: name,
          EmailMfaSettings: { Enabled: true },
        }),
      );
    }
    const a = await signIn("other-a");
    const aCode = await latestCode(server, { poolId, username: "other-a" });
    const b = await signIn("other-b");
    await rejectsWith(
      respond("EMAIL_OTP", b.Session, { USERNAME: "other-b", EMAIL_OTP_CODE: aCode }),
      "CodeMismatchException",
      400,
    );
    await rejectsWith(
      respond("EMAIL_OTP", b.Session, { USERNAME: "other-a", EMAIL_OTP_CODE: aCode }),
      "NotAuthorizedException",
      400,
    );
    assert.ok(
      (await respond("EMAIL_OTP", a.Session, { USERNAME: "other-a", EMAIL_OTP_CODE: aCode }))
        .AuthenticationResult,
    );
  });

  test("SELECT_MFA_TYPE: several factors and no preference; the preferred one otherwise", async () => {
    await totpUser("both-1", [{ Name: "phone_number", Value: "+15555550177" }]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "both-1",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    const first = await signIn("both-1");
    assert.equal(first.ChallengeName, "SELECT_MFA_TYPE");
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_CHOOSE!), [
      "SMS_MFA",
      "SOFTWARE_TOKEN_MFA",
    ]);
    await rejectsWith(
      respond("SELECT_MFA_TYPE", first.Session, { USERNAME: "both-1", ANSWER: "EMAIL_OTP" }),
      "InvalidParameterException",
      400,
    );
    const sms = await respond("SELECT_MFA_TYPE", first.Session, { USERNAME: "both-1", ANSWER: "SMS_MFA" });
    assert.equal(sms.ChallengeName, "SMS_MFA");
    const smsCode = await latestCode(server, { poolId, username: "both-1" });
    assert.ok(
      (await respond("SMS_MFA", sms.Session, { USERNAME: "both-1", SMS_MFA_CODE: smsCode }))
        .AuthenticationResult,
    );

    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "both-1",
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    assert.equal((await signIn("both-1")).ChallengeName, "SOFTWARE_TOKEN_MFA");
  });

  test("MFA ON, no factor: MFA_SETUP, then AssociateSoftwareToken and VerifySoftwareToken on the session", async () => {
    await mfaConfig("ON", ["TOTP"]);
    await confirmedUser(client, poolId, "setup-1", PASSWORD);
    const first = await signIn("setup-1");
    assert.equal(first.ChallengeName, "MFA_SETUP");
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_SETUP!), ["SOFTWARE_TOKEN_MFA"]);
    await rejectsWith(
      respond("MFA_SETUP", first.Session, { USERNAME: "setup-1" }),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ Session: first.Session, UserCode: "123456" })),
      "SoftwareTokenMFANotFoundException",
      400,
    );
    const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
    assert.ok(associated.Session);
    assert.notEqual(associated.Session, first.Session);
    await rejectsWith(
      client.send(new AssociateSoftwareTokenCommand({ Session: first.Session })),
      "NotAuthorizedException",
      400,
    );
    const verified = await client.send(
      new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: code(associated.SecretCode!) }),
    );
    assert.equal(verified.Status, "SUCCESS");
    const done = await respond("MFA_SETUP", verified.Session, { USERNAME: "setup-1" });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "setup-1" }));
    assert.deepEqual(user.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(user.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
    assert.equal((await signIn("setup-1")).ChallengeName, "SOFTWARE_TOKEN_MFA");
  });

  test("MFA ON: MFA_SETUP with an email address, then EMAIL_OTP to it", async () => {
    await mfaConfig("ON", ["TOTP", "EMAIL"]);
    await confirmedUser(client, poolId, "setup-mail", PASSWORD);
    const first = await signIn("setup-mail");
    assert.equal(first.ChallengeName, "MFA_SETUP");
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_SETUP!), [
      "SOFTWARE_TOKEN_MFA",
      "EMAIL_OTP",
    ]);
    const otp = await respond("MFA_SETUP", first.Session, {
      USERNAME: "setup-mail",
      EMAIL: "setup@example.com",
    });
    assert.equal(otp.ChallengeName, "EMAIL_OTP");
    assert.equal(otp.ChallengeParameters?.CODE_DELIVERY_DESTINATION, "s***@e***");
    const [message] = await inbox(server, { destination: "setup@example.com" });
    const done = await respond("EMAIL_OTP", otp.Session, {
      USERNAME: "setup-mail",
      EMAIL_OTP_CODE: message!.code,
    });
    assert.ok(done.AuthenticationResult);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "setup-mail" }));
    assert.deepEqual(user.UserMFASettingList, ["EMAIL_OTP"]);
    const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    assert.equal(attrs.email, "setup@example.com");
    assert.equal(attrs.email_verified, "true");
  });

  test("MFA ON: a user with a phone number is challenged by SMS without turning it on", async () => {
    await mfaConfig("ON", ["SMS", "TOTP"]);
    await confirmedUser(client, poolId, "implicit-sms", PASSWORD, [
      { Name: "phone_number", Value: "+15555550199" },
    ]);
    assert.equal((await signIn("implicit-sms")).ChallengeName, "SMS_MFA");
  });

  test("five wrong MFA codes lock the user out; a correct password does not clear it", async () => {
    const secret = await totpUser("lock-1");
    const first = await signIn("lock-1");
    const right = code(secret);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++)
      await rejectsWith(
        respond("SOFTWARE_TOKEN_MFA", first.Session, { USERNAME: "lock-1", SOFTWARE_TOKEN_MFA_CODE: wrong }),
        "CodeMismatchException",
        400,
      );
    await rejectsWith(
      respond("SOFTWARE_TOKEN_MFA", first.Session, { USERNAME: "lock-1", SOFTWARE_TOKEN_MFA_CODE: right }),
      "NotAuthorizedException",
      400,
      /Password attempts exceeded/,
    );
    await rejectsWith(signIn("lock-1"), "NotAuthorizedException", 400, /Password attempts exceeded/);
    // After the lockout (1 s), a correct code signs in and clears the count.
    offsetMs = 2_000;
    await setClockOffset(server, offsetMs);
    const later = await signIn("lock-1");
    const done = await respond("SOFTWARE_TOKEN_MFA", later.Session, {
      USERNAME: "lock-1",
      SOFTWARE_TOKEN_MFA_CODE: code(secret, 1),
    });
    assert.ok(done.AuthenticationResult);
  });
});
