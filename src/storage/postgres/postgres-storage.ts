/**
 * PostgreSQL on npm `pg`: a connection pool, reads outside transactions straight from the pool
 * (point lookups batched, batch.ts), and explicit transactions on one connection (BEGIN ... COMMIT,
 * ROLLBACK when fn throws, run again after a deadlock) at READ COMMITTED, with the row locks
 * described in db.ts, one file per repository. Several Lanyard instances can share one database: everything they
 * share lives in it.
 */
import pg from "pg";
import { readerOf } from "../readers.ts";
import {
  buildRepositories,
  type Reader,
  type RepositoryClasses,
  type Storage,
  type Transaction,
} from "../storage.ts";
import { PostgresCodes } from "./codes.ts";
import type { Db } from "./db.ts";
import { PostgresFederation } from "./federation.ts";
import { PostgresDevices } from "./devices.ts";
import { PostgresThreats } from "./threats.ts";
import { PostgresLimits } from "./limits.ts";
import { PostgresReplicas } from "./replicas.ts";
import { PostgresGroups } from "./groups.ts";
import { PostgresHosting } from "./hosting.ts";
import { PostgresMfa } from "./mfa.ts";
import { PostgresOAuth } from "./oauth.ts";
import { PostgresPasskeys } from "./passkeys.ts";
import { PostgresImportJobs } from "./import-jobs.ts";
import { MIGRATIONS } from "./migrations.ts";
import { PostgresPools } from "./pools.ts";
import { PostgresSessions } from "./sessions.ts";
import type { Param, Row } from "./rows.ts";
import { PostgresLogDelivery, PostgresTerms } from "./terms.ts";
import { PostgresTokens } from "./tokens.ts";
import { PostgresUsers } from "./users.ts";

/** Errors after which a transaction is run again from the start (it was rolled back, nothing kept). */
const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 4;

/** Advisory lock key (two int4 halves) that serialises migrations of one schema. */
const MIGRATION_LOCK = 0x4c4e5944; // "LNYD"

export interface PostgresOptions {
  /** A postgres:// or postgresql:// URL. `pool_max` (Lanyard's) sets the number of connections. */
  url: string;
  /** Called with problems of idle connections (the server went away and the like). */
  onError?: (e: Error) => void;
  /** Called with every statement the storage's operations run (tests look at their plans). */
  onQuery?: (sql: string, params: readonly Param[], planEachTime: boolean) => void;
}

/** Splits Lanyard's own parameters off a connection URL; the rest goes to `pg` unchanged. */
export function parseStorageUrl(url: string): { connectionString: string; max: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("the storage URL is not a valid URL");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
    throw new Error("the storage URL must start with postgres:// or postgresql://");
  let max = 10;
  const raw = parsed.searchParams.get("pool_max");
  if (raw !== null) {
    max = Number(raw);
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw new Error("pool_max in the storage URL must be an integer from 1 to 1000");
    parsed.searchParams.delete("pool_max");
  }
  return { connectionString: parsed.toString(), max };
}

/** Prepared-statement names: one per distinct SQL text. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `lanyard_${statementNames.size}`;
    statementNames.set(sql, name);
  }
  return name;
}

function db(target: pg.Pool | pg.PoolClient, onQuery?: PostgresOptions["onQuery"]): Db {
  return {
    async query(sql: string, params: readonly Param[], planEachTime = false) {
      onQuery?.(sql, params, planEachTime);
      const result = await target.query<Row>({
        name: planEachTime ? undefined : statementName(sql),
        text: sql,
        values: [...params],
      });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  };
}

/** Every repository on one statement runner: a transaction's connection, or the pool (batched point reads). */
function repositories(db: Db, inTransaction: boolean): Transaction {
  return buildRepositories(POSTGRES_REPOSITORIES, db, inTransaction);
}

/** The PostgreSQL class of each repository (storage.ts lists the repositories). */
const POSTGRES_REPOSITORIES: RepositoryClasses<[Db, boolean]> = {
  pools: PostgresPools,
  users: PostgresUsers,
  groups: PostgresGroups,
  tokens: PostgresTokens,
  codes: PostgresCodes,
  federation: PostgresFederation,
  hosting: PostgresHosting,
  oauth: PostgresOAuth,
  mfa: PostgresMfa,
  devices: PostgresDevices,
  threats: PostgresThreats,
  replicas: PostgresReplicas,
  limits: PostgresLimits,
  passkeys: PostgresPasskeys,
  importJobs: PostgresImportJobs,
  terms: PostgresTerms,
  logDelivery: PostgresLogDelivery,
  sessions: PostgresSessions,
};

// The reads of every repository, assigned in the constructor (readerOf).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface PostgresStorage extends Reader {}

/** Reads outside transactions run straight away, on the pool. */
const direct = <T>(read: () => Promise<T>): Promise<T> => read();

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class PostgresStorage implements Storage {
  private readonly pool: pg.Pool;
  private readonly onQuery: PostgresOptions["onQuery"];

  constructor(options: PostgresOptions) {
    const { connectionString, max } = parseStorageUrl(options.url);
    this.pool = new pg.Pool({
      connectionString,
      max,
      application_name: "lanyard",
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      // Lanyard's transactions last milliseconds: one left open this long belongs to a stuck or
      // cut-off instance, and the server ends it, so its row locks stop blocking the others.
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle connection that fails (the database restarted) is dropped by the pool; without a
    // listener the error would end the process.
    this.pool.on("error", (e) => options.onError?.(e));
    this.onQuery = options.onQuery;
    // The reads, straight from the pool (committed data only), point reads batched.
    Object.assign(this, readerOf(repositories(db(this.pool, this.onQuery), false), direct));
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // One lock per schema, so instances on different schemas of one database don't wait on each other.
      await client.query("SELECT pg_advisory_lock($1, hashtext(coalesce(current_schema(), '')))", [
        MIGRATION_LOCK,
      ]);
      try {
        await client.query(
          "CREATE TABLE IF NOT EXISTS lanyard_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
        );
        const { rows } = await client.query<{ v: number | null }>(
          "SELECT MAX(version) AS v FROM lanyard_migrations",
        );
        const current = rows[0]?.v ?? 0;
        if (current > MIGRATIONS.length)
          throw new Error(
            `the database schema is at version ${current}, newer than this Lanyard knows (${MIGRATIONS.length}): upgrade Lanyard`,
          );
        for (let v = current + 1; v <= MIGRATIONS.length; v++) {
          await client.query("BEGIN");
          try {
            await client.query(MIGRATIONS[v - 1]!);
            await client.query("INSERT INTO lanyard_migrations (version, applied_at) VALUES ($1, $2)", [
              v,
              Date.now(),
            ]);
            await client.query("COMMIT");
          } catch (e) {
            await client.query("ROLLBACK");
            throw e;
          }
        }
      } finally {
        await client.query("SELECT pg_advisory_unlock($1, hashtext(coalesce(current_schema(), '')))", [
          MIGRATION_LOCK,
        ]);
      }
    } catch (e) {
      broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async setting(name: string, make: () => string): Promise<string> {
    const read = async () =>
      (await this.pool.query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [name])).rows[0]
        ?.value;
    const found = await read();
    if (found !== undefined) return found;
    await this.pool.query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [
      name,
      make(),
    ]);
    // The first writer wins: whoever inserted, this is the value every instance now reads.
    return (await read())!;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(fn);
      } catch (e) {
        // A deadlock or serialization failure rolled everything back: run it again.
        if (attempt >= ATTEMPTS || !RETRYABLE.has((e as { code?: string }).code ?? "")) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  private async once<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const tx = repositories(db(client, this.onQuery), true);
      let result: T;
      try {
        result = await fn(tx);
        await client.query("COMMIT");
      } catch (e) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is unusable: the pool must not hand it out again.
          broken = rollbackError as Error;
        }
        throw e;
      }
      return result;
    } finally {
      client.release(broken);
    }
  }

  async wipe(): Promise<void> {
    await this.pool.query(
      "TRUNCATE user_sessions, session_settings, import_job_log, import_job_chunks, import_jobs, limiter_instances, provisioned_limits, pool_replicas, log_delivery, terms, auth_events, risk_configurations, passkeys, user_mfa, devices, oauth_codes, managed_login_brandings, ui_customizations, resource_servers, domains, identity_links, idp_identifiers, identity_providers, refresh_tokens, counters, codes, auth_sessions, signing_keys, group_members, groups, users, client_secrets, clients, pools",
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
