/**
 * The import job walk-through of the developer guide with the AWS CLI: get-csv-header,
 * create-user-import-job, the upload with curl to the PreSignedUrl, start-user-import-job,
 * describe-user-import-job, list-user-import-jobs and stop-user-import-job, and their errors.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startServer, type TestServer } from "../../support/server.ts";
import { csv, curlUpload, ROLE_ARN, userRow } from "./support.ts";

const run = promisify(execFile);

describe("user import jobs (AWS CLI)", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" } },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
  const fails = async (pattern: RegExp, ...args: string[]) =>
    assert.rejects(aws(...args), (e: Error & { stderr?: string }) => {
      assert.match(e.stderr ?? "", pattern);
      return true;
    });

  test("the guide's steps: header, job, curl upload, start, describe until Succeeded, list", async () => {
    const pool = await aws(
      "create-user-pool",
      "--pool-name",
      "cli-import",
      "--auto-verified-attributes",
      "email",
    );
    const poolId: string = pool.UserPool.Id;
    const { CSVHeader } = await aws("get-csv-header", "--user-pool-id", poolId);
    assert.equal(CSVHeader.at(-1), "cognito:username");
    const created = await aws(
      "create-user-import-job",
      "--user-pool-id",
      poolId,
      "--job-name",
      "cli-job",
      "--cloud-watch-logs-role-arn",
      ROLE_ARN,
    );
    const job = created.UserImportJob;
    assert.equal(job.Status, "Created");
    assert.equal(typeof job.CreationDate, "number");
    const upload = await curlUpload(
      job.PreSignedUrl,
      csv(CSVHeader, [
        userRow("cli1"),
        userRow("cli2"),
        userRow("cli1"),
        userRow("bad", { email_verified: "no" }),
      ]),
    );
    assert.equal(upload.status, 200);
    const started = await aws("start-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId);
    assert.equal(started.UserImportJob.JobId, job.JobId);
    let described;
    for (let i = 0; i < 200; i++) {
      described = (await aws("describe-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId))
        .UserImportJob;
      if (described.Status === "Succeeded") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(described.Status, "Succeeded");
    assert.deepEqual([described.ImportedUsers, described.SkippedUsers, described.FailedUsers], [2, 1, 1]);
    assert.equal(described.CloudWatchLogsRoleArn, ROLE_ARN);
    const listed = await aws("list-user-import-jobs", "--user-pool-id", poolId, "--max-results", "10");
    assert.deepEqual(
      listed.UserImportJobs.map((j: { JobId: string; Status: string }) => [j.JobId, j.Status]),
      [[job.JobId, "Succeeded"]],
    );
    const users = await aws("list-users", "--user-pool-id", poolId);
    assert.deepEqual(
      users.Users.map((u: { Username: string; UserStatus: string }) => [u.Username, u.UserStatus]).sort(),
      [
        ["cli1", "RESET_REQUIRED"],
        ["cli2", "RESET_REQUIRED"],
      ],
    );
    // The documented errors, as the CLI shows them.
    await fails(
      /PreconditionNotMetException/,
      "start-user-import-job",
      "--user-pool-id",
      poolId,
      "--job-id",
      job.JobId,
    );
    await fails(
      /PreconditionNotMetException/,
      "stop-user-import-job",
      "--user-pool-id",
      poolId,
      "--job-id",
      job.JobId,
    );
    await fails(
      /ResourceNotFoundException/,
      "describe-user-import-job",
      "--user-pool-id",
      poolId,
      "--job-id",
      "import-AAAAAAAAAA",
    );
    await fails(/ResourceNotFoundException/, "get-csv-header", "--user-pool-id", "us-east-1_missing00");
    await fails(
      /ResourceNotFoundException/,
      "create-user-import-job",
      "--user-pool-id",
      "us-east-1_missing00",
      "--job-name",
      "x",
      "--cloud-watch-logs-role-arn",
      ROLE_ARN,
    );
    await fails(
      /InvalidParameterException/,
      "list-user-import-jobs",
      "--user-pool-id",
      poolId,
      "--max-results",
      "61",
    );
  });

  test("stop-user-import-job on a running job", async () => {
    const pool = await aws(
      "create-user-pool",
      "--pool-name",
      "cli-stop",
      "--auto-verified-attributes",
      "email",
    );
    const poolId: string = pool.UserPool.Id;
    const { CSVHeader } = await aws("get-csv-header", "--user-pool-id", poolId);
    const job = (
      await aws(
        "create-user-import-job",
        "--user-pool-id",
        poolId,
        "--job-name",
        "cli-stop",
        "--cloud-watch-logs-role-arn",
        ROLE_ARN,
      )
    ).UserImportJob;
    const rows = Array.from({ length: 40_000 }, (_, i) => userRow(`s${i}`));
    assert.equal((await curlUpload(job.PreSignedUrl, csv(CSVHeader, rows))).status, 200);
    await aws("start-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId);
    const stopped = await aws("stop-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId);
    assert.equal(stopped.UserImportJob.Status, "Stopping");
    let described;
    for (let i = 0; i < 200; i++) {
      described = (await aws("describe-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId))
        .UserImportJob;
      if (described.Status !== "Stopping") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(described.Status, "Stopped");
    assert.ok(described.ImportedUsers < rows.length);
  });
});
