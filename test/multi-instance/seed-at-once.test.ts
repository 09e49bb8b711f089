/**
 * Two instances on one PostgreSQL database starting at once with the same seed file: both start,
 * the pools are made once, and the users are there once. Runs on PostgreSQL only.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ListUserPoolsCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { root } from "../support/process.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe(
  "a seed file applied by two instances starting at once",
  { skip: testPostgresUrl() ? false : "runs on PostgreSQL only (LANYARD_TEST_POSTGRES_URL is not set)" },
  () => {
    let db: TestDatabase | undefined;
    const servers: TestServer[] = [];
    after(async () => {
      for (const s of servers) await s.stop();
      await db?.drop();
    });

    test("both start; the pool and its users exist once", async () => {
      db = await createTestDatabase();
      const seed = join(root, "examples", "seed.yaml");
      const started = await Promise.allSettled(
        [0, 1].map(() => startServer({ args: ["--storage", db!.url, "--seed", seed] })),
      );
      for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
      for (const s of started) if (s.status === "rejected") throw s.reason;
      const logs = servers.map((s) => s.logs());
      assert.equal(logs.filter((l) => /seed .*: 7 created/.test(l)).length, 1, logs.join("\n"));
      const sdk = servers[1]!.client();
      const pools = await sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      assert.deepEqual(
        pools.UserPools!.map((p) => p.Id),
        ["us-east-1_Example01"],
      );
      const users = await sdk.send(new ListUsersCommand({ UserPoolId: "us-east-1_Example01" }));
      assert.equal(users.Users!.length, 2);
    });
  },
);
