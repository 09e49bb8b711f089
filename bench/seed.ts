/**
 * Fills a pool with users user0..userN-1 (email userI@example.com, given_name, email_verified),
 * either through Lanyard's bulk import (src/domain/users/bulk-import.ts) straight into its storage (its
 * SQLite data dir with the server stopped, or its PostgreSQL database) or through AdminCreateUser.
 */
import { hashPassword } from "../src/crypto/password-hash.ts";
import { type ImportUser, importUsers } from "../src/domain/users/bulk-import.ts";
import { PostgresStorage } from "../src/storage/postgres/postgres-storage.ts";
import { SqliteStorage } from "../src/storage/sqlite/sqlite-storage.ts";
import type { Storage } from "../src/storage/storage.ts";
import { type Call, type Client, runLoad } from "./load.ts";

const NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"];

/** Every seeded user's password (CONFIRMED, permanent). */
export const PASSWORD = "Bench-passw0rd!";
/** One user in this many (user0, user100, ...) also gets an SRP verifier (about 1 ms each to make). */
export const SRP_EVERY = 100;

export function username(i: number): string {
  return `user${i}`;
}

export function email(i: number): string {
  return `user${i}@example.com`;
}

export function attributesOf(i: number): Record<string, string> {
  return { given_name: NAMES[i % NAMES.length], email: email(i), email_verified: "true" };
}

export interface SeedResult {
  users: number;
  ms: number;
  perSecond: number;
}

/** Where a Lanyard keeps its data: a SQLite data dir, or a PostgreSQL database. */
export type LanyardData = string | { postgres: string };

function openData(data: LanyardData): Storage {
  return typeof data === "string"
    ? new SqliteStorage({ dir: data })
    : new PostgresStorage({ url: data.postgres });
}

/** The one Argon2id hash of PASSWORD every seeded user shares (one hash instead of one per user). */
export function seedPasswordHash(): Promise<string> {
  return hashPassword(PASSWORD);
}

/** Seeded user i, as the bulk import takes it. */
function importUser(i: number, hash: string): ImportUser {
  return {
    username: username(i),
    attributes: attributesOf(i),
    password: i % SRP_EVERY === 0 ? { hash, srpPassword: PASSWORD } : { hash },
  };
}

/**
 * Imports users [from, to) through the domain's bulk import (SQLite: into the data dir of a stopped
 * Lanyard), in transactions of `batch` users.
 */
export async function seedLanyard(
  data: LanyardData,
  poolId: string,
  from: number,
  to: number,
  hash: string,
  batch = 10_000,
): Promise<SeedResult> {
  const started = performance.now();
  const storage = openData(data);
  try {
    await storage.migrate();
    for (let start = from; start < to; start += batch) {
      const users: ImportUser[] = [];
      for (let i = start; i < Math.min(to, start + batch); i++) users.push(importUser(i, hash));
      await importUsers(storage, poolId, users, { batchSize: batch });
    }
  } finally {
    await storage.close();
  }
  const ms = performance.now() - started;
  return { users: to - from, ms, perSecond: ((to - from) * 1000) / ms };
}

/** The AdminCreateUser call for user i (same shape for seeding and for the benchmark). */
export function createUserCall(poolId: string, name: string, attrs: Record<string, string>): Call {
  return {
    operation: "AdminCreateUser",
    body: JSON.stringify({
      UserPoolId: poolId,
      Username: name,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
    }),
    check: (body) => body.includes(`"${name}"`),
  };
}

/**
 * Creates users [from, to) through the API with `concurrency` requests in flight. Stops early
 * (returning what was done) once `budgetMs` is spent.
 */
export async function seedViaApi(
  client: Client,
  poolId: string,
  from: number,
  to: number,
  concurrency: number,
  budgetMs: number,
): Promise<SeedResult & { complete: boolean }> {
  const started = performance.now();
  const result = await runLoad(
    client,
    (k) => createUserCall(poolId, username(from + k), attributesOf(from + k)),
    {
      concurrency,
      count: to - from,
      durationMs: budgetMs,
    },
  );
  const failed = result.requests - result.ok;
  if (failed > 0) throw new Error(`seeding failed for ${failed} users: ${result.examples.join("; ")}`);
  const ms = performance.now() - started;
  return { users: result.ok, ms, perSecond: (result.ok * 1000) / ms, complete: result.ok === to - from };
}
