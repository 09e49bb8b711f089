/**
 * Device tracking through the AWS SDK v3, the client half of SRP done by test/support/srp-client.ts:
 * NewDeviceMetadata, ConfirmDevice, the device challenges (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)
 * against the device's own verifier, refresh bound to the device, and the device operations.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminRespondToAuthChallengeCommand,
  AdminUpdateDeviceStatusCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";
import {
  devicePasswordVerifierResponses,
  deviceVerifierConfig,
  passwordVerifierResponses,
  startClientSrp,
} from "../support/srp-client.ts";

const PASSWORD = "Dev1ce-password!";
const FLOWS = [
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
] as const;

interface Device {
  deviceKey: string;
  groupKey: string;
  password: string;
}

async function rejectsWith(p: Promise<unknown>, name: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

describe("device tracking", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

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
  });
  after(() => server.stop());

  async function passwordSignIn(username: string, deviceKey?: string) {
    return sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: {
          USERNAME: username,
          PASSWORD: PASSWORD,
          ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }),
        },
      }),
    );
  }

  /** ConfirmDevice for the device a sign-in's NewDeviceMetadata gave, with a verifier of its own. */
  async function confirm(result: AuthenticationResultType, remember = true): Promise<Device> {
    const meta = result.NewDeviceMetadata!;
    const device = {
      deviceKey: meta.DeviceKey!,
      groupKey: meta.DeviceGroupKey!,
      password: randomBytes(30).toString("base64"),
    };
    const confirmed = await sdk.send(
      new ConfirmDeviceCommand({
        AccessToken: result.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceName: "test device",
        DeviceSecretVerifierConfig: deviceVerifierConfig(device.groupKey, device.deviceKey, device.password),
      }),
    );
    assert.equal(confirmed.UserConfirmationNecessary, true);
    if (remember)
      await sdk.send(
        new UpdateDeviceStatusCommand({
          AccessToken: result.AccessToken,
          DeviceKey: device.deviceKey,
          DeviceRememberedStatus: "remembered",
        }),
      );
    return device;
  }

  /** A user signed in once without a device, whose new device is confirmed (and remembered). */
  async function userWithDevice(username: string, remember = true) {
    await confirmedUser(sdk, poolId, username, PASSWORD);
    const first = await passwordSignIn(username);
    const device = await confirm(first.AuthenticationResult!, remember);
    return { device, first: first.AuthenticationResult! };
  }

  /** USER_SRP_AUTH up to the PASSWORD_VERIFIER answer (with the DEVICE_KEY, when given). */
  async function srpToPasswordVerifier(username: string, deviceKey?: string) {
    const client = startClientSrp();
    const started = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: {
          USERNAME: username,
          SRP_A: client.srpA,
          ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }),
        },
      }),
    );
    assert.equal(started.ChallengeName, "PASSWORD_VERIFIER");
    const responses = passwordVerifierResponses({
      poolId,
      password: PASSWORD,
      client,
      challengeParameters: started.ChallengeParameters!,
    });
    return (withDevice = true) =>
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: {
            ...responses,
            ...(withDevice && deviceKey !== undefined ? { DEVICE_KEY: deviceKey } : {}),
          },
        }),
      );
  }

  /** Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER as the device (with `password`, its own unless told). */
  async function deviceChallenges(
    username: string,
    device: Device,
    session: string,
    password: string = device.password,
    asAdmin = false,
  ) {
    const respond = (input: {
      ChallengeName: "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER";
      Session: string;
      ChallengeResponses: Record<string, string>;
    }) =>
      asAdmin
        ? sdk.send(
            new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ...input }),
          )
        : sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ...input }));
    const client = startClientSrp();
    const srp = await respond({
      ChallengeName: "DEVICE_SRP_AUTH",
      Session: session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: client.srpA },
    });
    assert.equal(srp.ChallengeName, "DEVICE_PASSWORD_VERIFIER");
    assert.deepEqual(Object.keys(srp.ChallengeParameters!).sort(), [
      "SALT",
      "SECRET_BLOCK",
      "SRP_B",
      "USERNAME",
    ]);
    assert.equal(srp.ChallengeParameters!.USERNAME, username);
    return respond({
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      Session: srp.Session!,
      ChallengeResponses: devicePasswordVerifierResponses({
        username,
        groupKey: device.groupKey,
        deviceKey: device.deviceKey,
        password,
        client,
        challengeParameters: srp.ChallengeParameters!,
      }),
    });
  }

  test("a sign-in without a device gets NewDeviceMetadata, and its tokens are the new device's", async () => {
    await confirmedUser(sdk, poolId, "newcomer", PASSWORD);
    const { AuthenticationResult: result } = await passwordSignIn("newcomer");
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
      passwordSignIn("newcomer", meta.DeviceKey),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  test("a pool without DeviceConfiguration tracks no devices and ignores DEVICE_KEY", async () => {
    const plain = await poolWithClient(sdk, { app: { ExplicitAuthFlows: [...FLOWS] } });
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
  });

  test("ConfirmDevice with DeviceOnlyRememberedOnUserPrompt: the user's prompt remembers the device", async () => {
    await confirmedUser(sdk, poolId, "prompted", PASSWORD);
    const { AuthenticationResult: result } = await passwordSignIn("prompted");
    const device = await confirm(result!, false);
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
    const a = (await passwordSignIn("confirm-a")).AuthenticationResult!;
    const b = (await passwordSignIn("confirm-b")).AuthenticationResult!;
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

  test("a remembered device signs in through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER", async () => {
    const { device } = await userWithDevice("srp-device");
    const before = await sdk.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: "srp-device", DeviceKey: device.deviceKey }),
    );
    const answer = await srpToPasswordVerifier("srp-device", device.deviceKey);
    const afterPassword = await answer();
    assert.equal(afterPassword.ChallengeName, "DEVICE_SRP_AUTH");
    assert.equal(afterPassword.AuthenticationResult, undefined);
    const done = await deviceChallenges("srp-device", device, afterPassword.Session!);
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
    const { device } = await userWithDevice("plain-device", false);
    const out = await passwordSignIn("plain-device", device.deviceKey);
    assert.equal(out.ChallengeName, "DEVICE_SRP_AUTH");
    const done = await deviceChallenges("plain-device", device, out.Session!);
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
    const adminDone = await deviceChallenges(
      "plain-device",
      device,
      adminOut.Session!,
      device.password,
      true,
    );
    assert.equal(decodeJwt(adminDone.AuthenticationResult!.AccessToken!).device_key, device.deviceKey);
  });

  test("a wrong device claim is refused, and the device challenge session is spent", async () => {
    const { device } = await userWithDevice("wrong-claim");
    const out = await passwordSignIn("wrong-claim", device.deviceKey);
    await rejectsWith(
      deviceChallenges("wrong-claim", device, out.Session!, "not the device password"),
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
    const { device: theirs } = await userWithDevice("owner");
    const { device: mine } = await userWithDevice("intruder");
    const answer = await srpToPasswordVerifier("intruder", theirs.deviceKey);
    await rejectsWith(answer(), "ResourceNotFoundException", "Device does not exist.");
    // As amazon-cognito-identity-js does: the same answer again, without the device key.
    const retried = await answer(false);
    assert.ok(retried.AuthenticationResult!.NewDeviceMetadata!.DeviceKey);
    await rejectsWith(
      passwordSignIn("intruder", theirs.deviceKey),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    // Nor can the device challenge switch to another user's device.
    const out = await passwordSignIn("intruder", mine.deviceKey);
    await rejectsWith(deviceChallenges("intruder", theirs, out.Session!), "ResourceNotFoundException");
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
    const { device } = await userWithDevice("forgetful");
    const out = await passwordSignIn("forgetful", device.deviceKey);
    const signedIn = (await deviceChallenges("forgetful", device, out.Session!)).AuthenticationResult!;
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
    const answer = await srpToPasswordVerifier("forgetful", device.deviceKey);
    await rejectsWith(answer(), "ResourceNotFoundException", "Device does not exist.");
    await rejectsWith(
      sdk.send(new ForgetDeviceCommand({ AccessToken: signedIn.AccessToken, DeviceKey: device.deviceKey })),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  test("a refresh token issued to a device needs its DEVICE_KEY, and marks the device used", async () => {
    const { device } = await userWithDevice("refresher");
    const out = await passwordSignIn("refresher", device.deviceKey);
    const signedIn = (await deviceChallenges("refresher", device, out.Session!)).AuthenticationResult!;
    const refresh = (params: Record<string, string>) =>
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken!, ...params },
        }),
      );
    await rejectsWith(refresh({}), "NotAuthorizedException", "Invalid Refresh Token");
    const { device: other } = await userWithDevice("refresher-2");
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

  test("the tokens of a new device refresh with its key once it is confirmed", async () => {
    await confirmedUser(sdk, poolId, "unconfirmed", PASSWORD);
    const first = (await passwordSignIn("unconfirmed")).AuthenticationResult!;
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
    await confirm(first, false);
    assert.ok((await refresh()).AuthenticationResult!.AccessToken);
  });

  test("the device operations: pages, errors, the admin's forms", async () => {
    await confirmedUser(sdk, poolId, "collector", PASSWORD);
    const keys: string[] = [];
    let token = "";
    for (let i = 0; i < 3; i++) {
      const r = (await passwordSignIn("collector")).AuthenticationResult!;
      keys.push((await confirm(r)).deviceKey);
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
