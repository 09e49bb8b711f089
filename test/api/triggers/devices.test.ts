/**
 * Triggers in the remembered-device sign-in: PostAuthentication's newDeviceUsed (a sign-in that
 * issues a new device) and PreTokenGeneration's TokenGeneration_AuthenticateDevice (the tokens
 * after DEVICE_PASSWORD_VERIFIER), through the AWS SDK with the device's own SRP.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { PostAuthenticationTriggerEvent } from "aws-lambda";
import { decodeJwt } from "jose";
import { type DeviceSteps, deviceSteps, FLOWS } from "../../support/devices.ts";
import { poolWithClient } from "../../support/pools.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

describe("triggers and remembered devices", () => {
  let t: TriggerServer;
  let sdk: CognitoIdentityProviderClient;
  let steps: DeviceSteps;

  before(async () => {
    t = await startTriggerServer({
      [arn("record")]: { module: join(FIXTURES, "record.ts") },
      [arn("pre-token")]: { module: join(FIXTURES, "pre-token.ts") },
    });
    sdk = t.server.client();
    const { poolId, clientId } = await poolWithClient(sdk, {
      pool: {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
        LambdaConfig: {
          PostAuthentication: arn("record"),
          PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("pre-token") },
        },
      },
      app: { ExplicitAuthFlows: [...FLOWS] },
    });
    steps = deviceSteps(sdk, poolId, clientId);
  });
  after(() => t.stop());

  test("newDeviceUsed, then TokenGeneration_AuthenticateDevice after the device's proof", async () => {
    t.clearEvents();
    const { device } = await steps.userWithDevice("dana");
    const post = t.events<PostAuthenticationTriggerEvent>("PostAuthentication_Authentication");
    assert.equal(post.length, 1);
    assert.equal(post[0]!.request.newDeviceUsed, true);
    assert.deepEqual(
      t.events("TokenGeneration_Authentication").map((e) => e.userName),
      ["dana"],
    );

    t.clearEvents();
    const out = await steps.passwordSignIn("dana", device.deviceKey);
    assert.equal(out.ChallengeName, "DEVICE_SRP_AUTH");
    const done = await steps.deviceChallenges("dana", device, out.Session!);
    assert.equal(decodeJwt(done.AuthenticationResult!.AccessToken!).tenant, "acme");
    const events = t.events();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      ["PostAuthentication_Authentication", "TokenGeneration_AuthenticateDevice"],
    );
    assert.equal((events[0] as unknown as PostAuthenticationTriggerEvent).request.newDeviceUsed, false);
  });
});
