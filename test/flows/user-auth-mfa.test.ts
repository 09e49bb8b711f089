/**
 * USER_AUTH with MFA, through the AWS SDK: after the first factor the MFA challenge follows as in
 * any sign-in, and the auth factors show the user's MFA settings.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserAuthFactorsCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import { rejectsWith } from "../support/assert.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Choice-and-mfa-1!";

describe("USER_AUTH with MFA", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer();
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: { PoolName: "choice-mfa" },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
  });
  after(() => server.stop());

  const passwordSignIn = (username: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );

  test("a TOTP user's PASSWORD first factor is followed by SOFTWARE_TOKEN_MFA; the auth factors show the MFA settings", async () => {
    await confirmedUser(client, poolId, "totp-user", PASSWORD);
    const AccessToken = (await passwordSignIn("totp-user")).AuthenticationResult!.AccessToken!;
    const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const now = () => Math.floor(Date.now() / 1000);
    await client.send(
      new VerifySoftwareTokenCommand({
        AccessToken,
        UserCode: generateSync({ secret: SecretCode!, epoch: now() - 30 }),
      }),
    );
    await client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );

    const mine = await client.send(new GetUserAuthFactorsCommand({ AccessToken }));
    assert.deepEqual(mine.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(mine.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
    assert.deepEqual(mine.ConfiguredUserAuthFactors, ["PASSWORD"]);
    const theirs = await client.send(
      new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: "totp-user" }),
    );
    assert.deepEqual(theirs.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(theirs.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

    const first = await passwordSignIn("totp-user");
    assert.equal(first.ChallengeName, "SOFTWARE_TOKEN_MFA");
    assert.equal(first.AuthenticationResult, undefined);
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "SOFTWARE_TOKEN_MFA",
        Session: first.Session,
        ChallengeResponses: {
          USERNAME: "totp-user",
          SOFTWARE_TOKEN_MFA_CODE: generateSync({ secret: SecretCode!, epoch: now() }),
        },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  test("a user without MFA has no MFA settings among the auth factors", async () => {
    await confirmedUser(client, poolId, "plain-user", PASSWORD);
    const AccessToken = (await passwordSignIn("plain-user")).AuthenticationResult!.AccessToken!;
    const mine = await client.send(new GetUserAuthFactorsCommand({ AccessToken }));
    assert.equal(mine.UserMFASettingList, undefined);
    assert.equal(mine.PreferredMfaSetting, undefined);
    assert.deepEqual(mine.ConfiguredUserAuthFactors, ["PASSWORD"]);
  });

  test("AdminSetUserMFAPreference turns passkey MFA on only for a user with another factor, and off", async () => {
    await confirmedUser(client, poolId, "passkey-mfa-admin", PASSWORD);
    const passkeyMfa = (Username: string, Enabled: boolean) =>
      client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: poolId,
          Username,
          WebAuthnMfaSettings: { Enabled },
        }),
      );
    await rejectsWith(
      passkeyMfa("passkey-mfa-admin", true),
      "InvalidParameterException",
      400,
      /at least one other MFA method/,
    );
    // totp-user (the first test) has TOTP turned on.
    await passkeyMfa("totp-user", true);
    await passkeyMfa("totp-user", false);
    await passkeyMfa("passkey-mfa-admin", false);
  });
});
