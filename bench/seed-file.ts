/**
 * node bench/seed-file.ts [--pools 10] [--users 10000] [--export-users 100000] [--hashing test]
 *
 * Seed files and export (docs/seed.md), on SQLite in temporary data dirs:
 * - start to ready ("listening") without a seed file, with a seed file of `--pools` pools and
 *   `--users` users in all (exported hashes: one Argon2id hash and one SRP verifier shared by
 *   every user, as the storage does not care), first start (everything created) and second start
 *   (nothing changes), each the median of 3 warm starts; targets < 0.5 s without and < 2 s with
 *   the seed file; also a start with an empty compile cache and, after `npm run build`, the built
 *   package's start;
 * - import and export of `--export-users` users in one pool: the seed file's first start minus
 *   the start without one, and `lanyard export --json`, in users per second;
 * - the same for the `--pools`/`--users` seed file written as YAML (the slow format).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { hashPassword } from "../src/crypto/password-hash.ts";
import { makeVerifier } from "../src/crypto/srp.ts";
import { root, startLanyard } from "./servers.ts";

const { values: flags } = parseArgs({
  options: {
    pools: { type: "string", default: "10" },
    users: { type: "string", default: "10000" },
    "export-users": { type: "string", default: "100000" },
    hashing: { type: "string" },
  },
});
const POOLS = Number(flags.pools);
const USERS = Number(flags.users);
const EXPORT_USERS = Number(flags["export-users"]);
const hashing = flags.hashing === "test" ? "test" : undefined;

const dir = mkdtempSync(join(tmpdir(), "lanyard-seed-bench-"));
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = "Bench-passw0rd!";
const hash = await hashPassword(PASSWORD);
const srp = makeVerifier("Bench", "user", PASSWORD);

const alnum = (n: number, width: number) => n.toString(36).padStart(width, "0").slice(-width);

function seedFile(name: string, pools: number, users: number): string {
  const perPool = Math.ceil(users / pools);
  const doc = {
    pools: Array.from({ length: pools }, (_, p) => ({
      Id: `us-east-1_Bench${alnum(p, 4)}`,
      PoolName: `bench-${p}`,
      clients: [{ ClientId: `benchclient${alnum(p, 15)}`, ClientName: "app" }],
      groups: [{ GroupName: "staff" }],
      users: Array.from({ length: Math.min(perPool, users - p * perPool) }, (_, i) => ({
        Username: `user${i}`,
        Attributes: { email: `user${i}@example.com`, email_verified: "true" },
        PasswordHash: { Hash: hash, SrpSalt: srp.salt, SrpVerifier: srp.verifier },
      })),
    })),
  };
  const file = join(dir, name);
  writeFileSync(file, name.endsWith(".json") ? JSON.stringify(doc) : stringify(doc, { lineWidth: 0 }));
  return file;
}

async function startupMs(
  data: string,
  args: string[] = [],
  script?: string,
  env?: Record<string, string>,
): Promise<{ ms: number; log: string }> {
  const server = await startLanyard(join(dir, data), {
    ...(hashing ? { hashing } : {}),
    args,
    ...(script ? { script } : {}),
    ...(env ? { env } : {}),
  });
  const ms = server.startupMs!;
  await server.stop();
  return { ms, log: "" };
}

let fresh = 0;
/** The median of `runs` starts, each on a new data dir unless `same` names one. */
async function medianStart(args: string[], runs: number, same?: string, script?: string): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push((await startupMs(same ?? `fresh-${fresh++}`, args, script)).ms);
  all.sort((a, b) => a - b);
  return all[Math.floor(all.length / 2)]!;
}

function exportMs(data: string, json = true): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, "bin", "lanyard.js"), "export", ...(json ? ["--json"] : []), "--data", join(dir, data)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let bytes = 0;
    child.stdout.on("data", (d: Buffer) => (bytes += d.length));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes })
        : reject(new Error(`export exited ${code}`)),
    );
  });
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} users/s`;

// The first start after the sources change compiles them (and strips their types) into Node's
// compile cache; every later start reads the cache. That first start is shown on its own (with an
// empty cache of its own); the others run with the usual cache, filled by one start first.
const cold = await startupMs("cold", [], undefined, { NODE_COMPILE_CACHE: join(dir, "empty-cache") });
console.log(`(a start with an empty compile cache, as after a change to the sources: ${fmt(cold.ms)})`);
await startupMs("warm-up");
const RUNS = 3;
const bare = { ms: await medianStart([], RUNS) };
console.log(`start to ready, no seed file: ${fmt(bare.ms)} (median of ${RUNS}; target < 0.5 s)`);
const dist = join(root, "dist", "lanyard.js");
if (existsSync(dist)) {
  await startupMs("dist-warm", [], dist);
  console.log(
    `start to ready, no seed file, the built package (dist/lanyard.js): ${fmt(await medianStart([], RUNS, undefined, dist))} (median of ${RUNS})`,
  );
} else console.log("(no dist/: `npm run build` first to measure the built package's start)");
const small = seedFile("pools.json", POOLS, USERS);
const firstMs = await medianStart(["--seed", small], RUNS);
console.log(
  `start to ready, seed of ${POOLS} pools and ${USERS} users, first start: ${fmt(firstMs)} (median of ${RUNS}, each on a new data dir; target < 2 s)`,
);
await startupMs("seeded", ["--seed", small]);
const secondMs = await medianStart(["--seed", small], RUNS, "seeded");
console.log(
  `start to ready, the same seed again (nothing changes): ${fmt(secondMs)} (median of ${RUNS}; target < 2 s)`,
);

const big = seedFile("big.json", 1, EXPORT_USERS);
const imported = await startupMs("big", ["--seed", big]);
const importMs = imported.ms - bare.ms;
console.log(
  `import of ${EXPORT_USERS} users (seed start minus a bare start): ${fmt(importMs)}, ${rate(EXPORT_USERS, importMs)}`,
);
const exported = await exportMs("big");
console.log(
  `export of ${EXPORT_USERS} users: ${fmt(exported.ms)}, ${rate(EXPORT_USERS, exported.ms)} (${(exported.bytes / 1024 / 1024).toFixed(0)} MB of JSON)`,
);

// YAML, the format people write by hand, is much slower to read and write than JSON.
const yamlFile = seedFile("pools.yaml", POOLS, USERS);
const yamlStart = await medianStart(["--seed", yamlFile], RUNS);
console.log(
  `YAML: first start with the same ${POOLS} pools and ${USERS} users as YAML: ${fmt(yamlStart)}; import ${rate(USERS, yamlStart - bare.ms)}`,
);
const yamlOut = await exportMs("seeded", false);
console.log(
  `YAML: export of those ${USERS} users: ${fmt(yamlOut.ms)}, ${rate(USERS, yamlOut.ms)} (${(yamlOut.bytes / 1024 / 1024).toFixed(0)} MB of YAML)`,
);
