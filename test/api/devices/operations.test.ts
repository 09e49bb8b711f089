/**
 * The device operations through the AWS SDK v3: ConfirmDevice (with DeviceOnlyRememberedOnUserPrompt
 * and without), GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus and their Admin forms, with
 * AWS's errors.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  GetDeviceCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type DeviceSteps, deviceSteps, FLOWS, PASSWORD, rejectsWith } from "../../support/devices.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";
import { deviceVerifierConfig } from "../../support/srp-client.ts";

describe("device operations", () => {
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

  test("ConfirmDevice with DeviceOnlyRememberedOnUserPrompt: the user's prompt remembers the device", async () => {
    await confirmedUser(sdk, poolId, "prompted", PASSWORD);
    const { AuthenticationResult: result } = await steps.passwordSignIn("prompted");
    const device = await steps.confirm(result!, false);
    const asAdmin = () =>
      sdk.send(
        new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "prompted", DeviceKey: device.deviceKey }),
      );
    const attrs = async () =>
      Object.fromEntries((await asAdmin()).Device!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal((await attrs())["dev:device_remembered_status"], "not_remembered");
    assert.equal((await attrs())["device_name"], "test device");
    assert.equal((await attrs())["device_status"], "valid");
    // The user's own views show remembered devices only.
    const token = result!.AccessToken!;
    assert.deepEqual((await sdk.send(new ListDevicesCommand({ AccessToken: token }))).Devices, []);
    await rejectsWith(
      sdk.send(new GetDeviceCommand({ AccessToken: token, DeviceKey: device.deviceKey })),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    await sdk.send(
      new UpdateDeviceStatusCommand({
        AccessToken: token,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "remembered",
      }),
    );
    assert.equal((await attrs())["dev:device_remembered_status"], "remembered");
    const own = await sdk.send(new GetDeviceCommand({ AccessToken: token, DeviceKey: device.deviceKey }));
    assert.equal(own.Device!.DeviceKey, device.deviceKey);
    assert.equal(typeof own.Device!.DeviceCreateDate?.getTime(), "number");
    assert.deepEqual(
      (await sdk.send(new ListDevicesCommand({ AccessToken: token }))).Devices!.map((d) => d.DeviceKey),
      [device.deviceKey],
    );
    await sdk.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: poolId,
        Username: "prompted",
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "not_remembered",
      }),
    );
    assert.equal((await attrs())["dev:device_remembered_status"], "not_remembered");
    // Confirmed once: a second ConfirmDevice cannot replace its verifier.
    await rejectsWith(
      sdk.send(
        new ConfirmDeviceCommand({
          AccessToken: token,
          DeviceKey: device.deviceKey,
          DeviceSecretVerifierConfig: deviceVerifierConfig(device.groupKey, device.deviceKey, "other"),
        }),
      ),
      "InvalidParameterException",
    );
  });

  test("without DeviceOnlyRememberedOnUserPrompt ConfirmDevice remembers the device at once", async () => {
    const always = await poolWithClient(sdk, {
      pool: {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
      },
      app: { ExplicitAuthFlows: [...FLOWS] },
    });
    await confirmedUser(sdk, always.poolId, "always", PASSWORD);
    const signIn = (params: Record<string, string> = {}) =>
      sdk.send(
        new InitiateAuthCommand({
          ClientId: always.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "always", PASSWORD, ...params },
        }),
      );
    const result = (await signIn()).AuthenticationResult!;
    const meta = result.NewDeviceMetadata!;
    const confirmed = await sdk.send(
      new ConfirmDeviceCommand({
        AccessToken: result.AccessToken,
        DeviceKey: meta.DeviceKey,
        DeviceSecretVerifierConfig: deviceVerifierConfig(meta.DeviceGroupKey!, meta.DeviceKey!, "pw"),
      }),
    );
    assert.equal(confirmed.UserConfirmationNecessary, false);
    const listed = await sdk.send(new ListDevicesCommand({ AccessToken: result.AccessToken }));
    assert.deepEqual(
      listed.Devices!.map((d) => d.DeviceKey),
      [meta.DeviceKey],
    );
    // The device still proves itself on each sign-in with its key.
    assert.equal((await signIn({ DEVICE_KEY: meta.DeviceKey! })).ChallengeName, "DEVICE_SRP_AUTH");
  });

  test("ConfirmDevice refuses a bad verifier and another user's device key", async () => {
    await confirmedUser(sdk, poolId, "confirm-a", PASSWORD);
    await confirmedUser(sdk, poolId, "confirm-b", PASSWORD);
    const a = (await steps.passwordSignIn("confirm-a")).AuthenticationResult!;
    const b = (await steps.passwordSignIn("confirm-b")).AuthenticationResult!;
    const key = a.NewDeviceMetadata!.DeviceKey!;
    const good = deviceVerifierConfig(a.NewDeviceMetadata!.DeviceGroupKey!, key, "pw");
    await rejectsWith(
      sdk.send(new ConfirmDeviceCommand({ AccessToken: a.AccessToken, DeviceKey: key })),
      "InvalidParameterException",
    );
    await rejectsWith(
      sdk.send(
        new ConfirmDeviceCommand({
          AccessToken: a.AccessToken,
          DeviceKey: key,
          DeviceSecretVerifierConfig: { Salt: good.Salt, PasswordVerifier: "not base64!" },
        }),
      ),
      "InvalidParameterException",
    );
    await rejectsWith(
      sdk.send(
        new ConfirmDeviceCommand({
          AccessToken: b.AccessToken,
          DeviceKey: key,
          DeviceSecretVerifierConfig: good,
        }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    const ok = await sdk.send(
      new ConfirmDeviceCommand({
        AccessToken: a.AccessToken,
        DeviceKey: key,
        DeviceSecretVerifierConfig: good,
      }),
    );
    assert.equal(ok.UserConfirmationNecessary, true);
  });

  test("the device operations: pages, errors, the admin's forms", async () => {
    await confirmedUser(sdk, poolId, "collector", PASSWORD);
    const keys: string[] = [];
    let token = "";
    for (let i = 0; i < 3; i++) {
      const r = (await steps.passwordSignIn("collector")).AuthenticationResult!;
      keys.push((await steps.confirm(r)).deviceKey);
      token = r.AccessToken!;
    }
    keys.sort();
    const pages: string[][] = [];
    let next: string | undefined;
    do {
      const page = await sdk.send(
        new ListDevicesCommand({ AccessToken: token, Limit: 2, PaginationToken: next }),
      );
      pages.push(page.Devices!.map((d) => d.DeviceKey!));
      next = page.PaginationToken;
    } while (next);
    assert.deepEqual(pages, [keys.slice(0, 2), keys.slice(2)]);
    const adminPage = await sdk.send(
      new AdminListDevicesCommand({ UserPoolId: poolId, Username: "collector", Limit: 1 }),
    );
    assert.deepEqual(
      adminPage.Devices!.map((d) => d.DeviceKey),
      [keys[0]],
    );
    await rejectsWith(
      sdk.send(new ListDevicesCommand({ AccessToken: token, PaginationToken: adminPage.PaginationToken })),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
    await rejectsWith(
      sdk.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "nobody", DeviceKey: keys[0] })),
      "UserNotFoundException",
    );
    await rejectsWith(
      sdk.send(
        new AdminGetDeviceCommand({
          UserPoolId: "us-east-1_nopool123",
          Username: "collector",
          DeviceKey: keys[0],
        }),
      ),
      "ResourceNotFoundException",
    );
    await rejectsWith(
      sdk.send(
        new AdminGetDeviceCommand({
          UserPoolId: poolId,
          Username: "collector",
          DeviceKey: "us-east-1_00000000-0000-4000-8000-000000000000",
        }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    await rejectsWith(sdk.send(new GetDeviceCommand({ DeviceKey: keys[0] })), "NotAuthorizedException");
    await sdk.send(
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: "collector", DeviceKey: keys[0] }),
    );
    const left = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "collector" }));
    assert.deepEqual(
      left.Devices!.map((d) => d.DeviceKey),
      keys.slice(1),
    );
    await rejectsWith(
      sdk.send(
        new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: "collector", DeviceKey: keys[0] }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    // The devices go with the user.
    await sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "collector" }));
    await confirmedUser(sdk, poolId, "collector", PASSWORD);
    const fresh = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "collector" }));
    assert.deepEqual(fresh.Devices, []);
  });
});
