/**
 * Password-hashing benchmark: the operations that hash or verify a password, on one pool of
 * 2,000 users (500 with --quick), 16 calls in flight, on Lanyard and moto_server running side by
 * side (each workload runs on one, then the other), with each server's memory before and after. Run by `npm run bench` (alone: `npm run bench -- --passwords-only`).
 *
 *   AdminCreateUser       every user once (SUPPRESS: its generated password reaches no one, so no hash is made)
 *   AdminSetUserPassword  every user once, permanent (hashed)
 *   USER_PASSWORD_AUTH    a fixed time of sign-ins, users in turn (verified)
 *
 * Memory: VmRSS from /proc/<pid>/status when the server is idle after starting, right at the end
 * of the workloads, and once it has been idle for SETTLE_MS after them (Lanyard gives memory back
 * after a quiet spell: src/memory-reducer.ts); for Lanyard also its process.memoryUsage() (printed
 * on SIGUSR2). The targets apply to the idle and settled figures.
 *
 * Checks: with the test profile (`--hashing test`) Lanyard does each workload at least twice as
 * fast as moto_server; Lanyard's RSS is at most 90 MB idle, and after the workloads at most
 * 200 MB with the default profile, 120 MB with the test profile.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Call, Client, type LoadResult, runLoad } from "./load.ts";
import {
  machineBusySeconds,
  mib,
  type ProcessMemory,
  type RunningServer,
  startLanyard,
  startMoto,
  waitForQuiet,
} from "./servers.ts";
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
  /** CPU of the server process, and of other processes on the machine, in % of one core. */
  serverCpu: number;
  otherCpu: number;
}

/** Long enough for Lanyard's memory reducer (a collection 2-4 s after the last request). */
export const SETTLE_MS = 5_000;

export interface MemoryRow {
  server: string;
  idle: ProcessMemory;
  /** Right at the end of the workloads. */
  end: ProcessMemory;
  /** Idle for SETTLE_MS after the workloads. */
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

/** One server under test: its pool, and the workloads run against it one at a time. */
class Target {
  readonly server: RunningServer;
  private readonly client: Client;
  private readonly users: number;
  private readonly signInMs: number;
  private poolId = "";
  private clientId = "";
  idle: ProcessMemory | undefined;

  constructor(server: RunningServer, signer: Signer, users: number, signInMs: number) {
    this.server = server;
    this.client = new Client(server.port, signer, 64);
    this.users = users;
    this.signInMs = signInMs;
  }

  async setUp(): Promise<void> {
    await settle(SETTLE_MS);
    this.idle = this.server.memory();
    const { UserPool } = await this.client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
      PoolName: "password-bench",
    });
    this.poolId = UserPool.Id;
    const { UserPoolClient } = await this.client.json<{ UserPoolClient: { ClientId: string } }>(
      "CreateUserPoolClient",
      {
        UserPoolId: this.poolId,
        ClientName: "bench",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    );
    this.clientId = UserPoolClient.ClientId;
  }

  private call(workload: Workload): (i: number) => Call {
    const name = (i: number) => `hasher${i % this.users}`;
    switch (workload) {
      case "create":
        return (i) => ({
          operation: "AdminCreateUser",
          body: JSON.stringify({ UserPoolId: this.poolId, Username: name(i), MessageAction: "SUPPRESS" }),
          check: (b) => b.includes(`"${name(i)}"`),
        });
      case "set-password":
        return (i) => ({
          operation: "AdminSetUserPassword",
          body: JSON.stringify({
            UserPoolId: this.poolId,
            Username: name(i),
            Password: PASSWORD,
            Permanent: true,
          }),
        });
      case "sign-in":
        return (i) => ({
          operation: "InitiateAuth",
          body: JSON.stringify({
            ClientId: this.clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: name(i), PASSWORD },
          }),
          check: (b) => b.includes('"AccessToken"'),
        });
    }
  }

  /** Creations and password changes: each user once; sign-ins: for a fixed time. */
  async run(workload: Workload): Promise<PasswordRow> {
    const cpuBefore = this.server.cpuSeconds();
    const busyBefore = machineBusySeconds();
    const result = await runLoad(this.client, this.call(workload), {
      concurrency: CONCURRENCY,
      ...(workload === "sign-in" ? { durationMs: this.signInMs } : { count: this.users }),
    });
    const seconds = result.elapsedMs / 1000;
    const serverCpu = ((this.server.cpuSeconds() - cpuBefore) / seconds) * 100;
    const machine = ((machineBusySeconds() - busyBefore) / seconds) * 100;
    const otherCpu = Math.max(0, machine - serverCpu - result.loadCpu);
    return { server: this.server.name, workload, result, serverCpu, otherCpu };
  }

  async finish(): Promise<MemoryRow> {
    this.client.close();
    const end = this.server.memory();
    await settle(SETTLE_MS);
    const memory: MemoryRow = {
      server: this.server.name,
      idle: this.idle!,
      end,
      after: this.server.memory(),
    };
    const heap = await this.server.heap?.();
    if (heap) memory.heap = heap;
    return memory;
  }
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const errorsOf = (r: LoadResult) => r.requests - r.ok;

function report(
  rows: PasswordRow[],
  memory: MemoryRow[],
  hashing: string | undefined,
): { text: string; pass: boolean } {
  const lines = [
    "workload               server    req/s   p50 ms  p99 ms  errors  cpu% s/o  req/cpu-s",
    "-".repeat(74),
  ];
  for (const r of rows) {
    lines.push(
      `${LABELS[r.workload].padEnd(23)}${r.server.padEnd(9)}${fmt(r.result.rps).padStart(6)}${fmt(r.result.p50, 1).padStart(9)}${fmt(r.result.p99, 1).padStart(8)}${String(errorsOf(r.result)).padStart(8)}  ${`${fmt(r.serverCpu)}/${fmt(r.otherCpu)}`.padEnd(9)}${fmt(r.result.rps / (r.serverCpu / 100)).padStart(9)}`,
    );
    for (const ex of r.result.examples) lines.push(`    ${ex}`);
  }
  lines.push("");
  for (const m of memory) {
    lines.push(
      `${m.server.padEnd(9)} RSS idle ${mib(m.idle.rss)}, at the end ${mib(m.end.rss)}, ${SETTLE_MS / 1000} s later ${mib(m.after.rss)} (peak ${mib(m.after.peak)})`,
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
      `Lanyard RSS ${SETTLE_MS / 1000} s after the workloads ${mib(lanyard.after.rss)} (target ${after} MB, ${hashing ?? "default"} profile)`,
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
  const servers: RunningServer[] = [];
  try {
    // Both servers run side by side and take each workload in turn, so that both meet the same
    // load from other processes on the machine.
    // One start and stop first: a start that finds a module not in Node's compile cache yet (the
    // first after an install or a change) holds what it compiled, 10 MB and more, for its whole
    // life. Every later start, the state a server runs in, finds them all there.
    await (await startLanyard(join(dir, "warm-up"), { hashing: options.hashing })).stop();
    servers.push(await startLanyard(dir, { hashing: options.hashing }));
    if (options.moto) servers.push(await startMoto());
    await settle();
    const targets = servers.map((s) => new Target(s, signer, users, signInMs));
    for (const t of targets) await t.setUp();
    for (const workload of Object.keys(LABELS) as Workload[])
      for (const t of targets) {
        await waitForQuiet(2_000);
        rows.push(await t.run(workload));
      }
    for (const t of targets) memory.push(await t.finish());
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const { text, pass } = report(rows, memory, options.hashing);
  process.stdout.write(
    `\nPassword hashing (${users} users, ${CONCURRENCY} in flight; Lanyard on SQLite, file-backed, ${options.hashing ?? "default"} profile; ` +
      `cpu% s/o: the server's CPU / other processes', in % of one core; req/cpu-s: requests per second of server CPU)\n${text}\n`,
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
