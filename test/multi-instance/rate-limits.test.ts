/**
 * Two Lanyard instances on one PostgreSQL database share each request-rate limit: each counts the
 * live instances (their heartbeats in the database) and holds its share of the limit, so the
 * service as a whole stays within it; a provisioned limit set through one holds on the other, and
 * when one stops, the other takes the whole limit. Runs on PostgreSQL only.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  UpdateProvisionedLimitCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than a heartbeat (2 s): every instance has counted the others anew. */
const RESYNC_MS = 2600;

describe(
  "two instances share the rate limits",
  {
    skip: testPostgresUrl() ? false : "runs on PostgreSQL only (LANYARD_TEST_POSTGRES_URL is not set)",
  },
  () => {
    let db: TestDatabase;
    let one: TestServer;
    let two: TestServer;
    let a: CognitoIdentityProviderClient;
    let b: CognitoIdentityProviderClient;
    let poolId: string;

    before(async () => {
      db = await createTestDatabase();
      const args = ["--storage", db.url, "--rate-limits", "UserRead=10"];
      [one, two] = await Promise.all([startServer({ args }), startServer({ args })]);
      a = one.client();
      b = two.client();
      poolId = (await a.send(new CreateUserPoolCommand({ PoolName: "shared" }))).UserPool!.Id!;
      await a.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ann", MessageAction: "SUPPRESS" }),
      );
      await sleep(RESYNC_MS);
    });
    after(async () => {
      await Promise.all([one?.stop(), two?.stop()]);
      await db?.drop();
    });

    /** Sends n requests at once through the client; answers how many were served. */
    const burst = async (client: CognitoIdentityProviderClient, n: number) =>
      (
        await Promise.allSettled(
          Array.from({ length: n }, () =>
            client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" })),
          ),
        )
      ).filter((s) => s.status === "fulfilled").length;
    /**
     * At most what a bucket of `rate` per second (holding one second's worth) serves over a burst
     * that took `ms`: its content plus what it refilled meanwhile.
     */
    const atMost = (rate: number, ms: number) => Math.ceil(rate + (rate * ms) / 1000) + 1;
    const timed = async (client: CognitoIdentityProviderClient, n: number) => {
      const started = Date.now();
      const served = await burst(client, n);
      return { served, ms: Date.now() - started };
    };

    test("a burst at both instances is served about once the limit, not twice", async () => {
      const [x, y] = await Promise.all([timed(a, 20), timed(b, 20)]);
      // Each instance holds half of the limit of 10.
      for (const r of [x, y]) assert.ok(r.served >= 4 && r.served <= atMost(5, r.ms), JSON.stringify(r));
      assert.ok(x.served + y.served < 20, `together ${x.served + y.served} of 40 sent, limit 10`);
    });

    test("over time too: two seconds of requests at both serve about 2 s x 10 + the burst", async () => {
      await sleep(1100);
      let served = 0;
      const end = Date.now() + 2000;
      const hammer = async (client: CognitoIdentityProviderClient) => {
        while (Date.now() < end) {
          const n = await burst(client, 4);
          served += n;
          await sleep(25);
        }
      };
      await Promise.all([hammer(a), hammer(b)]);
      assert.ok(served >= 22 && served <= 36, `served ${served}`);
    });

    test("a provisioned limit set through one instance holds on the other", async () => {
      await a.send(
        new UpdateProvisionedLimitCommand({
          LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserRead" } },
          RequestedLimitValue: 40,
        }),
      );
      await sleep(RESYNC_MS);
      const y = await timed(b, 60);
      assert.ok(
        y.served >= 18 && y.served <= atMost(20, y.ms),
        `instance two: ${JSON.stringify(y)}, its share 20`,
      );
    });

    test("when one instance stops, the other takes the whole limit", async () => {
      await one.stop();
      await sleep(RESYNC_MS);
      const y = await timed(b, 90);
      assert.ok(
        y.served >= 38 && y.served <= atMost(40, y.ms),
        `the remaining instance: ${JSON.stringify(y)}, limit 40`,
      );
    });
  },
);
