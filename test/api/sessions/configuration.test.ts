import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

describe("session configurations of pools and app clients", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer({ args: ["--memory"] });
    cognito = server.client();
  });
  after(() => server.stop());

  test("a pool never configured reads as tracking DISABLED with MaxPerUser 20", async () => {
    const { poolId } = await poolWithClient(cognito);
    const got = await cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(got.UserPoolId, poolId);
    assert.equal(got.UserSessionTracking, "DISABLED");
    assert.deepEqual(got.TokenSession, { MaxPerUser: 20 });
  });

  test("SetUserPoolSessionConfiguration replaces the configuration and answers it", async () => {
    const { poolId } = await poolWithClient(cognito);
    const set = await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 5 },
      }),
    );
    assert.deepEqual(
      { id: set.UserPoolId, tracking: set.UserSessionTracking, token: set.TokenSession },
      { id: poolId, tracking: "ENABLED", token: { MaxPerUser: 5 } },
    );
    const got = await cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(got.UserSessionTracking, "ENABLED");
    assert.equal(got.TokenSession?.MaxPerUser, 5);
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "DISABLED",
        TokenSession: { MaxPerUser: 100 },
      }),
    );
    const again = await cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(again.UserSessionTracking, "DISABLED");
    assert.equal(again.TokenSession?.MaxPerUser, 100);
  });

  test("MaxPerUser is 1 to 100, and every parameter is required", async () => {
    const { poolId } = await poolWithClient(cognito);
    for (const [n, constraint] of [
      [0, "greater than or equal to 1"],
      [101, "less than or equal to 100"],
    ] as const)
      await rejectsWith(
        cognito.send(
          new SetUserPoolSessionConfigurationCommand({
            UserPoolId: poolId,
            UserSessionTracking: "ENABLED",
            TokenSession: { MaxPerUser: n },
          }),
        ),
        "InvalidParameterException",
        400,
        new RegExp(
          `^1 validation error detected: Value '${n}' at 'tokenSession.maxPerUser' failed to satisfy constraint: Member must have value ${constraint}$`,
        ),
      );
    await rejectsWith(
      cognito.send(
        new SetUserPoolSessionConfigurationCommand({
          UserPoolId: poolId,
          UserSessionTracking: "ENABLED",
          TokenSession: undefined,
        }),
      ),
      "InvalidParameterException",
      400,
      /Value null at 'tokenSession' failed to satisfy constraint: Member must not be null/,
    );
    const got = await cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(got.UserSessionTracking, "DISABLED");
  });

  test("a Lite pool cannot set session configurations", async () => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: "lite", UserPoolTier: "LITE" }),
    );
    await rejectsWith(
      cognito.send(
        new SetUserPoolSessionConfigurationCommand({
          UserPoolId: UserPool!.Id!,
          UserSessionTracking: "ENABLED",
          TokenSession: { MaxPerUser: 20 },
        }),
      ),
      "FeatureUnavailableInTierException",
      400,
    );
  });

  test("an unknown pool or app client is ResourceNotFoundException", async () => {
    await rejectsWith(
      cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: "us-east-1_nopool000" })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new SetUserPoolSessionConfigurationCommand({
          UserPoolId: "us-east-1_nopool000",
          UserSessionTracking: "ENABLED",
          TokenSession: { MaxPerUser: 20 },
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
    const { poolId } = await poolWithClient(cognito);
    await rejectsWith(
      cognito.send(
        new GetUserPoolClientSessionConfigurationCommand({
          UserPoolId: poolId,
          ClientId: "noclient0000000000000000000",
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("an app client never configured reuses SSO sessions for 60 minutes", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    const got = await cognito.send(
      new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.deepEqual(
      { pool: got.UserPoolId, client: got.ClientId, sso: got.SSOSession },
      { pool: poolId, client: clientId, sso: { MaxValidityMinutes: 60 } },
    );
  });

  test("SetUserPoolClientSessionConfiguration needs session tracking, and MaxValidityMinutes 0 to 129600", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    const set = (minutes: number) =>
      cognito.send(
        new SetUserPoolClientSessionConfigurationCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          SSOSession: { MaxValidityMinutes: minutes },
        }),
      );
    await rejectsWith(set(30), "OperationNotEnabledException", 400, /session tracking is not enabled/i);
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
    await rejectsWith(
      set(129_601),
      "InvalidParameterException",
      400,
      /Value '129601' at 'sSOSession.maxValidityMinutes' failed to satisfy constraint: Member must have value less than or equal to 129600/,
    );
    await rejectsWith(set(-1), "InvalidParameterException", 400, /greater than or equal to 0/);
    const answered = await set(0);
    assert.deepEqual(answered.SSOSession, { MaxValidityMinutes: 0 });
    await set(43_200);
    const got = await cognito.send(
      new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(got.SSOSession?.MaxValidityMinutes, 43_200);
    // Turning tracking off keeps the client's configuration (dormant).
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "DISABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
    const dormant = await cognito.send(
      new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(dormant.SSOSession?.MaxValidityMinutes, 43_200);
  });
});
