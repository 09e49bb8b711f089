/**
 * Refresh-token rotation with its grace period (GetTokensFromRefreshToken), and forgot-password
 * through amazon-cognito-identity-js with the code read from the inbox.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { rejectsWith } from "../support/assert.ts";
import { latestCode, setClockOffset } from "../support/inbox.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("refresh-token rotation and account recovery", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  const password = "R0tation-pass!";

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    admin = server.client();
    poolId = (
      await admin.send(new CreateUserPoolCommand({ PoolName: "rotation", AutoVerifiedAttributes: ["email"] }))
    ).UserPool!.Id!;
  });
  after(() => server.stop());

  async function user(name: string) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: name,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${name}@example.com` },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await admin.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: name,
        Password: password,
        Permanent: true,
      }),
    );
  }

  test("with rotation, each refresh returns a new refresh token; the old one lives only for the grace period", async () => {
    const clientId = (
      await admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "rotating",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 10 },
        }),
      )
    ).UserPoolClient!.ClientId!;
    await user("rotator");
    const signedIn = await admin.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "rotator", PASSWORD: password },
      }),
    );
    const first = signedIn.AuthenticationResult!.RefreshToken!;
    const rotated = await admin.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first }),
    );
    const second = rotated.AuthenticationResult?.RefreshToken;
    assert.ok(second && second !== first, "a new refresh token");
    // Within the grace period the old token still works (a client retrying a lost answer).
    const retry = await admin.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first }),
    );
    assert.ok(retry.AuthenticationResult?.AccessToken);
    await setClockOffset(server, 11_000);
    try {
      await rejectsWith(
        admin.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first })),
        "NotAuthorizedException",
        400,
      );
      const third = await admin.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: second }),
      );
      assert.ok(third.AuthenticationResult?.RefreshToken);
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("amazon-cognito-identity-js: forgotPassword then confirmPassword with the delivered code", async () => {
    const clientId = (
      await admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "web",
          ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await user("forgetful");
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const cognitoUser = new CognitoUser({ Username: "forgetful", Pool: pool });
    const delivery = await new Promise<{
      CodeDeliveryDetails: { DeliveryMedium: string; Destination: string };
    }>((resolve, reject) =>
      cognitoUser.forgotPassword({
        onSuccess: (data) => resolve(data),
        onFailure: reject,
        inputVerificationCode: (data: {
          CodeDeliveryDetails: { DeliveryMedium: string; Destination: string };
        }) => resolve(data),
      }),
    );
    assert.equal(delivery.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
    assert.match(delivery.CodeDeliveryDetails.Destination, /^f\*\*\*@e\*\*\*/);
    const code = await latestCode(server, { poolId, username: "forgetful" });
    assert.match(code, /^\d{6}$/);
    await new Promise<string>((resolve, reject) =>
      cognitoUser.confirmPassword(code, "Brand-new-passw0rd!", { onSuccess: resolve, onFailure: reject }),
    );
    const session = await new Promise((resolve, reject) =>
      new CognitoUser({ Username: "forgetful", Pool: pool }).authenticateUser(
        new AuthenticationDetails({ Username: "forgetful", Password: "Brand-new-passw0rd!" }),
        { onSuccess: resolve, onFailure: reject },
      ),
    );
    assert.ok(session);
    // The code was single-use.
    await assert.rejects(
      new Promise((resolve, reject) =>
        cognitoUser.confirmPassword(code, "Another-passw0rd!", { onSuccess: resolve, onFailure: reject }),
      ),
      (e: Error & { code?: string }) => {
        assert.ok(e.code === "ExpiredCodeException" || e.code === "CodeMismatchException", e.code);
        return true;
      },
    );
  });
});
