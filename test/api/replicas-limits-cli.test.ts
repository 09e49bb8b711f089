/**
 * The AWS CLI against the replica and provisioned limit operations, their errors, and a throttled
 * request (its own retries included). The installed CLI predates these operations: it reads their
 * model through AWS_DATA_PATH (test/support/cli-model.ts).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { cliDataPath } from "../support/cli-model.ts";
import { startServer, type TestServer } from "../support/server.ts";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(server: () => TestServer, env: Record<string, string> = {}) {
  return async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      [
        "cognito-idp",
        ...args,
        "--endpoint-url",
        server().url,
        "--output",
        "json",
        ...(args.includes("--region") ? [] : ["--region", "us-east-1"]),
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: "dummy",
          AWS_SECRET_ACCESS_KEY: "dummy",
          AWS_PAGER: "",
          AWS_DATA_PATH: await cliDataPath(),
          AWS_MAX_ATTEMPTS: "1",
          ...env,
        },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
}

async function failsWith(p: Promise<unknown>, type: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { stderr?: string }) => {
    assert.match(e.stderr ?? "", type);
    return true;
  });
}

describe("replicas and provisioned limits through the AWS CLI", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());
  const aws = cli(() => server);

  test("create, list, activate, deactivate and delete a replica, with the errors", async () => {
    const poolId: string = (await aws("create-user-pool", "--pool-name", "cli-replicated")).UserPool.Id;
    const created = await aws(
      "create-user-pool-replica",
      "--user-pool-id",
      poolId,
      "--region-name",
      "eu-west-1",
    );
    assert.deepEqual(created.UserPoolReplica, {
      RegionName: "eu-west-1",
      Status: "CREATING",
      Role: "SECONDARY",
      UserPoolArn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${poolId}`,
    });
    await failsWith(
      aws("create-user-pool-replica", "--user-pool-id", poolId, "--region-name", "us-east-1"),
      /InvalidParameterException/,
    );
    await failsWith(
      aws("create-user-pool-replica", "--user-pool-id", poolId, "--region-name", "eu-central-1"),
      /LimitExceededException/,
    );
    await sleep(1100);
    const listed = await aws("list-user-pool-replicas", "--user-pool-id", poolId);
    assert.deepEqual(
      listed.UserPoolReplicas.map(
        (r: { RegionName: string; Status: string }) => `${r.RegionName} ${r.Status}`,
      ),
      ["eu-west-1 INACTIVE", "us-east-1 ACTIVE"],
    );
    // The replica's region serves the pool.
    const there = await aws("describe-user-pool", "--user-pool-id", poolId, "--region", "eu-west-1");
    assert.equal(there.UserPool.Id, poolId);
    const active = await aws(
      "update-user-pool-replica",
      "--user-pool-id",
      poolId,
      "--region-name",
      "eu-west-1",
      "--status",
      "ACTIVE",
    );
    assert.equal(active.UserPoolReplica.Status, "ACTIVE");
    await failsWith(
      aws("delete-user-pool-replica", "--user-pool-id", poolId, "--region-name", "eu-west-1"),
      /InvalidParameterException/,
    );
    await aws(
      "update-user-pool-replica",
      "--user-pool-id",
      poolId,
      "--region-name",
      "eu-west-1",
      "--status",
      "INACTIVE",
    );
    const deleted = await aws(
      "delete-user-pool-replica",
      "--user-pool-id",
      poolId,
      "--region-name",
      "eu-west-1",
    );
    assert.equal(deleted.UserPoolReplica.Status, "DELETING");
    await failsWith(
      aws(
        "update-user-pool-replica",
        "--user-pool-id",
        poolId,
        "--region-name",
        "ap-south-1",
        "--status",
        "ACTIVE",
      ),
      /ResourceNotFoundException/,
    );
  });

  test("get and update a provisioned limit, with the errors", async () => {
    const definition = (category: string) =>
      JSON.stringify({ LimitClass: "API_CATEGORY", Attributes: { Category: category } });
    const got = await aws("get-provisioned-limit", "--limit-definition", definition("UserCreation"));
    assert.deepEqual(got.Limit, {
      LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserCreation" } },
      ProvisionedLimitValue: 50,
      FreeLimitValue: 50,
    });
    const updated = await aws(
      "update-provisioned-limit",
      "--limit-definition",
      definition("UserCreation"),
      "--requested-limit-value",
      "75",
    );
    assert.equal(updated.Limit.ProvisionedLimitValue, 75);
    await failsWith(
      aws(
        "update-provisioned-limit",
        "--limit-definition",
        definition("UserList"),
        "--requested-limit-value",
        "60",
      ),
      /InvalidParameterException/,
    );
    await failsWith(
      aws(
        "update-provisioned-limit",
        "--limit-definition",
        definition("UserCreation"),
        "--requested-limit-value",
        "501",
      ),
      /ServiceQuotaExceededException/,
    );
  });
});

describe("a throttled request through the AWS CLI", () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    server = await startServer({ args: ["--memory", "--rate-limits", "UserPoolRead=1"] });
  });
  after(() => server.stop());

  test("without retries the CLI reports TooManyRequestsException; with its standard retries it succeeds", async () => {
    const aws = cli(() => server);
    poolId = (await aws("create-user-pool", "--pool-name", "throttled")).UserPool.Id;
    const once = await Promise.allSettled(
      Array.from({ length: 4 }, () => aws("describe-user-pool", "--user-pool-id", poolId)),
    );
    const refused = once.filter((s) => s.status === "rejected") as PromiseRejectedResult[];
    assert.ok(refused.length >= 1);
    for (const r of refused)
      assert.match((r.reason as { stderr: string }).stderr, /TooManyRequestsException.*Rate exceeded/);
    await sleep(1100);
    const retrying = cli(() => server, { AWS_RETRY_MODE: "standard", AWS_MAX_ATTEMPTS: "10" });
    const all = await Promise.all(
      Array.from({ length: 3 }, () => retrying("describe-user-pool", "--user-pool-id", poolId)),
    );
    for (const r of all) assert.equal(r.UserPool.Id, poolId);
  });
});
