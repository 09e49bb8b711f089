/**
 * npm run bench [-- --quick | --million | --users N] [--no-moto] [--postgres] [--cpu-prof] [--only get,list-first,...]
 *                 [--sign-in-only | --no-sign-in] [--passwords-only | --no-passwords] [--oauth-only | --no-oauth]
 *                 [--mfa-only | --no-mfa] [--triggers-only | --no-triggers] [--federation-only | --no-federation]
 *                 [--import-only | --no-import] [--import-rows N]
 *                 [--hashing test]
 *
 * --hashing PROFILE: Lanyard's password-hashing profile (`--password-hashing`) in every workload;
 * its default (OWASP's Argon2id) unless given.
 * The password workloads (bench/passwords.ts: AdminCreateUser, AdminSetUserPassword and
 * USER_PASSWORD_AUTH on 2,000 users, with the server's memory) run last; --passwords-only runs just them.
 *
 * --million: Lanyard alone (moto is filled through its API only, far too slowly for this) at 10,000
 * and 1,000,000 users: AdminGetUser, ListUsers pages, the email filters and USER_PASSWORD_AUTH
 * sign-in at both sizes with their ratios, the start-up time to "listening" and the database size
 * per user at each size. Each workload runs in three rounds (the sizes in turn), after the database
 * is read into the page cache, and the median round of each size counts (bench/README.md).
 *
 * The sign-in workloads (bench/sign-in.ts: USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH,
 * GetUser) run after the user-management ones; --sign-in-only runs just them.
 * The OAuth workloads (bench/oauth.ts: client_credentials and refresh_token at the token endpoint,
 * the complete code flow through the login page) run after the password ones; --oauth-only runs just them.
 * The MFA workloads (bench/mfa.ts: a TOTP-protected password sign-in, a remembered-device sign-in,
 * an EMAIL_OTP sign-in) run after the OAuth ones; --mfa-only runs just them.
 * The trigger workloads (bench/triggers.ts: a sign-in with three no-op local-module triggers against
 * the same sign-in without, and no-op invocations per second) run after the MFA ones; --triggers-only runs just them.
 * The federation workload (bench/federation.ts: a complete OIDC federated sign-in with a loopback
 * oidc-provider) runs after the trigger ones; --federation-only runs just it.
 * The import workload (bench/import.ts: a user import job of 100,000 CSV rows uploaded with curl to
 * its PreSignedUrl, rows/s; --import-rows N for another size, with --postgres on PostgreSQL) runs
 * last; --import-only runs just it.
 * --postgres: the Lanyard workloads once more with Lanyard on PostgreSQL (a throwaway cluster,
 * see bench/postgres.ts), shown next to Lanyard on SQLite.
 * Lanyard (own process, file-backed data dir in a temp folder, log level warn) against
 * moto_server, one pool at two sizes, every request SigV4-signed. Prints a table and PASS/FAIL
 * checks, writes the same figures to bench/results/latest.json, exits 1 on any FAIL.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "./load.ts";
import { Bench } from "./measure.ts";
import { type BenchDatabase, postgresChecks, postgresTable, startBenchDatabase } from "./postgres.ts";
import { summarise } from "./profile.ts";
import {
  checks,
  formatChecks,
  type Measurement,
  medianOfRounds,
  NOISY_CPU,
  type Skip,
  table,
} from "./report.ts";
import { runFederationBench } from "./federation.ts";
import { runImportBench } from "./import.ts";
import { runMfaBench } from "./mfa.ts";
import { runOAuthBench } from "./oauth.ts";
import { runTriggerBench } from "./triggers.ts";
import { runPasswordBench, SETTLE_MS } from "./passwords.ts";
import { postgresBytes, type ScalePoint, scaleChecks, scaleTable, sqliteBytes } from "./scale.ts";
import { seedLanyard, seedPasswordHash, seedViaApi, SRP_EVERY } from "./seed.ts";
import { mib, motoVersion, root, startLanyard, startMoto, warmPageCache } from "./servers.ts";
import { runSignInBench } from "./sign-in.ts";
import { checkSigner, Signer } from "./sign.ts";
import { workloads } from "./workloads.ts";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    million: { type: "boolean", default: false },
    users: { type: "string" },
    "no-moto": { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    only: { type: "string" },
    "sign-in-only": { type: "boolean", default: false },
    "no-sign-in": { type: "boolean", default: false },
    "passwords-only": { type: "boolean", default: false },
    "no-passwords": { type: "boolean", default: false },
    "oauth-only": { type: "boolean", default: false },
    "no-oauth": { type: "boolean", default: false },
    "mfa-only": { type: "boolean", default: false },
    "no-mfa": { type: "boolean", default: false },
    "triggers-only": { type: "boolean", default: false },
    "no-triggers": { type: "boolean", default: false },
    "federation-only": { type: "boolean", default: false },
    "no-federation": { type: "boolean", default: false },
    "import-only": { type: "boolean", default: false },
    "no-import": { type: "boolean", default: false },
    "import-rows": { type: "string" },
    hashing: { type: "string" },
  },
});
const quick = flags.quick;
/** --users N: as --million, with N users in the larger pool. */
const largest = flags.users === undefined ? 1_000_000 : Number(flags.users);
if (!Number.isInteger(largest) || largest <= 10_000)
  throw new Error("--users must be a whole number over 10000");
const million = flags.million || flags.users !== undefined;
if (million) {
  flags["no-moto"] = true;
  flags["no-sign-in"] = true;
  flags["no-oauth"] = true;
  flags["no-mfa"] = true;
  flags["no-triggers"] = true;
  flags["no-federation"] = true;
  flags["no-import"] = true;
}
const settings = {
  sizes: million ? [10_000, largest] : quick ? [1_000, 10_000] : [10_000, 100_000],
  concurrency: 32,
  // A server just started (or shrunk by the memory reducer after its start) is slower for its first
  // seconds under load: V8 is still optimizing, and grows its young generation back from 1 MB. Of
  // three servers each measured five times for 3 s after 1 s of load, every first run was the
  // slowest (6,802-8,394 AdminGetUser/s against 8,985-11,571 after).
  warmupMs: quick ? 500 : 3_000,
  durationMs: quick ? 2_000 : 5_000,
  creates: quick ? 100 : 500,
  createWarmup: 16,
  motoSeedConcurrency: 16,
  /** Longest wait, before each workload, for other processes to leave the CPUs alone, and in all. */
  quietWaitMs: quick ? 3_000 : 10_000,
  quietBudgetMs: quick ? 15_000 : 45_000,
  attempts: 4,
  /**
   * Rounds of AdminGetUser at each size (--million: of every workload, the sizes in turn in each
   * round), the median one kept. One server's throughput moves by up to 40% from one run to the next
   * on this machine, the workload and the data unchanged (bench/README.md): one run measures the
   * machine's moment as much as the server.
   */
  rounds: quick ? 1 : 3,
  retryBudgetMs: quick ? 20_000 : 100_000,
  /** Longest moto may take to reach one size through AdminCreateUser before it is skipped there. */
  motoSeedBudgetMs: quick ? 60_000 : 150_000,
};
/** Starts of Lanyard on each seeded size whose time to "listening" is measured (the last one is benchmarked). */
const STARTS = 3;
const MILLION_WORKLOADS = ["get", "list-first", "list-later", "filter-exact", "filter-prefix", "sign-in"];
const only = flags.only?.split(",").map((s) => s.trim()) ?? (million ? MILLION_WORKLOADS : undefined);
// The sign-in workload (the seeded users' password) runs when asked for: moto's users have none.
const list = workloads(settings.creates).filter((w) => (only ? only.includes(w.key) : w.key !== "sign-in"));
const resultsDir = join(root, "bench", "results");
const profileDir = join(tmpdir(), "lanyard-bench-profiles");
const credentials = { accessKeyId: "AKIDBENCHMARK", secretAccessKey: "bench-secret-key" };
const signer = new Signer(credentials);
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const measurements: Measurement[] = [];
const skips: Skip[] = [];
const seeding: Record<string, unknown>[] = [];
const profiles: string[] = [];
const scale: ScalePoint[] = [];

/** Lanyard on its SQLite data dir, or with `postgres` on that database. */
async function lanyard(dataDir: string, postgres?: BenchDatabase): Promise<void> {
  const bench = new Bench(settings, list, measurements, log);
  const name = postgres ? "Lanyard on PostgreSQL" : "Lanyard";
  const data = postgres ? { postgres: postgres.url } : dataDir;
  let server = await startLanyard(dataDir, { postgres, hashing: flags.hashing });
  let client = new Client(server.port, signer);
  // The one check that Lanyard accepts these signatures: a signed CreateUserPool must answer 200.
  const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
    PoolName: "bench",
  });
  log(`Lanyard accepted the bench signer (CreateUserPool: 200, pool ${UserPool.Id})`);
  const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
    "CreateUserPoolClient",
    {
      UserPoolId: UserPool.Id,
      ClientName: "bench",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
  );
  client.close();
  await server.stop();
  const hash = await seedPasswordHash();
  let seeded = 0;
  for (const users of settings.sizes) {
    const s = await seedLanyard(data, UserPool.Id, seeded, users, hash);
    await postgres?.settle();
    seeding.push({
      server: server.name,
      method: "bulk import",
      from: seeded,
      to: users,
      ms: s.ms,
      perSecond: s.perSecond,
    });
    log(
      `${name} @ ${fmt(users)} users: seeded ${fmt(s.users)} through the bulk import in ${(s.ms / 1000).toFixed(1)} s (${fmt(s.perSecond)}/s)`,
    );
    seeded = users;
    const size = postgres ? await postgresBytes(postgres.url) : { bytes: sqliteBytes(dataDir) };
    const startupMs: number[] = [];
    for (let i = 1; i < STARTS; i++) {
      const probe = await startLanyard(dataDir, { postgres, hashing: flags.hashing });
      startupMs.push(probe.startupMs!);
      await probe.stop();
    }
    const profDir = flags["cpu-prof"] ? join(profileDir, `${server.name}-${users}`) : undefined;
    if (profDir) rmSync(profDir, { recursive: true, force: true });
    server = await startLanyard(dataDir, { cpuProfDir: profDir, postgres, hashing: flags.hashing });
    if (!profDir) startupMs.push(server.startupMs!);
    scale.push({ server: server.name as ScalePoint["server"], users, startupMs, ...size });
    log(
      `  start-up to listening: ${startupMs.map((ms) => `${fmt(ms)} ms`).join(", ")}; database ${(size.bytes / 2 ** 20).toFixed(1)} MiB, ${fmt(size.bytes / users)} bytes/user`,
    );
    client = new Client(server.port, signer);
    try {
      await bench.runAll(server, client, UserPool.Id, users, UserPoolClient.ClientId);
      const end = server.memory();
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const memory = server.memory();
      const heap = await server.heap?.();
      log(
        `  memory: RSS at the end ${mib(end.rss)}, ${SETTLE_MS / 1000} s later ${mib(memory.rss)} (peak ${mib(memory.peak)})` +
          (heap
            ? `; heapTotal ${mib(heap.heapTotal)}, heapUsed ${mib(heap.heapUsed)}, external ${mib(heap.external)}`
            : ""),
      );
    } finally {
      client.close();
      await server.stop();
    }
    if (profDir) for (const f of readdirSync(profDir)) profiles.push(summarise(join(profDir, f)));
  }
}

/**
 * --million: one pool per size in one database (the 10,000-user pool seeded first, then the
 * 1,000,000-user one), served by one Lanyard, and each workload measured on the pools in turn, so
 * that both sizes see the machine in the same state: on a machine shared with other work, figures
 * taken minutes apart differ more than the sizes do. Start-up and database size are taken after
 * each pool is seeded (the database then holds 10,000, then 1,010,000 users).
 */
async function lanyardSideBySide(dataDir: string, postgres?: BenchDatabase): Promise<void> {
  const bench = new Bench(settings, list, measurements, log);
  const name = postgres ? "Lanyard on PostgreSQL" : "Lanyard";
  const data = postgres ? { postgres: postgres.url } : dataDir;
  let server = await startLanyard(dataDir, { postgres, hashing: flags.hashing });
  let client = new Client(server.port, signer);
  const pools: { users: number; poolId: string; clientId: string }[] = [];
  for (const users of settings.sizes) {
    const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
      PoolName: `bench-${users}`,
    });
    const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
      "CreateUserPoolClient",
      {
        UserPoolId: UserPool.Id,
        ClientName: "bench",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    );
    pools.push({ users, poolId: UserPool.Id, clientId: UserPoolClient.ClientId });
  }
  client.close();
  await server.stop();
  const hash = await seedPasswordHash();
  let total = 0;
  for (const pool of pools) {
    const s = await seedLanyard(data, pool.poolId, 0, pool.users, hash);
    await postgres?.settle();
    total += pool.users;
    seeding.push({
      server: server.name,
      method: "bulk import",
      from: 0,
      to: pool.users,
      ms: s.ms,
      perSecond: s.perSecond,
    });
    log(
      `${name}: pool of ${fmt(pool.users)} users seeded through the bulk import in ${(s.ms / 1000).toFixed(1)} s (${fmt(s.perSecond)}/s)`,
    );
    const size = postgres ? await postgresBytes(postgres.url) : { bytes: sqliteBytes(dataDir) };
    const startupMs: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const probe = await startLanyard(dataDir, { postgres, hashing: flags.hashing });
      startupMs.push(probe.startupMs!);
      await probe.stop();
    }
    scale.push({ server: server.name as ScalePoint["server"], users: total, startupMs, ...size });
    log(
      `  with ${fmt(total)} users: start-up to listening ${startupMs.map((ms) => `${fmt(ms)} ms`).join(", ")}; database ${(size.bytes / 2 ** 20).toFixed(1)} MiB, ${fmt(size.bytes / total)} bytes/user`,
    );
  }
  const profDir = flags["cpu-prof"] ? join(profileDir, server.name) : undefined;
  if (profDir) rmSync(profDir, { recursive: true, force: true });
  server = await startLanyard(dataDir, { cpuProfDir: profDir, postgres, hashing: flags.hashing });
  client = new Client(server.port, signer);
  try {
    const targets = [];
    for (const pool of pools)
      targets.push(await bench.target(client, pool.poolId, pool.users, pool.clientId));
    // Before each measurement the database is read once into the page cache (see warmPageCache).
    const files = postgres ? postgres.cluster.dataDir : dataDir;
    const warm = () => {
      const started = performance.now();
      const bytes = warmPageCache(files);
      log(
        `  (read the database into the page cache: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${fmt(performance.now() - started)} ms)`,
      );
    };
    for (const w of bench.order)
      for (let round = 1; round <= settings.rounds; round++)
        for (const target of targets) {
          log(`${name} @ ${fmt(target.users)} users, round ${round} of ${settings.rounds}:`);
          await bench.measure(server, client, w, target, warm);
        }
  } finally {
    client.close();
    await server.stop();
  }
  if (profDir) for (const f of readdirSync(profDir)) profiles.push(summarise(join(profDir, f)));
}

async function moto(): Promise<void> {
  const bench = new Bench(settings, list, measurements, log);
  const server = await startMoto();
  const client = new Client(server.port, signer);
  try {
    const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
      PoolName: "bench",
    });
    let seeded = 0;
    let rate = 0;
    for (const users of settings.sizes) {
      const projectedMs = rate > 0 ? ((users - seeded) / rate) * 1000 : 0;
      if (projectedMs > settings.motoSeedBudgetMs) {
        const reason = `seeding too slow: ${fmt(rate)}/s, ${fmt(users - seeded)} more would take ~${fmt(projectedMs / 1000)} s`;
        skips.push({ server: "moto", users, reason });
        log(`moto: skipped at ${fmt(users)} (${reason})`);
        continue;
      }
      const s = await seedViaApi(
        client,
        UserPool.Id,
        seeded,
        users,
        settings.motoSeedConcurrency,
        settings.motoSeedBudgetMs,
      );
      rate = s.perSecond;
      seeding.push({
        server: "moto",
        method: "AdminCreateUser",
        from: seeded,
        to: seeded + s.users,
        ms: s.ms,
        perSecond: rate,
      });
      seeded += s.users;
      if (!s.complete) {
        const reason = `seeding too slow: ${fmt(rate)}/s, reached ${fmt(seeded)} users in ${fmt(s.ms / 1000)} s`;
        skips.push({ server: "moto", users, reason });
        log(`moto: skipped at ${fmt(users)} (${reason})`);
        break;
      }
      log(
        `moto @ ${fmt(users)} users: seeded ${fmt(s.users)} through AdminCreateUser (${settings.motoSeedConcurrency} in flight) ` +
          `in ${(s.ms / 1000).toFixed(1)} s (${fmt(rate)}/s)`,
      );
      await bench.runAll(server, client, UserPool.Id, users);
    }
  } finally {
    client.close();
    await server.stop();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const signerCheck = await checkSigner(signer, credentials);
  const cpu = cpus();
  log(
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? "?"}; node ${process.version}; moto ${motoVersion() ?? "not installed"}`,
  );
  log(
    `Signer: matches @smithy/signature-v4; ${signerCheck.microsPerSignature.toFixed(1)} us per signature. ` +
      `Load: ${settings.concurrency} in flight over keep-alive undici connections, ${settings.warmupMs / 1000} s warm-up + ` +
      `${settings.durationMs / 1000} s per workload; ${settings.creates} AdminCreateUser calls (after ${settings.createWarmup} warm-up).`,
  );
  const tmp = mkdtempSync(join(tmpdir(), "lanyard-bench-"));
  let postgresVersion: string | undefined;
  try {
    const run = million ? lanyardSideBySide : lanyard;
    await run(join(tmp, "data"));
    if (flags.postgres) {
      const db = await startBenchDatabase();
      postgresVersion = db.cluster.version;
      log(
        `PostgreSQL ${postgresVersion}: a throwaway cluster on 127.0.0.1 (fsync on), Lanyard's default pool`,
      );
      try {
        await run(join(tmp, "unused"), db);
      } finally {
        await db.stop();
      }
    }
    if (!flags["no-moto"]) await moto();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // One figure per server, size and workload: the median of its rounds.
  const shown = medianOfRounds(measurements);
  const results = [
    ...checks(shown, skips, settings.sizes, !flags["no-moto"], !million),
    ...postgresChecks(shown, settings.sizes),
    ...(million ? scaleChecks(scale) : []),
  ];
  log("");
  log(
    "Seeding: Lanyard through its bulk import (src/domain/users/bulk-import.ts) into its stopped data dir or its database,",
  );
  log(
    `10,000-user transactions, every user CONFIRMED with one shared Argon2id hash of one password, one in ${SRP_EVERY}`,
  );
  log("also with an SRP verifier; moto through AdminCreateUser over HTTP.");
  log(
    "cpu% s/g/o: CPU of the server process / the load generator / anything else on the machine, in % of one core (2 cores = 200%).",
  );
  log(
    `"!": more than ${NOISY_CPU}% of a core went to other processes meanwhile, so those figures are pessimistic.`,
  );
  const repeated = shown.filter((m) => (m.attempts ?? 1) > 1).length;
  if (repeated > 0)
    log(
      `${repeated} workloads were measured again (up to ${settings.attempts} runs) while other processes disturbed them; the least disturbed run is shown.`,
    );
  log("");
  log(table(shown, skips, list, settings.sizes));
  for (const s of skips) log(`moto: skipped at ${fmt(s.users)} (${s.reason})`);
  if (flags.postgres) {
    log("");
    log("Lanyard on PostgreSQL: cpu% s counts the PostgreSQL processes with Lanyard's.");
    log(postgresTable(shown, list, settings.sizes));
  }
  if (scale.length > 0) {
    log("");
    log("Start-up (spawn to the listening line) and database size at each size:");
    log(scaleTable(scale));
  }
  log("");
  log(formatChecks(results));
  for (const p of profiles) log(`\n${p}`);
  const failed = results.some((c) => c.status === "FAIL");
  log(`\n${failed ? "FAIL" : "PASS"} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  mkdirSync(resultsDir, { recursive: true });
  const json = {
    date: new Date(started).toISOString(),
    quick,
    million,
    machine: {
      cpus: cpu.length,
      model: cpu[0]?.model,
      node: process.version,
      moto: motoVersion(),
      postgres: postgresVersion,
    },
    settings,
    signer: signerCheck,
    seeding,
    scale,
    measurements: shown,
    skips,
    checks: results,
    pass: !failed,
  };
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  log(`Figures written to bench/results/latest.json`);
  return failed ? 1 : 0;
}

const groups = ["sign-in", "passwords", "oauth", "mfa", "triggers", "federation", "import"] as const;
const aloneGroup = groups.find((g) => flags[`${g}-only`]);
/** Whether a group of workloads runs: not turned off, and no other group asked for alone. */
const runs = (g: (typeof groups)[number]) =>
  !flags[`no-${g}`] && !flags.only && (aloneGroup === undefined || aloneGroup === g);
let exitCode = aloneGroup ? 0 : await main();
const withMoto = !flags["no-moto"];
if (runs("sign-in")) {
  const signInPassed = await runSignInBench({ quick, moto: withMoto, hashing: flags.hashing });
  if (!signInPassed) exitCode = 1;
}
if (runs("passwords")) {
  const passwordsPassed = await runPasswordBench({ quick, moto: withMoto, hashing: flags.hashing });
  if (!passwordsPassed) exitCode = 1;
}
if (runs("oauth")) {
  const oauthPassed = await runOAuthBench({ quick, hashing: flags.hashing });
  if (!oauthPassed) exitCode = 1;
}
if (runs("mfa")) {
  const mfaPassed = await runMfaBench({ quick, hashing: flags.hashing });
  if (!mfaPassed) exitCode = 1;
}
if (runs("triggers")) {
  const triggersPassed = await runTriggerBench({ quick, hashing: flags.hashing });
  if (!triggersPassed) exitCode = 1;
}
if (runs("federation")) {
  const federationPassed = await runFederationBench({ quick });
  if (!federationPassed) exitCode = 1;
}
if (runs("import")) {
  const rows = flags["import-rows"] === undefined ? undefined : Number(flags["import-rows"]);
  const importPassed = await runImportBench({ quick, rows, postgres: flags.postgres });
  if (!importPassed) exitCode = 1;
}
process.exitCode = exitCode;
