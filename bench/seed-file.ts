/**
 * node bench/seed-file.ts [--pools 10] [--users 10000] [--export-users 100000] [--hashing test]
 *
 * Seed files and export (docs/seed.md), on SQLite in temporary data dirs:
 * - start to ready ("listening") without a seed file, with a seed file of `--pools` pools and
 *   `--users` users in all (exported hashes: one Argon2id hash and one SRP verifier shared by
 *   every user, as the storage does not care), first start (everything created) and second start
 *   (nothing changes); targets < 0.5 s without and < 2 s with the seed file;
 * - import and export of `--export-users` users in one pool: the seed file's first start minus
 *   the start without one, and `lanyard export`, in users per second.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

async function startupMs(data: string, args: string[] = []): Promise<{ ms: number; log: string }> {
  const server = await startLanyard(join(dir, data), { ...(hashing ? { hashing } : {}), args });
  const ms = server.startupMs!;
  await server.stop();
  return { ms, log: "" };
}

function exportMs(data: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, "bin", "lanyard.js"), "export", "--json", "--data", join(dir, data)],
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

const bare = await startupMs("bare");
console.log(`start to ready, no seed file: ${fmt(bare.ms)} (target < 0.5 s)`);
const small = seedFile("pools.json", POOLS, USERS);
const first = await startupMs("seeded", ["--seed", small]);
console.log(
  `start to ready, seed of ${POOLS} pools and ${USERS} users, first start: ${fmt(first.ms)} (target < 2 s)`,
);
const second = await startupMs("seeded", ["--seed", small]);
console.log(`start to ready, the same seed again (nothing changes): ${fmt(second.ms)} (target < 2 s)`);

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
