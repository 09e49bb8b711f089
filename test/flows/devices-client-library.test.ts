/**
 * Remembered devices through the client libraries, as an app uses them: amazon-cognito-identity-js
 * confirms the new device itself (ConfirmDevice) when NewDeviceMetadata arrives, the app remembers
 * it (setDeviceStatusRemembered), and the next sign-in proves the device with DEVICE_SRP_AUTH; the
 * same through aws-amplify v6 (rememberDevice, fetchDevices, forgetDevice).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { Amplify } from "aws-amplify";
import {
  fetchAuthSession,
  fetchDevices,
  forgetDevice,
  rememberDevice,
  signIn as amplifySignIn,
  signOut,
} from "aws-amplify/auth";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Libr4ry-device!";

/** What the library sent: the operation, and the challenge answered. */
type Sent = { op: string; challenge?: string };

interface DeviceList {
  Devices: { DeviceKey: string }[];
}

describe("remembered devices through amazon-cognito-identity-js and Amplify", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let sent: Sent[] = [];

  before(async () => {
    server = await startServer();
    admin = server.client();
    ({ poolId, clientId } = await poolWithClient(admin, {
      pool: {
        PoolName: "remembered",
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
  });
  after(() => server.stop());

  /** A pool object whose requests are recorded in `sent`. */
  function userPool(): CognitoUserPool {
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const client = (pool as unknown as { client: { request: (...args: unknown[]) => void } }).client;
    const request = client.request.bind(client);
    client.request = (op: unknown, params: unknown, cb: unknown) => {
      const challenge = (params as { ChallengeName?: string }).ChallengeName;
      sent.push({ op: String(op), ...(challenge === undefined ? {} : { challenge }) });
      request(op, params, cb);
    };
    return pool;
  }

  function signIn(user: CognitoUser, password = PASSWORD) {
    return new Promise<{ session: CognitoUserSession; confirmationNecessary: boolean }>((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
        onSuccess: (session, confirmationNecessary) =>
          resolve({ session, confirmationNecessary: confirmationNecessary === true }),
        onFailure: reject,
      });
    });
  }

  const call = <T>(run: (cb: { onSuccess: (r: T) => void; onFailure: (e: Error) => void }) => void) =>
    new Promise<T>((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));

  test("sign in, remember the device, then sign in again through the device's own SRP", async () => {
    await confirmedUser(admin, poolId, "remembering", PASSWORD);
    const pool = userPool();
    sent = [];
    const user = new CognitoUser({ Username: "remembering", Pool: pool });
    const first = await signIn(user);
    assert.ok(first.session.isValid());
    // The library confirmed the device the sign-in gave it; the pool asks the user to remember it.
    assert.ok(sent.some((s) => s.op === "ConfirmDevice"));
    assert.equal(first.confirmationNecessary, true);
    const deviceKey = first.session.getAccessToken().payload.device_key as string;
    assert.ok(deviceKey);
    await call<string>((cb) => user.setDeviceStatusRemembered(cb));

    sent = [];
    const again = new CognitoUser({ Username: "remembering", Pool: pool });
    const second = await signIn(again);
    assert.ok(second.session.isValid());
    assert.deepEqual(
      sent.map((s) => s.challenge ?? s.op),
      ["InitiateAuth", "PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"],
    );
    assert.equal(second.session.getAccessToken().payload.device_key, deviceKey);

    // The library's types say a string; the callback gets GetDevice's answer.
    const device = (await call<string>((cb) => again.getDevice(cb))) as unknown as {
      Device: { DeviceKey: string };
    };
    assert.equal(device.Device.DeviceKey, deviceKey);
    const listed = await call<DeviceList>((cb) => again.listDevices(10, null, cb));
    assert.deepEqual(
      listed.Devices.map((d) => d.DeviceKey),
      [deviceKey],
    );

    // The library refreshes with the device key.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.refreshSession(second.session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) =>
        err ? reject(err) : resolve(s),
      ),
    );
    assert.equal(refreshed.getAccessToken().payload.device_key, deviceKey);

    // Forgotten, the device is gone; the next sign-in gets (and confirms) a new one.
    await call<string>((cb) => again.forgetDevice(cb));
    const gone = await admin.send(
      new AdminListDevicesCommand({ UserPoolId: poolId, Username: "remembering" }),
    );
    assert.deepEqual(gone.Devices, []);
    sent = [];
    const third = await signIn(new CognitoUser({ Username: "remembering", Pool: pool }));
    assert.ok(!sent.some((s) => s.challenge === "DEVICE_SRP_AUTH"));
    assert.ok(sent.some((s) => s.op === "ConfirmDevice"));
    assert.notEqual(third.session.getAccessToken().payload.device_key, deviceKey);
  });

  test("a device an administrator forgot: the library drops its key and signs in without it", async () => {
    await confirmedUser(admin, poolId, "dropped", PASSWORD);
    const pool = userPool();
    const user = new CognitoUser({ Username: "dropped", Pool: pool });
    const first = await signIn(user);
    await call<string>((cb) => user.setDeviceStatusRemembered(cb));
    const deviceKey = first.session.getAccessToken().payload.device_key as string;
    await admin.send(
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: "dropped", DeviceKey: deviceKey }),
    );

    sent = [];
    const again = await signIn(new CognitoUser({ Username: "dropped", Pool: pool }));
    assert.ok(again.session.isValid());
    // PASSWORD_VERIFIER refused for the device ("Device does not exist."), then answered again
    // without it on the same session; a new device is confirmed.
    assert.deepEqual(
      sent.map((s) => s.challenge ?? s.op),
      ["InitiateAuth", "PASSWORD_VERIFIER", "PASSWORD_VERIFIER", "ConfirmDevice"],
    );
    assert.notEqual(again.session.getAccessToken().payload.device_key, deviceKey);
  });

  test("a wrong password is still refused when the device is remembered", async () => {
    await confirmedUser(admin, poolId, "guarded", PASSWORD);
    const pool = userPool();
    const user = new CognitoUser({ Username: "guarded", Pool: pool });
    await signIn(user);
    await call<string>((cb) => user.setDeviceStatusRemembered(cb));
    await assert.rejects(
      signIn(new CognitoUser({ Username: "guarded", Pool: pool }), "Wrong-passw0rd!"),
      (e: Error & { code?: string }) => e.code === "NotAuthorizedException",
    );
  });

  test("aws-amplify v6: the device is confirmed, remembered, and proves itself on the next signIn", async () => {
    await confirmedUser(admin, poolId, "amplified", PASSWORD);
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } },
    });
    const first = await amplifySignIn({ username: "amplified", password: PASSWORD });
    assert.equal(first.isSignedIn, true);
    const deviceKey = (await fetchAuthSession()).tokens?.accessToken.payload.device_key;
    assert.ok(typeof deviceKey === "string");
    await rememberDevice();
    assert.deepEqual(
      (await fetchDevices()).map((d) => d.id),
      [deviceKey],
    );
    const used = async () =>
      (await admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "amplified" })))
        .Devices![0]!.DeviceLastAuthenticatedDate!;
    const before = await used();
    await signOut();
    await new Promise((r) => setTimeout(r, 1100));
    const second = await amplifySignIn({ username: "amplified", password: PASSWORD });
    assert.equal(second.isSignedIn, true);
    // The same device: its own SRP ran (a sign-in without it would have got a new device).
    assert.equal((await fetchAuthSession()).tokens?.accessToken.payload.device_key, deviceKey);
    assert.ok((await used()).getTime() > before.getTime());
    await forgetDevice();
    const gone = await admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "amplified" }));
    assert.deepEqual(gone.Devices, []);
    await signOut();
  });
});
