import { DatabaseSync, type StatementSync } from "node:sqlite";
import { readerOf } from "../readers.ts";
import type { PoolRecord } from "../records.ts";
import {
  buildRepositories,
  type Reader,
  type RepositoryClasses,
  type Storage,
  type Transaction,
} from "../storage.ts";
import { SqliteCodes } from "./codes.ts";
import { SqliteDevices } from "./devices.ts";
import { SqliteThreats } from "./threats.ts";
import { SqliteLimits } from "./limits.ts";
import { SqliteReplicas } from "./replicas.ts";
import { DataDirError, prepareDataDir } from "./data-dir.ts";
import { SqliteFederation } from "./federation.ts";
import { SqliteGroups } from "./groups.ts";
import { SqliteHosting } from "./hosting.ts";
import { SqliteMfa } from "./mfa.ts";
import { SqliteOAuth } from "./oauth.ts";
import { SqlitePasskeys } from "./passkeys.ts";
import { SqliteImportJobs } from "./import-jobs.ts";
import { MIGRATIONS } from "./migrations.ts";
import { SqlitePools } from "./pools.ts";
import { SqliteSessions } from "./sessions.ts";
import type { ArrayStatement, SqliteContext } from "./sql.ts";
import { SqliteTerms, SqliteLogDelivery } from "./terms.ts";
import { SqliteTokens } from "./tokens.ts";
import { SqliteUsers } from "./users.ts";

/** The SQLite class of each repository (storage.ts lists the repositories). */
const SQLITE_REPOSITORIES: RepositoryClasses<[SqliteContext]> = {
  pools: SqlitePools,
  users: SqliteUsers,
  groups: SqliteGroups,
  tokens: SqliteTokens,
  codes: SqliteCodes,
  federation: SqliteFederation,
  hosting: SqliteHosting,
  oauth: SqliteOAuth,
  mfa: SqliteMfa,
  devices: SqliteDevices,
  threats: SqliteThreats,
  replicas: SqliteReplicas,
  limits: SqliteLimits,
  passkeys: SqlitePasskeys,
  importJobs: SqliteImportJobs,
  terms: SqliteTerms,
  logDelivery: SqliteLogDelivery,
  sessions: SqliteSessions,
};

// The reads of every repository, assigned in the constructor (readerOf).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface SqliteStorage extends Reader {}

/**
 * SQLite on node:sqlite. One connection; every statement is synchronous, so the whole storage is
 * serialised by one async lock: a transaction holds it from BEGIN to COMMIT, and reads outside a
 * transaction wait for it, so they only ever see committed data.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SqliteStorage implements Storage {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /** The statements that return rows as arrays (`qa`). */
  private readonly arrayStatements = new Map<string, StatementSync>();
  private lock: Promise<void> = Promise.resolve();
  private locked = false;
  /** The repositories on this connection, handed to transactions. */
  private readonly tx: Transaction;
  // The other repositories' reads are assigned from readerOf (the interface below declares them).
  readonly pools: Reader["pools"];
  /**
   * Parsed pools, read on nearly every request. Filled only by reads outside transactions (so
   * never with uncommitted data) and dropped by every write that changes a pool row. This process
   * is the database's only writer (SQLite is the single-instance backend), so the cache is exact.
   */
  private readonly poolCache = new Map<string, PoolRecord>();

  constructor(location: { memory: true } | { dir: string }) {
    let path = ":memory:";
    if ("dir" in location) {
      path = prepareDataDir(location.dir);
    }
    this.db = new DatabaseSync(path);
    // The connection holds the database's lock from its first read until it closes (locking_mode
    // EXCLUSIVE, set before WAL so that the WAL index lives in this process's memory and there is
    // no -shm file). This process is the database's only user, as the caches above require; the
    // lock makes that so (a second Lanyard on the same data directory is refused at start), and
    // spares every read transaction its lock and unlock system calls: about 15% of AdminGetUser's
    // server time (bench/README.md).
    this.db.exec("PRAGMA busy_timeout = 5000; PRAGMA locking_mode = EXCLUSIVE;");
    try {
      this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    } catch (e) {
      this.db.close();
      if ("dir" in location && /locked|busy/i.test((e as Error).message))
        throw new DataDirError(
          `the data directory ${location.dir} is in use by another Lanyard (or another program has ${path} open): stop it first`,
        );
      throw e;
    }
    this.db.exec("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
    const context: SqliteContext = {
      q: (sql) => this.statement(sql),
      qa: (sql) => this.statement(sql, true) as unknown as ArrayStatement,
      poolChanged: (poolId) => this.poolCache.delete(poolId),
    };
    this.tx = buildRepositories(SQLITE_REPOSITORIES, context);
    // Reads outside a transaction wait for the connection (committed data only).
    const reads = readerOf(this.tx, (read) => this.read(read));
    Object.assign(this, reads);
    this.pools = { ...reads.pools, getPool: (poolId) => this.cachedPool(poolId) };
  }

  private statement(sql: string, arrays = false): StatementSync {
    const cache = arrays ? this.arrayStatements : this.statements;
    let s = cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (arrays) s.setReturnArrays(true);
      cache.set(sql, s);
    }
    return s;
  }

  /**
   * Whether the reads' shared read transaction is open. Reads outside write transactions run in
   * one read transaction until the event loop next turns (setImmediate), and every write, or
   * anything else that needs the connection to itself, ends it first. One BEGIN and COMMIT then
   * serve every read of that turn, instead of SQLite starting and ending a transaction per
   * statement (which, with the WAL empty, also asks the file system for the database's size each
   * time). This process is the database's only writer, so the reads still see every commit.
   */
  private reading = false;

  private beginRead(): void {
    if (this.reading) return;
    this.db.exec("BEGIN");
    this.reading = true;
    setImmediate(() => this.endRead());
  }

  private endRead(): void {
    if (!this.reading) return;
    this.reading = false;
    if (this.db.isOpen && this.db.isTransaction) this.db.exec("COMMIT");
  }

  /** Runs a read when no transaction holds the connection, in the shared read transaction. */
  private read<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.locked) {
      this.beginRead();
      return fn();
    }
    return this.exclusive(() => {
      this.beginRead();
      return fn();
    });
  }

  /** Runs fn when no transaction holds the connection (the shared read transaction ended). */
  private async exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    // Fast path: nothing holds the connection. Every statement runs synchronously inside fn's
    // first step, so the read is over before anything else can begin a transaction.
    if (!this.locked) {
      this.endRead();
      return fn();
    }
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    this.locked = true;
    try {
      this.endRead();
      return await fn();
    } finally {
      this.locked = false;
      release();
    }
  }

  async migrate(): Promise<void> {
    await this.exclusive(() => {
      this.db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER)",
      );
      const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
        v: number | null;
      };
      for (let v = (row.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
        this.db.exec("BEGIN IMMEDIATE");
        try {
          this.db.exec(MIGRATIONS[v - 1]!);
          this.db.prepare("INSERT INTO schema_migrations VALUES (?, ?)").run(v, Date.now());
          this.db.exec("COMMIT");
        } catch (e) {
          this.db.exec("ROLLBACK");
          throw e;
        }
      }
    });
  }

  async setting(name: string, make: () => string): Promise<string> {
    return this.exclusive(() => {
      this.statement("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)").run(name, make());
      return (this.statement("SELECT value FROM meta WHERE key = ?").get(name) as { value: string }).value;
    });
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    return (async () => {
      await previous;
      this.locked = true;
      try {
        this.endRead();
        this.db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(this.tx);
          this.db.exec("COMMIT");
          return result;
        } catch (e) {
          if (this.db.isTransaction) this.db.exec("ROLLBACK");
          throw e;
        }
      } finally {
        this.locked = false;
        release();
      }
    })();
  }

  async wipe(): Promise<void> {
    await this.exclusive(() => {
      this.db.exec("BEGIN IMMEDIATE");
      this.db.exec(
        "DELETE FROM user_sessions; DELETE FROM session_settings; DELETE FROM import_job_log; DELETE FROM import_job_chunks; DELETE FROM import_jobs; DELETE FROM limiter_instances; DELETE FROM provisioned_limits; DELETE FROM pool_replicas; DELETE FROM log_delivery; DELETE FROM terms; DELETE FROM auth_events; DELETE FROM risk_configurations; DELETE FROM passkeys; DELETE FROM user_mfa; DELETE FROM devices; DELETE FROM oauth_codes; DELETE FROM managed_login_brandings; DELETE FROM ui_customizations; DELETE FROM resource_servers; DELETE FROM domains; DELETE FROM identity_links; DELETE FROM idp_identifiers; DELETE FROM identity_providers; DELETE FROM refresh_tokens; DELETE FROM counters; DELETE FROM codes; DELETE FROM auth_sessions; DELETE FROM signing_keys; DELETE FROM group_members; DELETE FROM groups; DELETE FROM users; DELETE FROM client_secrets; DELETE FROM clients; DELETE FROM pools;",
      );
      this.db.exec("COMMIT");
      this.poolCache.clear();
    });
  }

  async close(): Promise<void> {
    await this.exclusive(() => {
      this.statements.clear();
      this.arrayStatements.clear();
      if (this.db.isOpen) this.db.close();
    });
  }

  /** A pool, from the cache when no transaction holds the connection. */
  private cachedPool(poolId: string): Promise<PoolRecord | undefined> {
    const cached = this.poolCache.get(poolId);
    if (cached && !this.locked) return Promise.resolve(cached);
    return this.read(async () => {
      const pool = await this.tx.pools.getPool(poolId);
      // Frozen: callers share the cached object, so none may change it in place.
      if (pool && (this.reading || !this.db.isTransaction)) this.poolCache.set(poolId, deepFreeze(pool));
      return pool;
    });
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
