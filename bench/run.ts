/**
 * npm run bench [-- --quick] [--no-moto] [--postgres] [--cpu-prof] [--only get,list-first,...]
 *                 [--sign-in-only | --no-sign-in] [--passwords-only | --no-passwords] [--hashing test]
 *
 * --hashing PROFILE: Lanyard's password-hashing profile (`--password-hashing`) in every workload;
 * its default (OWASP's Argon2id) unless given.
 * The password workloads (bench/passwords.ts: AdminCreateUser, AdminSetUserPassword and
 * USER_PASSWORD_AUTH on 2,000 users, with the server's memory) run last; --passwords-only runs just them.
 *
 * The sign-in workloads (bench/sign-in.ts: USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH,
 * GetUser) run after the user-management ones; --sign-in-only runs just them.
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
import { checks, formatChecks, type Measurement, NOISY_CPU, type Skip, table } from "./report.ts";
import { seedLanyardDirect, seedViaApi, TEMPLATE_USER, takeTemplateCredential } from "./seed.ts";
import { mib, motoVersion, root, startLanyard, startMoto } from "./servers.ts";
import { runPasswordBench } from "./passwords.ts";
import { runSignInBench } from "./sign-in.ts";
import { checkSigner, Signer } from "./sign.ts";
import { workloads } from "./workloads.ts";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-moto": { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    only: { type: "string" },
    "sign-in-only": { type: "boolean", default: false },
    "no-sign-in": { type: "boolean", default: false },
    "passwords-only": { type: "boolean", default: false },
    "no-passwords": { type: "boolean", default: false },
    hashing: { type: "string" },
  },
});
const quick = flags.quick;
const settings = {
  sizes: quick ? [1_000, 10_000] : [10_000, 100_000],
  concurrency: 32,
  warmupMs: quick ? 500 : 1_000,
  durationMs: quick ? 2_000 : 5_000,
  creates: quick ? 100 : 500,
  createWarmup: 16,
  motoSeedConcurrency: 16,
  /** Longest wait, before each workload, for other processes to leave the CPUs alone, and in all. */
  quietWaitMs: quick ? 3_000 : 10_000,
  quietBudgetMs: quick ? 15_000 : 45_000,
  attempts: 4,
  retryBudgetMs: quick ? 20_000 : 100_000,
  /** Longest moto may take to reach one size through AdminCreateUser before it is skipped there. */
  motoSeedBudgetMs: quick ? 60_000 : 150_000,
};
const only = flags.only?.split(",").map((s) => s.trim());
const list = workloads(settings.creates).filter((w) => !only || only.includes(w.key));
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
  await client.json("AdminCreateUser", {
    UserPoolId: UserPool.Id,
    Username: TEMPLATE_USER,
    MessageAction: "SUPPRESS",
  });
  client.close();
  await server.stop();
  const credential = await takeTemplateCredential(data, UserPool.Id);
  let seeded = 0;
  for (const users of settings.sizes) {
    const s = await seedLanyardDirect(data, UserPool.Id, seeded, users, credential);
    await postgres?.settle();
    seeding.push({
      server: server.name,
      method: "direct",
      from: seeded,
      to: users,
      ms: s.ms,
      perSecond: s.perSecond,
    });
    log(
      `${name} @ ${fmt(users)} users: seeded ${fmt(s.users)} directly in ${(s.ms / 1000).toFixed(1)} s (${fmt(s.perSecond)}/s)`,
    );
    seeded = users;
    const profDir = flags["cpu-prof"] ? join(profileDir, `${server.name}-${users}`) : undefined;
    if (profDir) rmSync(profDir, { recursive: true, force: true });
    server = await startLanyard(dataDir, { cpuProfDir: profDir, postgres, hashing: flags.hashing });
    client = new Client(server.port, signer);
    try {
      await bench.runAll(server, client, UserPool.Id, users);
      const memory = server.memory();
      const heap = await server.heap?.();
      log(
        `  memory: RSS ${mib(memory.rss)} (peak ${mib(memory.peak)})` +
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
      `Load: ${settings.concurrency} in flight over keep-alive node:http, ${settings.warmupMs / 1000} s warm-up + ` +
      `${settings.durationMs / 1000} s per workload; ${settings.creates} AdminCreateUser calls (after ${settings.createWarmup} warm-up).`,
  );
  const tmp = mkdtempSync(join(tmpdir(), "lanyard-bench-"));
  let postgresVersion: string | undefined;
  try {
    await lanyard(join(tmp, "data"));
    if (flags.postgres) {
      const db = await startBenchDatabase();
      postgresVersion = db.cluster.version;
      log(
        `PostgreSQL ${postgresVersion}: a throwaway cluster on 127.0.0.1 (fsync on), Lanyard's default pool`,
      );
      try {
        await lanyard(join(tmp, "unused"), db);
      } finally {
        await db.stop();
      }
    }
    if (!flags["no-moto"]) await moto();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const results = [
    ...checks(measurements, skips, settings.sizes, !flags["no-moto"]),
    ...postgresChecks(measurements, settings.sizes),
  ];
  log("");
  log(
    "Seeding: Lanyard directly into its data dir through SqliteStorage.insertUser (10,000-user transactions,",
  );
  log(
    "sharing the one password credential (Argon2id hash + SRP verifier) AdminCreateUser stored for a template user);",
  );
  log("moto through AdminCreateUser over HTTP.");
  log(
    "cpu% s/g/o: CPU of the server process / the load generator / anything else on the machine, in % of one core (2 cores = 200%).",
  );
  log(
    `"!": more than ${NOISY_CPU}% of a core went to other processes meanwhile, so those figures are pessimistic.`,
  );
  const repeated = measurements.filter((m) => (m.attempts ?? 1) > 1).length;
  if (repeated > 0)
    log(
      `${repeated} workloads were measured again (up to ${settings.attempts} runs) while other processes disturbed them; the least disturbed run is shown.`,
    );
  log("");
  log(table(measurements, skips, list, settings.sizes));
  for (const s of skips) log(`moto: skipped at ${fmt(s.users)} (${s.reason})`);
  if (flags.postgres) {
    log("");
    log("Lanyard on PostgreSQL: cpu% s counts the PostgreSQL processes with Lanyard's.");
    log(postgresTable(measurements, list, settings.sizes));
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
    measurements,
    skips,
    checks: results,
    pass: !failed,
  };
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  log(`Figures written to bench/results/latest.json`);
  return failed ? 1 : 0;
}

const alone = flags["sign-in-only"] || flags["passwords-only"];
let exitCode = alone ? 0 : await main();
const withMoto = !flags["no-moto"];
if (!flags["no-sign-in"] && !flags.only && !flags["passwords-only"]) {
  const signInPassed = await runSignInBench({ quick, moto: withMoto, hashing: flags.hashing });
  if (!signInPassed) exitCode = 1;
}
if (!flags["no-passwords"] && !flags.only && !flags["sign-in-only"]) {
  const passwordsPassed = await runPasswordBench({ quick, moto: withMoto, hashing: flags.hashing });
  if (!passwordsPassed) exitCode = 1;
}
process.exitCode = exitCode;
