import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  SetUserSettingsCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import { rejectsWith } from "../../support/assert.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Correct-Horse-1";
const code = (secret: string, offsetSeconds = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

describe("software tokens and MFA preferences", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startServer();
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      app: { ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
  });
  after(() => server.stop());

  async function signedIn(username: string, attrs: { Name: string; Value: string }[] = []): Promise<string> {
    await confirmedUser(client, poolId, username, PASSWORD, attrs);
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    return out.AuthenticationResult!.AccessToken!;
  }

  test("AssociateSoftwareToken gives a base32 secret; VerifySoftwareToken accepts its code once", async () => {
    const AccessToken = await signedIn("totp-a");
    const { SecretCode, Session } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    assert.match(SecretCode ?? "", /^[A-Z2-7]{32}$/);
    assert.equal(Session, undefined);
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: code(SecretCode!, -120) })),
      "EnableSoftwareTokenMFAException",
      400,
      /Code mismatch/,
    );
    const previous = code(SecretCode!, -30);
    const ok = await client.send(
      new VerifySoftwareTokenCommand({ AccessToken, UserCode: previous, FriendlyDeviceName: "phone" }),
    );
    assert.equal(ok.Status, "SUCCESS");
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: previous })),
      "EnableSoftwareTokenMFAException",
      400,
    );
    // Verified, not yet turned on.
    const before = await client.send(new GetUserCommand({ AccessToken }));
    assert.equal(before.UserMFASettingList, undefined);
    await client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const got = await client.send(new GetUserCommand({ AccessToken }));
    assert.deepEqual(got.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(got.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
    assert.equal(got.MFAOptions, undefined);
    const admin = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "totp-a" }));
    assert.deepEqual(admin.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(admin.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

    await client.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: "totp-a" }));
    const gone = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "totp-a" }));
    assert.equal(gone.UserMFASettingList, undefined);
    assert.equal(gone.PreferredMfaSetting, undefined);
  });

  test("VerifySoftwareToken before any AssociateSoftwareToken, and without token or session", async () => {
    const AccessToken = await signedIn("totp-b");
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: "123456" })),
      "SoftwareTokenMFANotFoundException",
      400,
    );
    await rejectsWith(client.send(new AssociateSoftwareTokenCommand({})), "InvalidParameterException", 400);
    await rejectsWith(
      client.send(new AssociateSoftwareTokenCommand({ Session: "x".repeat(40) })),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      client.send(new AssociateSoftwareTokenCommand({ AccessToken: "not-a-token" })),
      "NotAuthorizedException",
      400,
    );
  });

  test("AdminSetUserMFAPreference refuses a factor the user has not set up", async () => {
    await signedIn("pref-a");
    for (const [settings, factor] of [
      [{ SoftwareTokenMfaSettings: { Enabled: true } }, "SOFTWARE_TOKEN_MFA"],
      [{ SMSMfaSettings: { Enabled: true } }, "SMS_MFA"],
      [{ EmailMfaSettings: { Enabled: true, PreferredMfa: true } }, "EMAIL_OTP"],
    ] as const)
      await rejectsWith(
        client.send(
          new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: "pref-a", ...settings }),
        ),
        "InvalidParameterException",
        400,
        new RegExp(`User does not have delivery config set to turn on ${factor}`),
      );
    await rejectsWith(
      client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: poolId,
          Username: "nobody",
          SMSMfaSettings: { Enabled: true },
        }),
      ),
      "UserNotFoundException",
      400,
    );
  });

  test("SMS and email preferences, one preferred at a time, and the legacy MFAOptions", async () => {
    const AccessToken = await signedIn("pref-b", [
      { Name: "phone_number", Value: "+15555550100" },
      { Name: "email", Value: "pref-b@example.com" },
    ]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "pref-b",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    let u = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "pref-b" }));
    assert.deepEqual(u.UserMFASettingList, ["SMS_MFA", "EMAIL_OTP"]);
    assert.equal(u.PreferredMfaSetting, "SMS_MFA");
    assert.deepEqual(u.MFAOptions, [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }]);
    await client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    u = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "pref-b" }));
    assert.equal(u.PreferredMfaSetting, "EMAIL_OTP");
    await rejectsWith(
      client.send(
        new SetUserMFAPreferenceCommand({
          AccessToken,
          EmailMfaSettings: { Enabled: true, PreferredMfa: true },
          SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      ),
      "InvalidParameterException",
      400,
    );
    // SetUserSettings with no options turns SMS MFA off; AdminSetUserSettings turns it on again.
    await client.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [] }));
    u = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "pref-b" }));
    assert.deepEqual(u.UserMFASettingList, ["EMAIL_OTP"]);
    assert.equal(u.MFAOptions, undefined);
    await client.send(
      new AdminSetUserSettingsCommand({
        UserPoolId: poolId,
        Username: "pref-b",
        MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
      }),
    );
    u = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "pref-b" }));
    assert.deepEqual(u.UserMFASettingList, ["SMS_MFA", "EMAIL_OTP"]);
    await rejectsWith(
      client.send(
        new AdminSetUserSettingsCommand({
          UserPoolId: poolId,
          Username: "pref-b",
          MFAOptions: [{ DeliveryMedium: "EMAIL", AttributeName: "email" }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "pref-b",
        EmailMfaSettings: { Enabled: false },
      }),
    );
    u = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "pref-b" }));
    assert.deepEqual(u.UserMFASettingList, ["SMS_MFA"]);
    assert.equal(u.PreferredMfaSetting, undefined, "the preferred factor was turned off");
  });

  test("each operation's errors: bad tokens, unknown users and pools, unsupported options", async () => {
    const AccessToken = await signedIn("errors-a");
    await rejectsWith(
      client.send(
        new SetUserMFAPreferenceCommand({ AccessToken: "nope", SMSMfaSettings: { Enabled: true } }),
      ),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      client.send(new SetUserSettingsCommand({ AccessToken: "nope", MFAOptions: [] })),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      client.send(
        new SetUserSettingsCommand({
          AccessToken,
          MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
        }),
      ),
      "InvalidParameterException",
      400,
      /User does not have delivery config set to turn on SMS_MFA/,
    );
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ AccessToken: "nope", UserCode: "123456" })),
      "NotAuthorizedException",
      400,
    );
    for (const send of [
      () => client.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: "nobody" })),
      () =>
        client.send(
          new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "nobody", MFAOptions: [] }),
        ),
    ])
      await rejectsWith(send(), "UserNotFoundException", 400);
    const noPool = "us-east-1_nopenope1";
    for (const send of [
      () => client.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: noPool, Username: "errors-a" })),
      () => client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: noPool, Username: "errors-a" })),
      () =>
        client.send(
          new AdminSetUserSettingsCommand({ UserPoolId: noPool, Username: "errors-a", MFAOptions: [] }),
        ),
    ])
      await rejectsWith(send(), "ResourceNotFoundException", 400);
    await rejectsWith(
      client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: "12345" })),
      "InvalidParameterException",
      400,
    );
  });
});
