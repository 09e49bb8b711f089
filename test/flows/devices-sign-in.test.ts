/**
 * Device tracking in sign-in, through the AWS SDK v3 (the device's side by test/support/devices.ts):
 * NewDeviceMetadata, the device challenges (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) against the
 * device's own verifier, refused device keys, and refresh bound to the device.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  type CognitoIdentityProviderClient,
  ForgetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { type DeviceSteps, deviceSteps, FLOWS, PASSWORD, rejectsWith } from "../support/devices.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { startClientSrp } from "../support/srp-client.ts";

describe("device tracking in sign-in", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let steps: DeviceSteps;

  before(async () => {
    server = await startServer();
    sdk = server.client();
    ({ poolId, clientId } = await poolWithClient(sdk, {
      pool: {
        PoolName: "devices",
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      },
      app: { ExplicitAuthFlows: [...FLOWS] },
    }));
    steps = deviceSteps(sdk, poolId, clientId);
  });
  after(() => server.stop());

  test("a sign-in without a device gets NewDeviceMetadata, and its tokens are the new device's", async () => {
    await confirmedUser(sdk, poolId, "newcomer", PASSWORD);
    const { AuthenticationResult: result } = await steps.passwordSignIn("newcomer");
    const meta = result!.NewDeviceMetadata!;
    const region = poolId.slice(0, poolId.indexOf("_"));
    assert.match(
      meta.DeviceKey!,
      new RegExp(`^${region}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
    );
    assert.match(meta.DeviceGroupKey!, /^-[A-Za-z0-9]{9}$/);
    assert.equal(decodeJwt(result!.AccessToken!).device_key, meta.DeviceKey);
    // Admin sign-ins are tracked too; every sign-in without a device key gets a new device.
    const admin = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "newcomer", PASSWORD },
      }),
    );
    assert.ok(admin.AuthenticationResult!.NewDeviceMetadata!.DeviceKey);
    assert.notEqual(admin.AuthenticationResult!.NewDeviceMetadata!.DeviceKey, meta.DeviceKey);
    // Not confirmed yet: no device to see, and the key does not sign in.
    const listed = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "newcomer" }));
    assert.deepEqual(listed.Devices, []);
    await rejectsWith(
      steps.passwordSignIn("newcomer", meta.DeviceKey),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  test("a pool without DeviceConfiguration (or with none of its fields) tracks no devices, ignores DEVICE_KEY", async () => {
    for (const pool of [{}, { DeviceConfiguration: {} }]) {
      const plain = await poolWithClient(sdk, { pool, app: { ExplicitAuthFlows: [...FLOWS] } });
      await confirmedUser(sdk, plain.poolId, "plain", PASSWORD);
      const out = await sdk.send(
        new InitiateAuthCommand({
          ClientId: plain.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: {
            USERNAME: "plain",
            PASSWORD,
            DEVICE_KEY: "us-east-1_00000000-0000-4000-8000-000000000000",
          },
        }),
      );
      assert.ok(out.AuthenticationResult!.AccessToken);
      assert.equal(out.AuthenticationResult!.NewDeviceMetadata, undefined);
      assert.equal(decodeJwt(out.AuthenticationResult!.AccessToken!).device_key, undefined);
    }
  });

  test("a remembered device signs in through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER", async () => {
    const { device } = await steps.userWithDevice("srp-device");
    const before = await sdk.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "srp-device", DeviceKey: device.deviceKey }),
    );
    const answer = await steps.srpToPasswordVerifier("srp-device", device.deviceKey);
    const afterPassword = await answer();
    assert.equal(afterPassword.ChallengeName, "DEVICE_SRP_AUTH");
    assert.equal(afterPassword.AuthenticationResult, undefined);
    const done = await steps.deviceChallenges("srp-device", device, afterPassword.Session!);
    const result = done.AuthenticationResult!;
    assert.ok(result.IdToken && result.RefreshToken);
    assert.equal(result.NewDeviceMetadata, undefined);
    assert.equal(decodeJwt(result.AccessToken!).device_key, device.deviceKey);
    const after = await sdk.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "srp-device", DeviceKey: device.deviceKey }),
    );
    assert.ok(after.Device!.DeviceLastAuthenticatedDate! >= before.Device!.DeviceLastAuthenticatedDate!);
    const attrs = Object.fromEntries(after.Device!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal(attrs.last_ip_used, "127.0.0.1");
    assert.equal(attrs["dev:device_owner"], `srp-device.${poolId}`);
    assert.match(
      attrs["dev:device_arn"]!,
      new RegExp(
        `^arn:aws:cognito-idp:[a-z0-9-]+:\\d{12}:owner/srp-device\\.${poolId}/device/${device.deviceKey}$`,
      ),
    );
  });

  test("USER_PASSWORD_AUTH with DEVICE_KEY goes through the device challenges too", async () => {
    const { device } = await steps.userWithDevice("plain-device", false);
    const out = await steps.passwordSignIn("plain-device", device.deviceKey);
    assert.equal(out.ChallengeName, "DEVICE_SRP_AUTH");
    const done = await steps.deviceChallenges("plain-device", device, out.Session!);
    assert.equal(decodeJwt(done.AuthenticationResult!.AccessToken!).device_key, device.deviceKey);
    // And the admin sign-in, answered through AdminRespondToAuthChallenge.
    const adminOut = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "plain-device", PASSWORD, DEVICE_KEY: device.deviceKey },
      }),
    );
    assert.equal(adminOut.ChallengeName, "DEVICE_SRP_AUTH");
    const adminDone = await steps.deviceChallenges(
      "plain-device",
      device,
      adminOut.Session!,
      device.password,
      true,
    );
    assert.equal(decodeJwt(adminDone.AuthenticationResult!.AccessToken!).device_key, device.deviceKey);
  });

  test("a wrong device claim is refused, and the device challenge session is spent", async () => {
    const { device } = await steps.userWithDevice("wrong-claim");
    const out = await steps.passwordSignIn("wrong-claim", device.deviceKey);
    await rejectsWith(
      steps.deviceChallenges("wrong-claim", device, out.Session!, "not the device password"),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await rejectsWith(
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "DEVICE_SRP_AUTH",
          Session: out.Session,
          ChallengeResponses: {
            USERNAME: "wrong-claim",
            DEVICE_KEY: device.deviceKey,
            SRP_A: startClientSrp().srpA,
          },
        }),
      ),
      "NotAuthorizedException",
    );
  });

  test("a device key of another user is refused; the password answer then goes through without it", async () => {
    const { device: theirs } = await steps.userWithDevice("owner");
    const { device: mine } = await steps.userWithDevice("intruder");
    const answer = await steps.srpToPasswordVerifier("intruder", theirs.deviceKey);
    await rejectsWith(answer(), "ResourceNotFoundException", "Device does not exist.");
    // As amazon-cognito-identity-js does: the same answer again, without the device key.
    const retried = await answer(false);
    assert.ok(retried.AuthenticationResult!.NewDeviceMetadata!.DeviceKey);
    await rejectsWith(
      steps.passwordSignIn("intruder", theirs.deviceKey),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    // Nor can the device challenge switch to another user's device.
    const out = await steps.passwordSignIn("intruder", mine.deviceKey);
    await rejectsWith(steps.deviceChallenges("intruder", theirs, out.Session!), "ResourceNotFoundException");
    // Nor may an administrator read another user's device through this user.
    await rejectsWith(
      sdk.send(
        new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "intruder", DeviceKey: theirs.deviceKey }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  test("a forgotten device no longer signs in, nor refreshes its tokens", async () => {
    const { device } = await steps.userWithDevice("forgetful");
    const out = await steps.passwordSignIn("forgetful", device.deviceKey);
    const signedIn = (await steps.deviceChallenges("forgetful", device, out.Session!)).AuthenticationResult!;
    const refresh = (deviceKey?: string) =>
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: {
            REFRESH_TOKEN: signedIn.RefreshToken!,
            ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }),
          },
        }),
      );
    assert.ok((await refresh(device.deviceKey)).AuthenticationResult!.AccessToken);
    await sdk.send(
      new ForgetDeviceCommand({ AccessToken: signedIn.AccessToken, DeviceKey: device.deviceKey }),
    );
    await rejectsWith(refresh(device.deviceKey), "NotAuthorizedException", "Invalid Refresh Token");
    const answer = await steps.srpToPasswordVerifier("forgetful", device.deviceKey);
    await rejectsWith(answer(), "ResourceNotFoundException", "Device does not exist.");
    await rejectsWith(
      sdk.send(new ForgetDeviceCommand({ AccessToken: signedIn.AccessToken, DeviceKey: device.deviceKey })),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  test("a refresh token issued to a device needs its DEVICE_KEY, and marks the device used", async () => {
    const { device } = await steps.userWithDevice("refresher");
    const out = await steps.passwordSignIn("refresher", device.deviceKey);
    const signedIn = (await steps.deviceChallenges("refresher", device, out.Session!)).AuthenticationResult!;
    const refresh = (params: Record<string, string>) =>
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken!, ...params },
        }),
      );
    await rejectsWith(refresh({}), "NotAuthorizedException", "Invalid Refresh Token");
    const { device: other } = await steps.userWithDevice("refresher-2");
    await rejectsWith(
      refresh({ DEVICE_KEY: other.deviceKey }),
      "NotAuthorizedException",
      "Invalid Refresh Token",
    );
    const refreshed = await refresh({ DEVICE_KEY: device.deviceKey });
    assert.equal(decodeJwt(refreshed.AuthenticationResult!.AccessToken!).device_key, device.deviceKey);
    assert.equal(refreshed.AuthenticationResult!.NewDeviceMetadata, undefined);
    const viaApi = await sdk.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        RefreshToken: signedIn.RefreshToken!,
        DeviceKey: device.deviceKey,
      }),
    );
    assert.ok(viaApi.AuthenticationResult!.AccessToken);
    await rejectsWith(
      sdk.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: signedIn.RefreshToken! }),
      ),
      "NotAuthorizedException",
      "Invalid Refresh Token",
    );
  });

  test("the token endpoint's refresh grant needs the device's device_key too", async () => {
    const { device } = await steps.userWithDevice("oauth-refresher");
    const out = await steps.passwordSignIn("oauth-refresher", device.deviceKey);
    const signedIn = (await steps.deviceChallenges("oauth-refresher", device, out.Session!))
      .AuthenticationResult!;
    const grant = (extra: Record<string, string>) =>
      fetch(`${server.url}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: clientId,
          refresh_token: signedIn.RefreshToken!,
          ...extra,
        }),
      });
    const refused = await grant({});
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_grant");
    const ok = await grant({ device_key: device.deviceKey });
    assert.equal(ok.status, 200);
    const tokens = (await ok.json()) as { access_token: string };
    assert.equal(decodeJwt(tokens.access_token).device_key, device.deviceKey);
  });

  test("the tokens of a new device refresh with its key once it is confirmed", async () => {
    await confirmedUser(sdk, poolId, "unconfirmed", PASSWORD);
    const first = (await steps.passwordSignIn("unconfirmed")).AuthenticationResult!;
    const refresh = () =>
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: {
            REFRESH_TOKEN: first.RefreshToken!,
            DEVICE_KEY: first.NewDeviceMetadata!.DeviceKey!,
          },
        }),
      );
    await rejectsWith(refresh(), "NotAuthorizedException", "Invalid Refresh Token");
    await steps.confirm(first, false);
    assert.ok((await refresh()).AuthenticationResult!.AccessToken);
  });
});
