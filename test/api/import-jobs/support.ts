/**
 * What the import job tests share: a pool set up for imports, CSV files built from GetCSVHeader's
 * columns, the upload with the real curl binary (as the developer guide's command), the log read
 * with curl's own SigV4 signing, and waiting for a job to end.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { poolWithClient } from "../../support/pools.ts";

const run = promisify(execFile);
export const ROLE_ARN = "arn:aws:iam::123456789012:role/CognitoImportLogs";

/** A pool with email auto-verified (as imports need), a custom attribute, and an app client. */
export async function importPool(client: CognitoIdentityProviderClient) {
  return poolWithClient(client, {
    pool: {
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
    },
    app: {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
  });
}

export async function header(client: CognitoIdentityProviderClient, poolId: string): Promise<string[]> {
  return (await client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
}

/** A CSV file: the header, then one line per row (columns not given are empty). */
export function csv(columns: readonly string[], rows: readonly Record<string, string>[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => row[c] ?? "").join(","));
  return `${lines.join("\n")}\n`;
}

/** A user row with a verified email. */
export function userRow(username: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "cognito:username": username,
    "cognito:mfa_enabled": "false",
    email: `${username}@example.com`,
    email_verified: "true",
    ...extra,
  };
}

export async function createJob(client: CognitoIdentityProviderClient, poolId: string, name = "import") {
  const out = await client.send(
    new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE_ARN }),
  );
  return out.UserImportJob!;
}

export interface CurlResult {
  status: number;
  body: string;
  headers: string;
}

/** `curl -v -T "file.csv" -H "x-amz-server-side-encryption:aws:kms" "<PreSignedUrl>"`, as the guide has it. */
export async function curlUpload(url: string, content: string | Buffer): Promise<CurlResult> {
  const dir = await mkdtemp(join(tmpdir(), "lanyard-import-"));
  try {
    const file = join(dir, "file.csv");
    await writeFile(file, content);
    return await curl(["-v", "-T", file, "-H", "x-amz-server-side-encryption:aws:kms", url], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function curl(args: string[], dir: string): Promise<CurlResult> {
  const out = join(dir, "out");
  const hdr = join(dir, "headers");
  const { stdout } = await run("curl", ["-sS", "-o", out, "-D", hdr, "-w", "%{http_code}", ...args], {
    maxBuffer: 1 << 24,
  });
  const { readFile } = await import("node:fs/promises");
  return {
    status: Number(stdout.trim()),
    body: await readFile(out, "utf8").catch(() => ""),
    headers: await readFile(hdr, "utf8").catch(() => ""),
  };
}

/** The job's log, read with curl's SigV4 signing (`--aws-sigv4`) and the API's credentials. */
export async function readLog(
  serverUrl: string,
  poolId: string,
  jobId: string,
): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(join(tmpdir(), "lanyard-log-"));
  try {
    const res = await curl(
      [
        "--aws-sigv4",
        "aws:amz:us-east-1:cognito-idp",
        "--user",
        "AKIDTEST:test-secret",
        `${serverUrl}/import-jobs/${poolId}/${jobId}/log`,
      ],
      dir,
    );
    if (res.status !== 200) throw new Error(`log answered ${res.status}: ${res.body}`);
    return res.body
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const ENDED: ReadonlySet<string> = new Set(["Succeeded", "Failed", "Stopped", "Expired"]);

/** Polls DescribeUserImportJob until `done` says so (by default: the job has ended). */
export async function waitForJob(
  client: CognitoIdentityProviderClient,
  poolId: string,
  jobId: string,
  done: (job: UserImportJobType) => boolean = (j) => ENDED.has(j.Status!),
  timeoutMs = 60_000,
): Promise<UserImportJobType> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId })))
      .UserImportJob!;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.Status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
