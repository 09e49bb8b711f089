/**
 * userAuthEvents records: a sign-in to a Plus pool with threat protection on writes one INFO record
 * (Cognito's USER_ACTIVITY shape) per auth event to the pool's file; a pool that exports nothing,
 * or has threat protection off, writes none.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  SetLogDeliveryConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Correct-Horse-1";

describe("userAuthEvents log records", () => {
  let dir: string;
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lanyard-auth-logs-"));
    server = await startServer({ args: ["--memory", "--log-delivery-dir", dir] });
    cognito = server.client();
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pool(mode: "AUDIT" | "OFF", exported: boolean) {
    const { poolId, clientId } = await poolWithClient(cognito, {
      pool: { UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: mode } },
      app: { ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(cognito, poolId, "wren", PASSWORD);
    if (exported)
      await cognito.send(
        new SetLogDeliveryConfigurationCommand({
          UserPoolId: poolId,
          LogConfigurations: [
            {
              EventSource: "userAuthEvents",
              LogLevel: "INFO",
              S3Configuration: { BucketArn: "arn:aws:s3:::activity" },
            },
          ],
        }),
      );
    return { poolId, clientId };
  }
  const signIn = (poolId: string, clientId: string, password: string) =>
    cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "wren", PASSWORD: password },
      }),
    );
  const recordsOf = (poolId: string) => {
    const file = join(dir, `${poolId}.userAuthEvents.jsonl`);
    return existsSync(file)
      ? readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
      : [];
  };

  test("a sign-in and a failed one are USER_ACTIVITY INFO records", async () => {
    const { poolId, clientId } = await pool("AUDIT", true);
    await signIn(poolId, clientId, PASSWORD);
    await rejectsWith(signIn(poolId, clientId, "Wrong-Horse-1"), "NotAuthorizedException", 400);
    const records = recordsOf(poolId);
    assert.equal(records.length, 2, JSON.stringify(records));
    for (const r of records) {
      assert.deepEqual(Object.keys(r), [
        "eventTimestamp",
        "eventSource",
        "logLevel",
        "message",
        "logSourceId",
      ]);
      assert.equal(r.eventSource, "USER_ACTIVITY");
      assert.equal(r.logLevel, "INFO");
      assert.deepEqual(r.logSourceId, { userPoolId: poolId });
      assert.equal(r.message.version, "1");
      assert.equal(r.message.userName, "wren");
      assert.equal(r.message.userPoolId, poolId);
      assert.equal(r.message.eventType, "SignIn");
      assert.match(r.message.eventId, /^[0-9a-f-]{36}$/);
      assert.match(r.message.creationDate, /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      assert.equal(r.message.compromisedCredentialDetected, "false");
    }
    assert.deepEqual(
      records.map((r) => [r.message.eventResponse, r.message.challenges]),
      [
        ["Pass", [{ challengeName: "Password", challengeResponse: "Success" }]],
        ["Fail", [{ challengeName: "Password", challengeResponse: "Failure" }]],
      ],
    );
    assert.equal(records[0].message.riskDecision, "PASS");
    assert.equal(records[0].message.ipAddress, "127.0.0.1");
    assert.notEqual(records[0].message.requestId, records[1].message.requestId);
  });

  test("no records without the configuration, or with threat protection off", async () => {
    const quiet = await pool("AUDIT", false);
    await signIn(quiet.poolId, quiet.clientId, PASSWORD);
    assert.deepEqual(recordsOf(quiet.poolId), []);
    const off = await pool("OFF", true);
    await signIn(off.poolId, off.clientId, PASSWORD);
    assert.deepEqual(recordsOf(off.poolId), []);
  });
});
