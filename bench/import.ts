/**
 * User import benchmark: a CSV file of 100,000 users (10,000 with --quick, or `--import-rows N`)
 * through a user import job on one Lanyard (its own process, SQLite in a temporary data dir, or
 * PostgreSQL with --postgres), the way the developer guide does it:
 *
 *   aws cognito-idp get-csv-header / create-user-import-job    the CLI
 *   curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "<PreSignedUrl>"
 *   aws cognito-idp start-user-import-job                      the CLI
 *   DescribeUserImportJob every 100 ms until the job ends      the SDK (a CLI call costs a second)
 *
 * The file has 1 row in 100 repeating an earlier username (SKIPPED) and 1 in 200 without a verified
 * email (FAILED); the others are imported. Reports the upload's time, the job's rows/s (all rows over
 * the job's own StartDate to CompletionDate; the wall time from running the CLI's start, a Python
 * process that takes a second or two to start, to the poll that saw the end is shown beside it) and
 * the rows per second of server CPU (least moved by other work on the machine), and checks: the job
 * Succeeded; imported + skipped + failed = rows, each count as the file makes it; the pool holds
 * the imported users; at least 5,000 rows/s. Run by `npm run bench` (alone: `npm run bench --
 * --import-only`, or `node bench/import.ts [--quick] [--import-rows N] [--postgres]`).
 */
import { execFile } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CognitoIdentityProviderClient,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startBenchDatabase } from "./postgres.ts";
import { type RunningServer, startLanyard, waitForQuiet } from "./servers.ts";

const run = promisify(execFile);
const TARGET = 5_000;
const ENDED = new Set(["Succeeded", "Failed", "Stopped", "Expired"]);

export interface ImportBenchOptions {
  quick?: boolean;
  rows?: number;
  postgres?: boolean;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Writes the file (streamed, never whole in memory); how many rows each outcome should get. */
async function writeCsv(path: string, columns: readonly string[], rows: number) {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write(`${columns.join(",")}\n`);
  const expected = { imported: 0, skipped: 0, failed: 0 };
  let line = "";
  for (let i = 0; i < rows; i++) {
    const duplicate = i % 100 === 99;
    const invalid = !duplicate && i % 200 === 7;
    const name = duplicate ? `user${i - 50}` : `user${i}`;
    const values: Record<string, string> = {
      "cognito:username": name,
      "cognito:mfa_enabled": "false",
      email: `${name}@example.com`,
      email_verified: invalid ? "false" : "true",
      given_name: `Given${i}`,
      family_name: `Family${i}`,
    };
    if (duplicate) expected.skipped++;
    else if (invalid) expected.failed++;
    else expected.imported++;
    line += `${columns.map((c) => values[c] ?? "").join(",")}\n`;
    if (line.length > 1 << 16) {
      await write(line);
      line = "";
    }
  }
  await write(line);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return expected;
}

export async function runImportBench(options: ImportBenchOptions = {}): Promise<boolean> {
  const rows = options.rows ?? (options.quick ? 10_000 : 100_000);
  const dir = mkdtempSync(join(tmpdir(), "lanyard-bench-import-"));
  const db = options.postgres ? await startBenchDatabase() : undefined;
  let server: RunningServer | undefined;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  try {
    server = await startLanyard(join(dir, "data"), {
      ...(db ? { postgres: db } : {}),
      ...(process.env.IMPORT_BENCH_CPU_PROF ? { cpuProfDir: process.env.IMPORT_BENCH_CPU_PROF } : {}),
    });
    const url = `http://127.0.0.1:${server.port}`;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_PAGER: "" };
    const aws = async (...args: string[]) => {
      const { stdout } = await run(
        "aws",
        ["cognito-idp", ...args, "--endpoint-url", url, "--region", "us-east-1", "--output", "json"],
        { env },
      );
      return JSON.parse(stdout) as Record<string, Record<string, string> & { Id?: string }>;
    };
    const sdk = new CognitoIdentityProviderClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    });
    const poolId = (
      await aws("create-user-pool", "--pool-name", "import-bench", "--auto-verified-attributes", "email")
    ).UserPool!.Id!;
    const columns = (await aws("get-csv-header", "--user-pool-id", poolId)).CSVHeader as unknown as string[];
    const file = join(dir, "users.csv");
    const expected = await writeCsv(file, columns, rows);
    const job = (
      await aws(
        "create-user-import-job",
        "--user-pool-id",
        poolId,
        "--job-name",
        "bench",
        "--cloud-watch-logs-role-arn",
        "arn:aws:iam::123456789012:role/CognitoImportLogs",
      )
    ).UserImportJob!;
    const t0 = performance.now();
    const { stdout: code } = await run("curl", [
      "-sS",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      "-T",
      file,
      "-H",
      "x-amz-server-side-encryption:aws:kms",
      job.PreSignedUrl!,
    ]);
    const uploadMs = performance.now() - t0;
    if (code.trim() !== "200") throw new Error(`the upload answered ${code}`);
    await waitForQuiet(10_000);
    const t1 = performance.now();
    const cpu0 = server.cpuSeconds();
    await aws("start-user-import-job", "--user-pool-id", poolId, "--job-id", job.JobId!);
    let done: UserImportJobType;
    for (;;) {
      done = (await sdk.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })))
        .UserImportJob!;
      if (ENDED.has(done.Status!)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const jobMs = performance.now() - t1;
    const cpu = server.cpuSeconds() - cpu0;
    const serverMs = done.CompletionDate!.getTime() - done.StartDate!.getTime();
    const users = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!
      .EstimatedNumberOfUsers!;
    sdk.destroy();
    const rate = rows / (serverMs / 1000);
    const accounted = done.ImportedUsers! + done.SkippedUsers! + done.FailedUsers!;
    const backend = db ? "PostgreSQL" : "SQLite";
    log(
      `\nUser import job (${backend}): ${fmt(rows)} CSV rows, ${(statSync(file).size / 1e6).toFixed(1)} MB`,
    );
    log(`  upload with curl to the PreSignedUrl: ${(uploadMs / 1000).toFixed(2)} s`);
    log(
      `  job: ${done.Status}, StartDate to CompletionDate ${(serverMs / 1000).toFixed(2)} s: ${fmt(rate)} rows/s ` +
        `(${(jobMs / 1000).toFixed(2)} s from running the CLI's start-user-import-job to the poll that saw the end)`,
    );
    log(
      `  server CPU ${cpu.toFixed(2)} s: ${fmt(rows / cpu)} rows per CPU second (the figure least moved by other work on the machine)`,
    );
    log(
      `  imported ${fmt(done.ImportedUsers!)} + skipped ${fmt(done.SkippedUsers!)} + failed ${fmt(done.FailedUsers!)} = ${fmt(accounted)} of ${fmt(rows)} rows; the pool has ${fmt(users)} users`,
    );
    const checks: [string, boolean][] = [
      [`the job Succeeded (${done.Status}: ${done.CompletionMessage})`, done.Status === "Succeeded"],
      [`every row accounted for (${fmt(accounted)} = ${fmt(rows)})`, accounted === rows],
      [
        `counts as the file makes them (imported ${fmt(expected.imported)}, skipped ${fmt(expected.skipped)}, failed ${fmt(expected.failed)})`,
        done.ImportedUsers === expected.imported &&
          done.SkippedUsers === expected.skipped &&
          done.FailedUsers === expected.failed,
      ],
      [`the pool holds the imported users (${fmt(users)})`, users === expected.imported],
      [`at least ${fmt(TARGET)} rows/s (${fmt(rate)})`, rate >= TARGET],
    ];
    for (const [what, ok] of checks) log(`  ${ok ? "PASS" : "FAIL"} ${what}`);
    return checks.every(([, ok]) => ok);
  } finally {
    await server?.stop();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      postgres: { type: "boolean", default: false },
      "import-rows": { type: "string" },
    },
  });
  const rows = values["import-rows"] === undefined ? undefined : Number(values["import-rows"]);
  process.exitCode = (await runImportBench({ quick: values.quick, postgres: values.postgres, rows })) ? 0 : 1;
}
