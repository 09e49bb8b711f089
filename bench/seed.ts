/**
 * Fills a pool with users user0..userN-1 (email userI@example.com, given_name, email_verified),
 * either straight into Lanyard's storage (its SQLite data dir with the server stopped, or its
 * PostgreSQL database) or through AdminCreateUser.
 */
import { randomUUID } from "node:crypto";
import { PostgresStorage } from "../src/storage/postgres/postgres-storage.ts";
import type { PasswordCredential, UserRecord } from "../src/storage/records.ts";
import { SqliteStorage } from "../src/storage/sqlite/sqlite-storage.ts";
import type { Storage } from "../src/storage/storage.ts";
import { type Call, type Client, runLoad } from "./load.ts";

const NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"];

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

export const TEMPLATE_USER = "bench-template";

/** Where a Lanyard keeps its data: a SQLite data dir, or a PostgreSQL database. */
export type LanyardData = string | { postgres: string };

function openData(data: LanyardData): Storage {
  return typeof data === "string"
    ? new SqliteStorage({ dir: data })
    : new PostgresStorage({ url: data.postgres });
}

/**
 * The password credential (Argon2id hash, SRP salt and verifier, ...) that AdminCreateUser stored
 * for TEMPLATE_USER, taken out of a stopped Lanyard's data dir (and the template user deleted),
 * to be shared by every seeded user: one real hash instead of one per user.
 */
export async function takeTemplateCredential(data: LanyardData, poolId: string): Promise<PasswordCredential> {
  const storage = openData(data);
  try {
    const user = await storage.getUser(poolId, TEMPLATE_USER);
    if (!user?.password) throw new Error(`${TEMPLATE_USER} has no stored password credential`);
    await storage.transaction((tx) => tx.deleteUser(poolId, user.sub));
    return user.password;
  } finally {
    await storage.close();
  }
}

/**
 * Inserts users [from, to) through the storage (SQLite: the data dir of a stopped Lanyard), in
 * transactions of `batch` users, as AdminCreateUser would have stored them.
 */
export async function seedLanyardDirect(
  data: LanyardData,
  poolId: string,
  from: number,
  to: number,
  credential: PasswordCredential,
  batch = 10_000,
): Promise<SeedResult> {
  const started = performance.now();
  const storage = openData(data);
  try {
    await storage.migrate();
    for (let start = from; start < to; start += batch) {
      const end = Math.min(to, start + batch);
      await storage.transaction(async (tx) => {
        const now = Date.now();
        for (let i = start; i < end; i++) {
          const user: UserRecord = {
            poolId,
            username: username(i),
            usernameKey: username(i),
            sub: randomUUID(),
            status: "FORCE_CHANGE_PASSWORD",
            enabled: true,
            attributes: attributesOf(i),
            createdAt: now,
            updatedAt: now,
            password: { ...credential, setAt: now },
          };
          await tx.insertUser(user);
        }
      });
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
