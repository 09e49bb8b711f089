/**
 * npm run soak [-- --minutes N] [--concurrency C] [--users U] [--postgres] [--heap-snapshots DIR]
 *
 * A long mixed workload against one fresh Lanyard (its own process, SQLite in a temporary data
 * dir, or with --postgres a throwaway PostgreSQL cluster, see bench/postgres.ts), on 127.0.0.1:
 * USER_PASSWORD_AUTH and complete USER_SRP_AUTH sign-ins, REFRESH_TOKEN_AUTH, GetUser,
 * AdminGetUser, AdminUpdateUserAttributes, AdminCreateUser/AdminDeleteUser churn and ListUsers
 * pages with and without filters, C calls in flight, for N minutes (default 10), then it stops.
 *
 * Every 10 s it samples the server's RSS (VmRSS in /proc/<pid>/status), the latency percentiles
 * of the calls answered in that interval and the counts of 2xx/4xx/5xx answers; it prints one line
 * a minute and a verdict. Targets: RSS at the end within 10% of RSS after the warm-up (the first
 * minute), p99 of the last minute within 2x of the first minute's, no 5xx, and every answer as
 * expected (no 4xx, no network failure, no 200 with the wrong content). Exit status 1 when one
 * fails. Figures are written to bench/results/soak-latest.json.
 *
 * --heap-snapshots DIR: the server writes a V8 heap snapshot there after the first minute and at the
 * end, and the soak prints what grew between the two (bench/heap-diff.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Call, Client, type Response } from "./load.ts";
import { type BenchDatabase, startBenchDatabase } from "./postgres.ts";
import { createUserCall } from "./seed.ts";
import { machineBusySeconds, root, type RunningServer, startLanyard } from "./servers.ts";
import {
  type Fixture,
  getUserCall,
  hasTokens,
  passwordCall,
  refreshCall,
  setUp,
  srpSignIn,
} from "./sign-in.ts";
import { diff } from "./heap-diff.ts";
import { Signer } from "./sign.ts";
import { PAGE, prefixMatches } from "./workloads.ts";

const { values: flags } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    users: { type: "string", default: "300" },
    postgres: { type: "boolean", default: false },
    "heap-snapshots": { type: "string" },
  },
});

function intFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`soak: --${name} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return n;
}

const MINUTES = intFlag("minutes", flags.minutes, 2, 120);
const CONCURRENCY = intFlag("concurrency", flags.concurrency, 1, 256);
const USERS = intFlag("users", flags.users, PAGE + 1, 5_000);
const INTERVAL_MS = 10_000;
const PER_MINUTE = 60_000 / INTERVAL_MS;
const TARGETS = { rssGrowth: 0.1, p99Ratio: 2 } as const;
/** Churn users kept alive at once, at most. */
const CHURN_MAX = 100;
const SETUP_CONCURRENCY = 4;

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const mb = (kb: number) => (kb / 1024).toFixed(1);

type Outcome = "ok" | "4xx" | "5xx" | "network" | "unexpected";

/** What was answered in one 10 s interval. */
interface Bucket {
  latencies: number[];
  byOp: Map<string, number[]>;
  status: { "2xx": number; "4xx": number; "5xx": number; other: number; network: number };
  unexpected: number;
}

const newBucket = (): Bucket => ({
  latencies: [],
  byOp: new Map(),
  status: { "2xx": 0, "4xx": 0, "5xx": 0, other: 0, network: 0 },
  unexpected: 0,
});

interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssKb: number;
  calls: number;
  p50: number;
  p99: number;
  status: Bucket["status"];
  unexpected: number;
  /** CPU in % of one core over the interval: the server, this process, everything else. */
  serverCpu: number;
  loadCpu: number;
  otherCpu: number;
}

interface Minute {
  minute: number;
  calls: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  status: Bucket["status"];
  unexpected: number;
  rssKb: number;
  rssPeakKb: number;
  serverCpu: number;
  otherCpu: number;
  /** p99 per call kind in this minute. */
  byOp: Record<string, { calls: number; p99: number }>;
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** VmRSS of the process in kB; NaN once it is gone (a crashed server then fails the RSS check). */
function rssKb(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return Number.NaN;
  }
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return m ? Number(m[1]) : Number.NaN;
}

/** Bytes of the files directly in `dir`. */
function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, name) => n + statSync(join(dir, name)).size, 0);
}

const random = (n: number) => Math.floor(Math.random() * n);

/** The mixed workload: each worker picks one of these at random, by weight, again and again. */
class Soak {
  private bucket = newBucket();
  private readonly examples: string[] = [];
  private readonly churn: string[] = [];
  private churned = 0;
  private srpCount = 0;
  private stopped = false;
  private readonly client: Client;
  private readonly f: Fixture;
  private readonly mix: { weight: number; run: () => Promise<void> }[];
  private readonly totalWeight: number;

  constructor(client: Client, f: Fixture) {
    this.client = client;
    this.f = f;
    const users = f.users.length;
    const password = passwordCall(f);
    const refresh = refreshCall(f);
    const getUser = getUserCall(f);
    const seeded = () => f.users[random(users)]!;
    const pool = f.poolId;
    const listUsers = (extra: Record<string, unknown>, check: (body: string) => boolean): Call => ({
      operation: "ListUsers",
      body: JSON.stringify({ UserPoolId: pool, Limit: PAGE, ...extra }),
      check,
    });
    const usersIn = (body: string) => (JSON.parse(body) as { Users: unknown[] }).Users.length;
    this.mix = [
      {
        weight: 2,
        run: async () => {
          const res = await this.exec("USER_PASSWORD_AUTH", password(random(users)));
          if (res) this.keepTokens(res.body);
        },
      },
      { weight: 4, run: () => this.srp() },
      {
        weight: 14,
        run: async () => {
          const slot = random(users);
          const res = await this.exec("REFRESH_TOKEN_AUTH", refresh(slot));
          if (res) this.keepTokens(res.body, slot);
        },
      },
      { weight: 16, run: async () => void (await this.exec("GetUser", getUser(random(users)))) },
      {
        weight: 16,
        run: async () => {
          const name = seeded();
          await this.exec("AdminGetUser", {
            operation: "AdminGetUser",
            body: JSON.stringify({ UserPoolId: pool, Username: name }),
            check: (b) => b.includes(`"${name}"`),
          });
        },
      },
      {
        weight: 10,
        run: async () => {
          await this.exec("AdminUpdateUserAttributes", {
            operation: "AdminUpdateUserAttributes",
            body: JSON.stringify({
              UserPoolId: pool,
              Username: seeded(),
              UserAttributes: [
                { Name: "given_name", Value: `Soak${random(1000)}` },
                { Name: "family_name", Value: `Run${random(1000)}` },
              ],
            }),
          });
        },
      },
      { weight: 10, run: () => this.churnOnce() },
      {
        weight: 10,
        run: async () => {
          const first = await this.exec(
            "ListUsers first page",
            listUsers({}, (b) => usersIn(b) === PAGE && b.includes('"PaginationToken"')),
          );
          if (!first) return;
          const token = (JSON.parse(first.body) as { PaginationToken: string }).PaginationToken;
          await this.exec(
            "ListUsers next page",
            listUsers({ PaginationToken: token }, (b) => usersIn(b) > 0),
          );
        },
      },
      {
        weight: 9,
        run: async () => {
          const name = seeded();
          await this.exec(
            "ListUsers username =",
            listUsers({ Filter: `username = "${name}"` }, (b) => usersIn(b) === 1 && b.includes(`"${name}"`)),
          );
        },
      },
      {
        weight: 9,
        run: async () => {
          const k = 1 + random(9);
          const expected = Math.min(PAGE, prefixMatches(k, users));
          await this.exec(
            "ListUsers username ^=",
            listUsers({ Filter: `username ^= "signer${k}"` }, (b) => usersIn(b) === expected),
          );
        },
      },
    ];
    this.totalWeight = this.mix.reduce((a, m) => a + m.weight, 0);
  }

  /** Runs `concurrency` workers until `deadline` (performance.now()), then waits for them. */
  async run(concurrency: number, deadline: number): Promise<void> {
    const worker = async () => {
      while (!this.stopped && performance.now() < deadline) {
        let r = random(this.totalWeight);
        const op = this.mix.find((m) => (r -= m.weight) < 0)!;
        await op.run();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Workers stop after their current call. */
  stop(): void {
    this.stopped = true;
  }

  /** The answers since the last call, and a fresh bucket for the next interval. */
  take(): Bucket {
    const b = this.bucket;
    this.bucket = newBucket();
    return b;
  }

  failures(): string[] {
    return this.examples;
  }

  private note(op: string, latency: number, outcome: Outcome, detail?: string): void {
    const b = this.bucket;
    b.latencies.push(latency);
    let list = b.byOp.get(op);
    if (!list) b.byOp.set(op, (list = []));
    list.push(latency);
    if (outcome === "unexpected") b.unexpected++;
    if (outcome !== "ok" && this.examples.length < 10)
      this.examples.push(`${op}: ${outcome}: ${(detail ?? "").slice(0, 300)}`);
  }

  private count(res: Response): void {
    const s = this.bucket.status;
    if (res.status >= 200 && res.status < 300) s["2xx"]++;
    else if (res.status >= 400 && res.status < 500) s["4xx"]++;
    else if (res.status >= 500) s["5xx"]++;
    else s.other++;
  }

  /** Sends one call; returns its answer when it was a 200 with the expected content. */
  private async exec(op: string, call: Call): Promise<Response | undefined> {
    const send = this.client.prepare(call);
    const t0 = performance.now();
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      this.bucket.status.network++;
      this.note(op, performance.now() - t0, "network", (e as Error).message);
      return undefined;
    }
    const latency = performance.now() - t0;
    this.count(res);
    const outcome: Outcome =
      res.status >= 500
        ? "5xx"
        : res.status !== 200
          ? "4xx"
          : call.check && !call.check(res.body)
            ? "unexpected"
            : "ok";
    this.note(op, latency, outcome, `HTTP ${res.status} ${res.errorType ?? ""} ${res.body}`);
    return outcome === "ok" ? res : undefined;
  }

  /** A new sign-in's tokens replace those of a random slot (or of `slot`) in the fixture. */
  private keepTokens(body: string, slot = random(this.f.users.length)): void {
    const out = (
      JSON.parse(body) as { AuthenticationResult?: { AccessToken: string; RefreshToken?: string } }
    ).AuthenticationResult;
    if (!out) return;
    this.f.accessTokens[slot] = out.AccessToken;
    if (out.RefreshToken) this.f.refreshTokens[slot] = out.RefreshToken;
  }

  /** One complete USER_SRP_AUTH sign-in (both round trips), timed as one call. */
  private async srp(): Promise<void> {
    const op = "USER_SRP_AUTH (2 round trips)";
    const username = this.f.users[this.srpCount++ % this.f.users.length]!;
    const t0 = performance.now();
    let answers: Awaited<ReturnType<typeof srpSignIn>>;
    try {
      answers = await srpSignIn(this.client, this.f, username);
    } catch (e) {
      this.bucket.status.network++;
      this.note(op, performance.now() - t0, "network", (e as Error).message);
      return;
    }
    const latency = performance.now() - t0;
    const { first, second } = answers;
    this.count(first);
    if (second) this.count(second);
    const last = second ?? first;
    const outcome: Outcome =
      last.status >= 500 ? "5xx" : last.status !== 200 ? "4xx" : !hasTokens(last.body) ? "unexpected" : "ok";
    this.note(op, latency, outcome, `HTTP ${last.status} ${last.errorType ?? ""} ${last.body}`);
    if (outcome === "ok") this.keepTokens(last.body);
  }

  /** AdminCreateUser of a new churn user, or AdminDeleteUser of the oldest, keeping at most CHURN_MAX. */
  private async churnOnce(): Promise<void> {
    const create = this.churn.length === 0 || (this.churn.length < CHURN_MAX && Math.random() < 0.5);
    if (create) {
      const name = `churn${this.churned++}`;
      const res = await this.exec(
        "AdminCreateUser",
        createUserCall(this.f.poolId, name, { email: `${name}@example.com`, given_name: "Churn" }),
      );
      if (res) this.churn.push(name);
      return;
    }
    const name = this.churn.shift()!;
    await this.exec("AdminDeleteUser", {
      operation: "AdminDeleteUser",
      body: JSON.stringify({ UserPoolId: this.f.poolId, Username: name }),
    });
  }
}

function sumStatus(buckets: Bucket["status"][]): Bucket["status"] {
  const out = { "2xx": 0, "4xx": 0, "5xx": 0, other: 0, network: 0 };
  for (const s of buckets) for (const k of Object.keys(out) as (keyof typeof out)[]) out[k] += s[k];
  return out;
}

/** `afterWarmUp` runs once the first minute is sampled. */
async function soak(server: RunningServer, client: Client, f: Fixture, afterWarmUp?: () => void) {
  const runner = new Soak(client, f);
  const intervals = MINUTES * PER_MINUTE;
  const samples: Sample[] = [];
  const minutes: Minute[] = [];
  let minuteBuckets: Bucket[] = [];
  let minuteSamples: Sample[] = [];
  const started = performance.now();
  const serverCpuSeconds = () => {
    try {
      return server.cpuSeconds();
    } catch {
      return Number.NaN; // the process is gone
    }
  };
  let exited = false;
  let cpu = { server: serverCpuSeconds(), load: process.cpuUsage(), machine: machineBusySeconds() };
  const load = runner.run(CONCURRENCY, started + intervals * INTERVAL_MS);
  log("minute   calls/s  p50 ms  p99 ms  max ms   2xx    4xx  5xx  other  RSS MB (peak)   cpu% server/other");
  for (let k = 1; k <= intervals; k++) {
    const wait = started + k * INTERVAL_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // The last interval takes the calls still in flight at the end.
    if (k === intervals) await load;
    const elapsed = (performance.now() - started) / 1000;
    const bucket = runner.take();
    const now = { server: serverCpuSeconds(), load: process.cpuUsage(), machine: machineBusySeconds() };
    const seconds = elapsed - (samples.at(-1)?.t ?? 0);
    const serverCpu = ((now.server - cpu.server) / seconds) * 100;
    const used = process.cpuUsage(cpu.load);
    const loadCpu = ((used.user + used.system) / 1e6 / seconds) * 100;
    const otherCpu = Math.max(0, ((now.machine - cpu.machine) / seconds) * 100 - serverCpu - loadCpu);
    cpu = now;
    const sample: Sample = {
      t: elapsed,
      rssKb: rssKb(server.pid),
      calls: bucket.latencies.length,
      p50: percentile(bucket.latencies, 0.5),
      p99: percentile(bucket.latencies, 0.99),
      status: bucket.status,
      unexpected: bucket.unexpected,
      serverCpu,
      loadCpu,
      otherCpu,
    };
    samples.push(sample);
    minuteBuckets.push(bucket);
    minuteSamples.push(sample);
    if (Number.isNaN(sample.rssKb)) {
      runner.stop();
      await load;
      exited = true;
      log(`The server exited after ${elapsed.toFixed(0)} s: the soak stops.`);
      break;
    }
    if (k === PER_MINUTE) afterWarmUp?.();
    if (k % PER_MINUTE !== 0) continue;
    const latencies = minuteBuckets.flatMap((b) => b.latencies);
    const minuteStart = minutes.length === 0 ? 0 : samples[minutes.length * PER_MINUTE - 1]!.t;
    const span = elapsed - minuteStart;
    const perOp = new Map<string, number[]>();
    for (const b of minuteBuckets)
      for (const [op, list] of b.byOp) {
        const all = perOp.get(op);
        if (all) all.push(...list);
        else perOp.set(op, [...list]);
      }
    const byOp: Minute["byOp"] = {};
    for (const [op, list] of perOp) byOp[op] = { calls: list.length, p99: percentile(list, 0.99) };
    const m: Minute = {
      minute: minutes.length + 1,
      calls: latencies.length,
      perSecond: latencies.length / span,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: percentile(latencies, 1),
      status: sumStatus(minuteBuckets.map((b) => b.status)),
      unexpected: minuteBuckets.reduce((a, b) => a + b.unexpected, 0),
      rssKb: sample.rssKb,
      rssPeakKb: Math.max(...minuteSamples.map((s) => s.rssKb)),
      serverCpu: minuteSamples.reduce((a, s) => a + s.serverCpu, 0) / minuteSamples.length,
      otherCpu: minuteSamples.reduce((a, s) => a + s.otherCpu, 0) / minuteSamples.length,
      byOp,
    };
    minutes.push(m);
    const other = m.status.other + m.status.network + m.unexpected;
    log(
      `${String(m.minute).padStart(6)}${m.perSecond.toFixed(0).padStart(10)}${ms(m.p50).padStart(8)}${ms(m.p99).padStart(8)}` +
        `${ms(m.max).padStart(8)}${String(m.status["2xx"]).padStart(7)}${String(m.status["4xx"]).padStart(7)}` +
        `${String(m.status["5xx"]).padStart(5)}${String(other).padStart(7)}` +
        `${`${mb(m.rssKb)} (${mb(m.rssPeakKb)})`.padStart(16)}   ${m.serverCpu.toFixed(0)}/${m.otherCpu.toFixed(0)}`,
    );
    minuteBuckets = [];
    minuteSamples = [];
  }
  return { samples, minutes, exited, failures: runner.failures() };
}

/** The signal that makes the server write a heap snapshot (SIGUSR1 starts the inspector, SIGUSR2 is left to the server). */
const HEAP_SIGNAL = "SIGWINCH";

/**
 * Lanyard as the benchmarks start it; with `heapDir`, node writes a heap snapshot there on
 * HEAP_SIGNAL (the flags reach the server through NODE_OPTIONS, which it inherits).
 */
async function startLanyardWith(dataDir: string, db: BenchDatabase | undefined, heapDir?: string) {
  if (!heapDir) return startLanyard(dataDir, { postgres: db });
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS =
    `${before ?? ""} --heapsnapshot-signal=${HEAP_SIGNAL} --diagnostic-dir=${heapDir}`.trim();
  try {
    return await startLanyard(dataDir, { postgres: db });
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

function verdict(samples: Sample[], minutes: Minute[], exited: boolean): Check[] {
  const base = samples[PER_MINUTE - 1]?.rssKb ?? Number.NaN;
  const end = samples.at(-1)?.rssKb ?? Number.NaN;
  const growth = end / base - 1;
  const first = minutes[0]?.p99 ?? Number.NaN;
  const last = minutes.length >= 2 ? minutes.at(-1)!.p99 : Number.NaN;
  const ratio = last / first;
  const total = sumStatus(samples.map((s) => s.status));
  const answers = total["2xx"] + total["4xx"] + total["5xx"] + total.other;
  const unexpected = samples.reduce((a, s) => a + s.unexpected, 0);
  const sign = growth >= 0 ? "+" : "";
  return [
    {
      name: "the server ran to the end",
      pass: !exited,
      detail: exited ? `it exited after ${samples.at(-1)!.t.toFixed(0)} s` : `${MINUTES} minutes`,
    },
    {
      name: `RSS growth after warm-up <= ${TARGETS.rssGrowth * 100}%`,
      pass: growth <= TARGETS.rssGrowth,
      detail: `${mb(base)} MB after minute 1 -> ${mb(end)} MB at the end (${sign}${(growth * 100).toFixed(1)}%; peak ${mb(Math.max(...samples.map((s) => s.rssKb)))} MB)`,
    },
    {
      name: `p99 of the last minute <= ${TARGETS.p99Ratio}x the first minute's`,
      pass: ratio <= TARGETS.p99Ratio,
      detail: `${ms(first)} ms -> ${ms(last)} ms (x${ratio.toFixed(2)})`,
    },
    {
      name: "no 5xx",
      pass: total["5xx"] === 0,
      detail: `${total["5xx"]} of ${answers} answers`,
    },
    {
      name: "every answer as expected",
      pass: total["4xx"] + total.other + total.network + unexpected === 0,
      detail: `${total["4xx"]} 4xx, ${total.other} other statuses, ${total.network} network failures, ${unexpected} 200s with the wrong content`,
    },
  ];
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const cpu = cpus();
  log(
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? "?"}; node ${process.version}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const tmp = mkdtempSync(join(tmpdir(), "lanyard-soak-"));
  let db: BenchDatabase | undefined;
  let server: RunningServer | undefined;
  let client: Client | undefined;
  try {
    if (flags.postgres) {
      db = await startBenchDatabase();
      log(`PostgreSQL ${db.cluster.version}: a throwaway cluster on 127.0.0.1 (fsync on)`);
    }
    const heapDir = flags["heap-snapshots"];
    if (heapDir) mkdirSync(heapDir, { recursive: true });
    server = await startLanyardWith(join(tmp, "data"), db, heapDir);
    client = new Client(server.port, new Signer({ accessKeyId: "AKIDSOAK", secretAccessKey: "soak-secret" }));
    const setupStarted = performance.now();
    const f = await setUp(client, USERS, SETUP_CONCURRENCY);
    log(
      `Lanyard on ${db ? "PostgreSQL" : "SQLite (file-backed)"}, pid ${server.pid}: pool, app client and ${USERS} users ` +
        `(AdminCreateUser + AdminSetUserPassword + one USER_PASSWORD_AUTH each) in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; ` +
        `RSS ${mb(rssKb(server.pid))} MB`,
    );
    log(
      `Soak: ${MINUTES} minutes, ${CONCURRENCY} calls in flight; samples every ${INTERVAL_MS / 1000} s; ` +
        "an SRP sign-in (both round trips) counts as one call",
    );
    if (heapDir)
      log(
        `Heap snapshots into ${heapDir} after minute 1 and at the end (writing one stops the server for a few seconds and takes memory: minute 2's latencies and the RSS check suffer)`,
      );
    const running = server;
    const snapshot = () => process.kill(running.pid, HEAP_SIGNAL);
    const { samples, minutes, exited, failures } = await soak(
      server,
      client,
      f,
      heapDir ? snapshot : undefined,
    );
    if (heapDir && !exited) {
      snapshot();
      // The snapshot is written on the server's main thread: once it answers again, the file is complete.
      await client.json("ListUserPools", { MaxResults: 1 });
      const files = readdirSync(heapDir)
        .filter((n) => n.endsWith(".heapsnapshot") && n.includes(`.${running.pid}.`))
        .sort();
      if (files.length >= 2) {
        log(`\n${files.map((n) => join(heapDir, n)).join("\n")}`);
        log(diff(join(heapDir, files.at(-2)!), join(heapDir, files.at(-1)!)));
      }
    }
    const checks = verdict(samples, minutes, exited);
    const dataBytes = db ? undefined : dirBytes(join(tmp, "data"));
    if (dataBytes !== undefined)
      log(`\nSQLite data dir at the end: ${mb(dataBytes / 1024)} MB (database, WAL)`);

    log("");
    log("p99 ms per call, first minute -> last minute (calls in the last minute):");
    const first = minutes[0]?.byOp ?? {};
    const last = minutes.at(-1)?.byOp ?? {};
    for (const op of Object.keys(last).sort())
      log(
        `  ${op.padEnd(32)}${ms(first[op]?.p99 ?? Number.NaN).padStart(8)} -> ${ms(last[op]!.p99).padStart(8)}  (${last[op]!.calls})`,
      );
    for (const e of failures) log(`  ! ${e}`);
    log("");
    for (const c of checks) log(`${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`);
    const pass = checks.every((c) => c.pass);
    log(`\n${pass ? "PASS" : "FAIL"}`);

    const resultsDir = join(root, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    const json = {
      date: startedAt.toISOString(),
      storage: db ? "postgres" : "sqlite",
      dataBytes,
      machine: { cpus: cpu.length, model: cpu[0]?.model, node: process.version, loadavg: loadavg() },
      settings: { minutes: MINUTES, concurrency: CONCURRENCY, users: USERS, intervalMs: INTERVAL_MS },
      samples,
      minutes,
      checks,
      failures,
      pass,
    };
    writeFileSync(join(resultsDir, "soak-latest.json"), `${JSON.stringify(json, null, 2)}\n`);
    log("Figures written to bench/results/soak-latest.json");
    return pass ? 0 : 1;
  } finally {
    client?.close();
    await server?.stop();
    await db?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
