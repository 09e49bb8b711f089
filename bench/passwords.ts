/**
 * Password-hashing benchmark: the operations that hash or verify a password, on one pool of
 * 2,000 users (500 with --quick), 16 calls in flight, on Lanyard and moto_server, with the
 * server's memory before and after. Run by `npm run bench` (alone: `npm run bench -- --passwords-only`).
 *
 *   AdminCreateUser       every user once (a temporary password is generated and hashed)
 *   AdminSetUserPassword  every user once, permanent (hashed)
 *   USER_PASSWORD_AUTH    a fixed time of sign-ins, users in turn (verified)
 *
 * Memory: VmRSS from /proc/<pid>/status when the server is idle after starting, and after the
 * workloads; for Lanyard also its process.memoryUsage() (printed on SIGUSR2).
 *
 * Checks: with the test profile (`--hashing test`) Lanyard does each workload at least twice as
 * fast as moto_server; Lanyard's RSS is at most 90 MB idle, and after the workloads at most
 * 200 MB with the default profile, 120 MB with the test profile.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Call, Client, type LoadResult, runLoad } from "./load.ts";
import { mib, type ProcessMemory, type RunningServer, startLanyard, startMoto } from "./servers.ts";
import { Signer } from "./sign.ts";

const PASSWORD = "Bench-passw0rd!";
const CONCURRENCY = 16;
export const MEMORY_TARGETS = { idle: 90, afterDefault: 200, afterTest: 120 } as const;
export const TARGET_VS_MOTO_HASHING = 2;

type Workload = "create" | "set-password" | "sign-in";
const LABELS: Record<Workload, string> = {
  create: "AdminCreateUser",
  "set-password": "AdminSetUserPassword",
  "sign-in": "USER_PASSWORD_AUTH",
};

export interface PasswordRow {
  server: string;
  workload: Workload;
  result: LoadResult;
}

export interface MemoryRow {
  server: string;
  idle: ProcessMemory;
  after: ProcessMemory;
  heap?: NodeJS.MemoryUsage;
}

export interface PasswordBenchOptions {
  quick: boolean;
  moto: boolean;
  /** Lanyard's password-hashing profile; its default when undefined. */
  hashing: string | undefined;
}

async function settle(ms = 1_000): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export async function measure(
  server: RunningServer,
  signer: Signer,
  users: number,
  signInMs: number,
): Promise<{ rows: PasswordRow[]; memory: MemoryRow }> {
  await settle();
  const idle = server.memory();
  const client = new Client(server.port, signer, 64);
  const rows: PasswordRow[] = [];
  try {
    const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
      PoolName: "password-bench",
    });
    const poolId = UserPool.Id;
    const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
      "CreateUserPoolClient",
      {
        UserPoolId: poolId,
        ClientName: "bench",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    );
    const name = (i: number) => `hasher${i % users}`;
    const run = async (workload: Workload, next: (i: number) => Call, count?: number) => {
      const result = await runLoad(client, next, {
        concurrency: CONCURRENCY,
        ...(count === undefined ? { durationMs: signInMs } : { count }),
      });
      rows.push({ server: server.name, workload, result });
    };
    await run(
      "create",
      (i) => ({
        operation: "AdminCreateUser",
        body: JSON.stringify({ UserPoolId: poolId, Username: name(i), MessageAction: "SUPPRESS" }),
        check: (b) => b.includes(`"${name(i)}"`),
      }),
      users,
    );
    await run(
      "set-password",
      (i) => ({
        operation: "AdminSetUserPassword",
        body: JSON.stringify({ UserPoolId: poolId, Username: name(i), Password: PASSWORD, Permanent: true }),
      }),
      users,
    );
    await run("sign-in", (i) => ({
      operation: "InitiateAuth",
      body: JSON.stringify({
        ClientId: UserPoolClient.ClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: name(i), PASSWORD },
      }),
      check: (b) => b.includes('"AccessToken"'),
    }));
  } finally {
    client.close();
  }
  await settle();
  const memory: MemoryRow = { server: server.name, idle, after: server.memory() };
  const heap = await server.heap?.();
  if (heap) memory.heap = heap;
  return { rows, memory };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const errorsOf = (r: LoadResult) => r.requests - r.ok;

function report(
  rows: PasswordRow[],
  memory: MemoryRow[],
  hashing: string | undefined,
): { text: string; pass: boolean } {
  const lines = ["workload               server    req/s   p50 ms  p99 ms  errors", "-".repeat(64)];
  for (const r of rows) {
    lines.push(
      `${LABELS[r.workload].padEnd(23)}${r.server.padEnd(9)}${fmt(r.result.rps).padStart(6)}${fmt(r.result.p50, 1).padStart(9)}${fmt(r.result.p99, 1).padStart(8)}${String(errorsOf(r.result)).padStart(8)}`,
    );
    for (const ex of r.result.examples) lines.push(`    ${ex}`);
  }
  lines.push("");
  for (const m of memory) {
    lines.push(
      `${m.server.padEnd(9)} RSS idle ${mib(m.idle.rss)}, after ${mib(m.after.rss)} (peak ${mib(m.after.peak)})`,
    );
    if (m.heap)
      lines.push(
        `          process.memoryUsage(): rss ${mib(m.heap.rss)}, heapTotal ${mib(m.heap.heapTotal)}, heapUsed ${mib(m.heap.heapUsed)}, external ${mib(m.heap.external)}, arrayBuffers ${mib(m.heap.arrayBuffers)}`,
      );
  }
  lines.push("");
  let pass = true;
  const check = (ok: boolean, text: string) => {
    pass &&= ok;
    lines.push(`${ok ? "PASS" : "FAIL"}  ${text}`);
  };
  for (const r of rows) if (errorsOf(r.result) > 0) check(false, `${r.server} ${LABELS[r.workload]}: errors`);
  if (hashing === "test") {
    for (const workload of Object.keys(LABELS) as Workload[]) {
      const l = rows.find((r) => r.server === "lanyard" && r.workload === workload);
      const m = rows.find((r) => r.server === "moto" && r.workload === workload);
      if (!l || !m) continue;
      const ratio = l.result.rps / m.result.rps;
      check(
        ratio >= TARGET_VS_MOTO_HASHING,
        `${LABELS[workload]}: Lanyard ${fmt(l.result.rps)}/s = ${fmt(ratio, 1)} x moto_server (target ${TARGET_VS_MOTO_HASHING} x, test profile)`,
      );
    }
  }
  const lanyard = memory.find((m) => m.server === "lanyard");
  if (lanyard) {
    const after = hashing === "test" ? MEMORY_TARGETS.afterTest : MEMORY_TARGETS.afterDefault;
    check(
      lanyard.idle.rss <= MEMORY_TARGETS.idle * 1024 * 1024,
      `Lanyard RSS idle ${mib(lanyard.idle.rss)} (target ${MEMORY_TARGETS.idle} MB)`,
    );
    check(
      lanyard.after.rss <= after * 1024 * 1024,
      `Lanyard RSS after the workloads ${mib(lanyard.after.rss)} (target ${after} MB, ${hashing ?? "default"} profile)`,
    );
  }
  return { text: lines.join("\n"), pass };
}

export async function runPasswordBench(options: PasswordBenchOptions): Promise<boolean> {
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const users = options.quick ? 500 : 2_000;
  const signInMs = options.quick ? 3_000 : 6_000;
  const rows: PasswordRow[] = [];
  const memory: MemoryRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "lanyard-password-bench-"));
  try {
    const lanyard = await startLanyard(dir, { hashing: options.hashing });
    try {
      const out = await measure(lanyard, signer, users, signInMs);
      rows.push(...out.rows);
      memory.push(out.memory);
    } finally {
      await lanyard.stop();
    }
    if (options.moto) {
      const moto = await startMoto();
      try {
        const out = await measure(moto, signer, users, signInMs);
        rows.push(...out.rows);
        memory.push(out.memory);
      } finally {
        await moto.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { text, pass } = report(rows, memory, options.hashing);
  process.stdout.write(
    `\nPassword hashing (${users} users, ${CONCURRENCY} in flight; Lanyard on SQLite, file-backed, ${options.hashing ?? "default"} profile)\n${text}\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--hashing");
  const pass = await runPasswordBench({
    quick: args.includes("--quick"),
    moto: !args.includes("--no-moto"),
    hashing: at >= 0 ? args[at + 1] : undefined,
  });
  process.exitCode = pass ? 0 : 1;
}
