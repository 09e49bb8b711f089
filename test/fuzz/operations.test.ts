/**
 * The operation fuzzer in the normal test run: the recorded regressions first, then 10,000
 * requests generated from the service model for all 140 operations (valid, boundary and hostile
 * values, wrong types, missing members, huge and deeply nested values, wrong headers), signed where
 * the operation is. No answer may be a 5xx, every answer is JSON, every error has a `__type`, and
 * the server still answers /health and signs a user in afterwards. `npm run fuzz` runs 200,000.
 *
 * LANYARD_FUZZ_RUNS and LANYARD_FUZZ_SEED override the number of requests and the seed.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import {
  check,
  createFixture,
  describeFailure,
  emptyReport,
  type Fixture,
  fuzz,
  readRegressions,
} from "../support/fuzz.ts";
import { startServer, type TestServer } from "../support/server.ts";

const RUNS = Number(process.env.LANYARD_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.LANYARD_FUZZ_SEED ?? (Math.random() * 2 ** 31) | 0);

describe("operation fuzzer", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let fixture: Fixture;
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    sdk = server.client();
    fixture = await createFixture(sdk);
  });
  after(() => server.stop());

  test("the recorded regressions get a well-formed answer", async () => {
    const regressions = readRegressions();
    const failures: string[] = [];
    for (const r of regressions) {
      const report = emptyReport();
      const failure = await check(server, r.case, fixture, report);
      if (failure) failures.push(`${r.name}\n${describeFailure(failure)}`);
    }
    assert.deepEqual(failures, []);
  });

  test(
    `${RUNS} generated requests: no 5xx, JSON answers, a __type on every error`,
    { timeout: 600_000 },
    async () => {
      const report = await fuzz(server, sdk, {
        runs: RUNS,
        seed: SEED,
        workers: 4,
        chunk: 500,
        maxFailures: 3,
      }).catch((e: unknown) => {
        // A generator that throws (not a server's answer) still says how to run it again.
        throw new Error(`seed ${SEED} (LANYARD_FUZZ_SEED=${SEED}): ${(e as Error).stack ?? String(e)}`);
      });
      const failures = report.failures.map(describeFailure);
      assert.deepEqual(failures, [], `seed ${SEED}`);
      assert.ok(report.requests >= RUNS, `${report.requests} requests sent`);
      // Some requests got past validation and the lookups into the domain logic.
      if (RUNS >= 1000)
        assert.ok((report.statuses[200] ?? 0) > RUNS / 100, `statuses ${JSON.stringify(report.statuses)}`);
    },
  );

  test("the server is alive afterwards: /health and a real sign-in", async () => {
    assert.equal(server.process.exitCode, null);
    assert.equal(server.process.signalCode, null);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    // A fresh pool, client and user; signs in with USER_PASSWORD_AUTH and reads the user back.
    const fresh = await createFixture(sdk);
    assert.ok(fresh.access.length > 0);
  });
});
