/**
 * The device's side of device tracking for API tests through the AWS SDK v3: sign-ins with and
 * without a DEVICE_KEY, ConfirmDevice with a verifier of the device's own (test/support/srp-client.ts),
 * and the answers to DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  AdminRespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { confirmedUser } from "./pools.ts";
import {
  devicePasswordVerifierResponses,
  deviceVerifierConfig,
  passwordVerifierResponses,
  startClientSrp,
} from "./srp-client.ts";

export const PASSWORD = "Dev1ce-password!";
export const FLOWS = [
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
] as const;

/** A confirmed device, with the password its verifier was made from. */
export interface Device {
  deviceKey: string;
  groupKey: string;
  password: string;
}

export async function rejectsWith(p: Promise<unknown>, name: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

/** The device-side steps against one app client of one pool. */
export function deviceSteps(sdk: CognitoIdentityProviderClient, poolId: string, clientId: string) {
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

  return { passwordSignIn, confirm, userWithDevice, srpToPasswordVerifier, deviceChallenges };
}

export type DeviceSteps = ReturnType<typeof deviceSteps>;
