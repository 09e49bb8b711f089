import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startServer, type TestServer } from "../support/server.ts";

const run = promisify(execFile);

/** The AWS CLI, as a user would run it against Lanyard. */
describe("AWS CLI smoke scenario", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  test("create a pool and a user; get, filter, list; clean up", async () => {
    const pool = await aws("create-user-pool", "--pool-name", "cli-demo");
    const id: string = pool.UserPool.Id;
    assert.match(id, /^us-east-1_/);
    await aws(
      "admin-create-user",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--user-attributes",
      "Name=email,Value=cli@example.com",
      "--message-action",
      "SUPPRESS",
    );
    const user = await aws("admin-get-user", "--user-pool-id", id, "--username", "cli-user");
    assert.equal(user.Username, "cli-user");
    const listed = await aws("list-users", "--user-pool-id", id, "--filter", 'email = "cli@example.com"');
    assert.equal(listed.Users.length, 1);
    const pools = await aws("list-user-pools", "--max-results", "60");
    assert.ok(pools.UserPools.some((p: { Id: string }) => p.Id === id));
    await aws("admin-delete-user", "--user-pool-id", id, "--username", "cli-user");
    await aws("delete-user-pool", "--user-pool-id", id);
  });

  test("errors reach the CLI with AWS's exception name", async () => {
    await assert.rejects(
      aws("describe-user-pool", "--user-pool-id", "us-east-1_missing00"),
      (e: Error & { stderr?: string }) => {
        assert.match(e.stderr ?? "", /ResourceNotFoundException/);
        return true;
      },
    );
  });
});
