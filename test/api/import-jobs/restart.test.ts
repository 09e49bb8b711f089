/**
 * A job interrupted by a restart: the server is killed (SIGKILL) while the job is InProgress and
 * started again on the same data; the job then ends Failed, with the users imported before the
 * kill kept and counted, and never stays InProgress.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  DescribeUserPoolCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../../support/server.ts";
import { createJob, csv, curlUpload, header, importPool, readLog, userRow, waitForJob } from "./support.ts";

describe("an import job across a restart", () => {
  const servers: TestServer[] = [];
  let dir = "";
  after(async () => {
    for (const s of servers) await s.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("killed mid-job, the job ends Failed after the restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "lanyard-import-restart-"));
    const args = ["--data", join(dir, "data")];
    const first = await startServer({ args });
    servers.push(first);
    const client = first.client();
    const { poolId } = await importPool(client);
    const columns = await header(client, poolId);
    const rows = Array.from({ length: 80_000 }, (_, i) => userRow(`r${i}`));
    const job = await createJob(client, poolId);
    assert.equal((await curlUpload(job.PreSignedUrl!, csv(columns, rows))).status, 200);
    await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const running = await waitForJob(
      client,
      poolId,
      job.JobId!,
      (j) => j.Status !== "Pending" && (j.Status !== "InProgress" || j.ImportedUsers! > 0),
    );
    assert.equal(running.Status, "InProgress", "the job ended before it could be interrupted");
    first.process.kill("SIGKILL");
    await new Promise((r) => first.process.once("exit", r));

    const second = await startServer({ args });
    servers.push(second);
    const again = second.client();
    const seen = new Set<string>();
    const ended = await waitForJob(
      again,
      poolId,
      job.JobId!,
      (j) => {
        seen.add(j.Status!);
        return j.Status !== "InProgress";
      },
      30_000,
    );
    assert.equal(ended.Status, "Failed");
    assert.match(ended.CompletionMessage!, /interrupted/);
    assert.ok(ended.CompletionDate instanceof Date);
    assert.ok(
      ended.ImportedUsers! > 0 && ended.ImportedUsers! < rows.length,
      `imported ${ended.ImportedUsers}`,
    );
    // What the job counted is in the pool (a batch lost in the kill is neither counted nor written).
    const pool = await again.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(pool.UserPool!.EstimatedNumberOfUsers, ended.ImportedUsers);
    const log = await readLog(second.url, poolId, job.JobId!);
    assert.equal(log.at(-1)?.result, "FAILED");
    assert.match(String(log.at(-1)?.message), /interrupted/);
  });
});
