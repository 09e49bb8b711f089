import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { decodeCursor, encodeCursor, prefixUpperBound } from "../cursor.ts";
import type {
  AuthSessionRecord,
  ClientRecord,
  ClientSecretRecord,
  CodeRecord,
  CounterRecord,
  GroupRecord,
  IdentityLinkRecord,
  IdentityProviderRecord,
  PoolRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  UserRecord,
} from "../records.ts";
import {
  DuplicateKeyError,
  type Page,
  type SearchableAttribute,
  type Storage,
  type Transaction,
  type UserFilter,
} from "../storage.ts";
import { counterFromRow } from "../counter-row.ts";
import { USER_COLUMNS, type UserColumn, userColumnValues, userFromColumns } from "../user-row.ts";
import { prepareDataDir } from "./data-dir.ts";
import { MIGRATIONS } from "./migrations.ts";

type Row = Record<string, SQLInputValue>;

/** The column each searchable attribute lives in. */
const FILTER_COLUMNS: Readonly<Record<SearchableAttribute, string>> = {
  username: "username_key",
  email: "email",
  phone_number: "phone_number",
  name: "name",
  given_name: "given_name",
  family_name: "family_name",
  preferred_username: "preferred_username",
  "cognito:user_status": "status",
  status: "enabled",
  sub: "sub",
};

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/**
 * SQLite on node:sqlite. One connection; every statement is synchronous, so the whole storage is
 * serialised by one async lock: a transaction holds it from BEGIN to COMMIT, and reads outside a
 * transaction wait for it, so they only ever see committed data.
 */
export class SqliteStorage implements Storage {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private lock: Promise<void> = Promise.resolve();
  private locked = false;
  private readonly ops: SqliteOps;
  /**
   * Parsed pools, read on nearly every request. Filled only by reads outside transactions (so
   * never with uncommitted data) and dropped by every write that changes a pool row. This process
   * is the database's only writer (SQLite is the single-instance backend), so the cache is exact.
   */
  private readonly pools = new Map<string, PoolRecord>();

  constructor(location: { memory: true } | { dir: string }) {
    let path = ":memory:";
    if ("dir" in location) {
      path = prepareDataDir(location.dir);
    }
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    this.db.exec("PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
    this.ops = new SqliteOps(
      (sql) => this.statement(sql),
      (poolId) => this.pools.delete(poolId),
    );
  }

  private statement(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs fn when no transaction holds the connection. */
  private async exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    // Fast path: nothing holds the connection. Every statement runs synchronously inside fn's
    // first step, so the read is over before anything else can begin a transaction.
    if (!this.locked) return fn();
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    this.locked = true;
    try {
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
        this.db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(this.ops);
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
        "DELETE FROM identity_links; DELETE FROM idp_identifiers; DELETE FROM identity_providers; DELETE FROM refresh_tokens; DELETE FROM counters; DELETE FROM codes; DELETE FROM auth_sessions; DELETE FROM signing_keys; DELETE FROM group_members; DELETE FROM groups; DELETE FROM users; DELETE FROM client_secrets; DELETE FROM clients; DELETE FROM pools;",
      );
      this.db.exec("COMMIT");
      this.pools.clear();
    });
  }

  async close(): Promise<void> {
    await this.exclusive(() => {
      this.statements.clear();
      if (this.db.isOpen) this.db.close();
    });
  }

  getPool(poolId: string) {
    const cached = this.pools.get(poolId);
    if (cached && !this.locked) return Promise.resolve(cached);
    return this.exclusive(async () => {
      const pool = await this.ops.getPool(poolId);
      // Frozen: callers share the cached object, so none may change it in place.
      if (pool && !this.db.isTransaction) this.pools.set(poolId, deepFreeze(pool));
      return pool;
    });
  }
  listPools(region: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listPools(region, limit, after));
  }
  getClient(poolId: string, clientId: string) {
    return this.exclusive(() => this.ops.getClient(poolId, clientId));
  }
  getClientById(clientId: string) {
    return this.exclusive(() => this.ops.getClientById(clientId));
  }
  listClients(poolId: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listClients(poolId, limit, after));
  }
  listClientSecrets(poolId: string, clientId: string) {
    return this.exclusive(() => this.ops.listClientSecrets(poolId, clientId));
  }
  getUser(poolId: string, usernameKey: string) {
    return this.exclusive(() => this.ops.getUser(poolId, usernameKey));
  }
  getUserBySub(poolId: string, sub: string) {
    return this.exclusive(() => this.ops.getUserBySub(poolId, sub));
  }
  findUsersByAlias(
    poolId: string,
    attribute: "email" | "phone_number" | "preferred_username",
    value: string,
  ) {
    return this.exclusive(() => this.ops.findUsersByAlias(poolId, attribute, value));
  }
  listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string) {
    return this.exclusive(() => this.ops.listUsers(poolId, limit, filter, after));
  }
  getGroup(poolId: string, name: string) {
    return this.exclusive(() => this.ops.getGroup(poolId, name));
  }
  listGroups(poolId: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listGroups(poolId, limit, after));
  }
  listGroupsForUser(poolId: string, userId: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listGroupsForUser(poolId, userId, limit, after));
  }
  listUsersInGroup(poolId: string, groupName: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listUsersInGroup(poolId, groupName, limit, after));
  }
  signingKeys(poolId: string) {
    return this.exclusive(() => this.ops.signingKeys(poolId));
  }
  getAuthSession(id: string, now: number) {
    return this.exclusive(() => this.ops.getAuthSession(id, now));
  }
  getCode(poolId: string, sub: string, purpose: string) {
    return this.exclusive(() => this.ops.getCode(poolId, sub, purpose));
  }
  getRefreshToken(tokenHash: string) {
    return this.exclusive(() => this.ops.getRefreshToken(tokenHash));
  }
  isOriginRevoked(poolId: string, originJti: string) {
    return this.exclusive(() => this.ops.isOriginRevoked(poolId, originJti));
  }
  getIdentityProvider(poolId: string, providerName: string) {
    return this.exclusive(() => this.ops.getIdentityProvider(poolId, providerName));
  }
  getIdentityProviderByIdentifier(poolId: string, identifier: string) {
    return this.exclusive(() => this.ops.getIdentityProviderByIdentifier(poolId, identifier));
  }
  listIdentityProviders(poolId: string, limit: number, after?: string) {
    return this.exclusive(() => this.ops.listIdentityProviders(poolId, limit, after));
  }
  getIdentityLink(poolId: string, providerName: string, attributeName: string, attributeValue: string) {
    return this.exclusive(() =>
      this.ops.getIdentityLink(poolId, providerName, attributeName, attributeValue),
    );
  }
  identityLinksOfUser(poolId: string, sub: string) {
    return this.exclusive(() => this.ops.identityLinksOfUser(poolId, sub));
  }
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { errcode?: number }).errcode;
  return code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY;
}

function page<T>(
  rows: Row[],
  limit: number,
  map: (r: Row) => T,
  key: (r: Row) => (string | number | null)[],
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const result: Page<T> = { items: kept.map(map) };
  if (more) result.next = encodeCursor(key(kept[kept.length - 1]!));
  return result;
}

function poolFromRow(r: Row): PoolRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    region: r.region as string,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    settings: JSON.parse(r.settings as string),
    tags: JSON.parse(r.tags as string),
    userCount: Number(r.user_count),
  };
}

function clientFromRow(r: Row): ClientRecord {
  return {
    poolId: r.pool_id as string,
    clientId: r.client_id as string,
    name: r.name as string,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    settings: JSON.parse(r.settings as string),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function userFromRow(r: Row): UserRecord {
  return userFromColumns(r as Record<UserColumn, unknown>);
}

function groupFromRow(r: Row): GroupRecord {
  const g: GroupRecord = {
    poolId: r.pool_id as string,
    name: r.name as string,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
  if (r.description !== null) g.description = r.description as string;
  if (r.role_arn !== null) g.roleArn = r.role_arn as string;
  if (r.precedence !== null) g.precedence = Number(r.precedence);
  return g;
}

function userParams(u: UserRecord): Row {
  return userColumnValues(u);
}

const USER_COLUMN_LIST = USER_COLUMNS.join(", ");
const USER_VALUES = USER_COLUMNS.map((c) => `$${c}`).join(", ");
const USER_SET = USER_COLUMNS.filter((c) => c !== "pool_id" && c !== "sub" && c !== "created_at")
  .map((c) => `${c} = $${c}`)
  .join(", ");

/** The statements themselves, used by the storage for reads and handed to transactions. */
class SqliteOps implements Transaction {
  private readonly q: (sql: string) => StatementSync;
  /** Called whenever a pool row changes (settings, tags, user count, deletion). */
  private readonly poolChanged: (poolId: string) => void;
  constructor(q: (sql: string) => StatementSync, poolChanged: (poolId: string) => void) {
    this.q = q;
    this.poolChanged = poolChanged;
  }

  async getPool(poolId: string) {
    const r = this.q("SELECT * FROM pools WHERE id = ?").get(poolId) as Row | undefined;
    return r && poolFromRow(r);
  }
  async listPools(region: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q("SELECT * FROM pools WHERE region = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      region,
      seq,
      limit + 1,
    ) as Row[];
    return page(rows, limit, poolFromRow, (r) => [Number(r.seq)]);
  }
  async insertPool(p: PoolRecord) {
    try {
      this.q(
        "INSERT INTO pools (id, name, region, created_at, updated_at, settings, tags, user_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
      ).run(
        p.id,
        p.name,
        p.region,
        p.createdAt,
        p.updatedAt,
        JSON.stringify(p.settings),
        JSON.stringify(p.tags),
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("pool exists");
      throw e;
    }
  }
  async updatePool(p: PoolRecord) {
    this.q("UPDATE pools SET name = ?, updated_at = ?, settings = ?, tags = ? WHERE id = ?").run(
      p.name,
      p.updatedAt,
      JSON.stringify(p.settings),
      JSON.stringify(p.tags),
      p.id,
    );
    this.poolChanged(p.id);
  }
  async deletePool(poolId: string) {
    this.q("DELETE FROM group_members WHERE pool_id = ?").run(poolId);
    this.q("DELETE FROM pools WHERE id = ?").run(poolId);
    this.poolChanged(poolId);
  }

  async getClient(poolId: string, clientId: string) {
    const r = this.q("SELECT * FROM clients WHERE pool_id = ? AND client_id = ?").get(poolId, clientId) as
      Row | undefined;
    return r && clientFromRow(r);
  }
  async getClientById(clientId: string) {
    const r = this.q("SELECT * FROM clients WHERE client_id = ?").get(clientId) as Row | undefined;
    return r && clientFromRow(r);
  }
  async listClients(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q("SELECT * FROM clients WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      poolId,
      seq,
      limit + 1,
    ) as Row[];
    return page(rows, limit, clientFromRow, (r) => [Number(r.seq)]);
  }
  async insertClient(c: ClientRecord) {
    try {
      this.q(
        "INSERT INTO clients (pool_id, client_id, name, created_at, updated_at, settings) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(c.poolId, c.clientId, c.name, c.createdAt, c.updatedAt, JSON.stringify(c.settings));
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("client exists");
      throw e;
    }
  }
  async updateClient(c: ClientRecord) {
    this.q(
      "UPDATE clients SET name = ?, updated_at = ?, settings = ? WHERE pool_id = ? AND client_id = ?",
    ).run(c.name, c.updatedAt, JSON.stringify(c.settings), c.poolId, c.clientId);
  }
  async deleteClient(poolId: string, clientId: string) {
    this.q("DELETE FROM clients WHERE pool_id = ? AND client_id = ?").run(poolId, clientId);
  }
  async listClientSecrets(poolId: string, clientId: string) {
    const rows = this.q(
      "SELECT * FROM client_secrets WHERE pool_id = ? AND client_id = ? ORDER BY created_at, secret_id",
    ).all(poolId, clientId) as Row[];
    return rows.map((r): ClientSecretRecord => ({
      poolId: r.pool_id as string,
      clientId: r.client_id as string,
      secretId: r.secret_id as string,
      secret: r.secret as string,
      createdAt: Number(r.created_at),
    }));
  }
  async insertClientSecret(s: ClientSecretRecord) {
    this.q(
      "INSERT INTO client_secrets (pool_id, client_id, secret_id, secret, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(s.poolId, s.clientId, s.secretId, s.secret, s.createdAt);
  }
  async deleteClientSecret(poolId: string, clientId: string, secretId: string) {
    const r = this.q("DELETE FROM client_secrets WHERE pool_id = ? AND client_id = ? AND secret_id = ?").run(
      poolId,
      clientId,
      secretId,
    );
    return Number(r.changes) > 0;
  }

  async getUser(poolId: string, usernameKey: string) {
    const r = this.q("SELECT * FROM users WHERE pool_id = ? AND username_key = ?").get(
      poolId,
      usernameKey,
    ) as Row | undefined;
    return r && userFromRow(r);
  }
  async getUserBySub(poolId: string, sub: string) {
    const r = this.q("SELECT * FROM users WHERE pool_id = ? AND sub = ?").get(poolId, sub) as Row | undefined;
    return r && userFromRow(r);
  }
  async findUsersByAlias(
    poolId: string,
    attribute: "email" | "phone_number" | "preferred_username",
    value: string,
  ) {
    const column =
      attribute === "email"
        ? "email_key"
        : attribute === "preferred_username"
          ? "preferred_username_key"
          : "phone_number";
    const v = attribute === "phone_number" ? value : value.toLowerCase();
    const rows = this.q(`SELECT * FROM users WHERE pool_id = ? AND ${column} = ? LIMIT 10`).all(
      poolId,
      v,
    ) as Row[];
    return rows.map(userFromRow);
  }
  async listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string) {
    if (!filter) {
      const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
      const rows = this.q("SELECT * FROM users WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
        poolId,
        seq,
        limit + 1,
      ) as Row[];
      return page(rows, limit, userFromRow, (r) => [Number(r.seq)]);
    }
    const col = FILTER_COLUMNS[filter.attribute];
    const [lastValue, lastSeq] = after ? decodeCursor(after, 2) : [null, null];
    const start = after ? ` AND (${col}, seq) > ($lastValue, $lastSeq)` : "";
    const params: Row = { $pool: poolId, $limit: limit + 1 };
    if (after) {
      params.$lastValue = lastValue;
      params.$lastSeq = lastSeq;
    }
    let sql: string;
    if (filter.op === "=") {
      sql = `SELECT * FROM users WHERE pool_id = $pool AND ${col} = $value${start} ORDER BY ${col}, seq LIMIT $limit`;
      params.$value = filter.value;
    } else {
      sql = `SELECT * FROM users WHERE pool_id = $pool AND ${col} >= $value AND ${col} < $upper${start} ORDER BY ${col}, seq LIMIT $limit`;
      params.$value = filter.value;
      params.$upper = prefixUpperBound(filter.value);
    }
    const rows = this.q(sql).all(params) as Row[];
    return page(rows, limit, userFromRow, (r) => [r[col] as string, Number(r.seq)]);
  }
  async insertUser(u: UserRecord) {
    const params = Object.fromEntries(Object.entries(userParams(u)).map(([k, v]) => [`$${k}`, v]));
    try {
      this.q(`INSERT INTO users (${USER_COLUMN_LIST}) VALUES (${USER_VALUES})`).run(params);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("user exists");
      throw e;
    }
    this.q("UPDATE pools SET user_count = user_count + 1 WHERE id = ?").run(u.poolId);
    this.poolChanged(u.poolId);
  }
  async insertUsers(users: readonly UserRecord[]) {
    const insert = this.q(`INSERT INTO users (${USER_COLUMN_LIST}) VALUES (${USER_VALUES})`);
    const added = new Map<string, number>();
    for (const u of users) {
      const params = Object.fromEntries(Object.entries(userParams(u)).map(([k, v]) => [`$${k}`, v]));
      try {
        insert.run(params);
      } catch (e) {
        if (isUniqueViolation(e)) throw new DuplicateKeyError("user exists");
        throw e;
      }
      added.set(u.poolId, (added.get(u.poolId) ?? 0) + 1);
    }
    for (const [poolId, n] of added) {
      this.q("UPDATE pools SET user_count = user_count + ? WHERE id = ?").run(n, poolId);
      this.poolChanged(poolId);
    }
  }
  async updateUser(u: UserRecord) {
    const all = userParams(u);
    const params: Row = {};
    for (const [k, v] of Object.entries(all)) if (k !== "created_at") params[`$${k}`] = v;
    try {
      this.q(`UPDATE users SET ${USER_SET} WHERE pool_id = $pool_id AND sub = $sub`).run(params);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("user exists");
      throw e;
    }
  }
  async deleteUser(poolId: string, sub: string) {
    const r = this.q("DELETE FROM users WHERE pool_id = ? AND sub = ?").run(poolId, sub);
    if (Number(r.changes) > 0) {
      this.q("UPDATE pools SET user_count = user_count - 1 WHERE id = ?").run(poolId);
      this.poolChanged(poolId);
    }
  }

  async getGroup(poolId: string, name: string) {
    const r = this.q("SELECT * FROM groups WHERE pool_id = ? AND name = ?").get(poolId, name) as
      Row | undefined;
    return r && groupFromRow(r);
  }
  async listGroups(poolId: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q("SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?").all(
      poolId,
      last,
      limit + 1,
    ) as Row[];
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listGroupsForUser(poolId: string, sub: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name WHERE m.pool_id = ? AND m.sub = ? AND m.group_name > ? ORDER BY m.group_name LIMIT ?",
    ).all(poolId, sub, last, limit + 1) as Row[];
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listUsersInGroup(poolId: string, groupName: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub WHERE m.pool_id = ? AND m.group_name = ? AND m.sub > ? ORDER BY m.sub LIMIT ?",
    ).all(poolId, groupName, last, limit + 1) as Row[];
    return page(rows, limit, userFromRow, (r) => [r.sub as string]);
  }
  async insertGroup(g: GroupRecord) {
    try {
      this.q(
        "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        g.poolId,
        g.name,
        g.description ?? null,
        g.roleArn ?? null,
        g.precedence ?? null,
        g.createdAt,
        g.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("group exists");
      throw e;
    }
  }
  async updateGroup(g: GroupRecord) {
    this.q(
      "UPDATE groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?",
    ).run(g.description ?? null, g.roleArn ?? null, g.precedence ?? null, g.updatedAt, g.poolId, g.name);
  }
  async deleteGroup(poolId: string, name: string) {
    this.q("DELETE FROM groups WHERE pool_id = ? AND name = ?").run(poolId, name);
  }
  async addUserToGroup(poolId: string, groupName: string, sub: string) {
    const r = this.q("INSERT OR IGNORE INTO group_members (pool_id, group_name, sub) VALUES (?, ?, ?)").run(
      poolId,
      groupName,
      sub,
    );
    return Number(r.changes) > 0;
  }
  async removeUserFromGroup(poolId: string, groupName: string, sub: string) {
    const r = this.q("DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND sub = ?").run(
      poolId,
      groupName,
      sub,
    );
    return Number(r.changes) > 0;
  }

  async signingKeys(poolId: string) {
    const rows = this.q("SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY created_at, kid").all(
      poolId,
    ) as Row[];
    return rows.map((r): SigningKeyRecord => ({
      poolId: r.pool_id as string,
      kid: r.kid as string,
      use: r.use as "id" | "access",
      privateKeyPem: r.private_key as string,
      publicJwk: JSON.parse(r.public_jwk as string),
      createdAt: Number(r.created_at),
    }));
  }
  async insertSigningKey(k: SigningKeyRecord) {
    this.q(
      "INSERT OR IGNORE INTO signing_keys (pool_id, kid, use, private_key, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(k.poolId, k.kid, k.use, k.privateKeyPem, JSON.stringify(k.publicJwk), k.createdAt);
  }

  async insertAuthSession(a: AuthSessionRecord) {
    this.q("INSERT INTO auth_sessions (id, pool_id, client_id, data, expires_at) VALUES (?, ?, ?, ?, ?)").run(
      a.id,
      a.poolId,
      a.clientId,
      JSON.stringify(a.data),
      a.expiresAt,
    );
  }
  async getAuthSession(id: string, now: number) {
    const r = this.q("SELECT * FROM auth_sessions WHERE id = ?").get(id) as Row | undefined;
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }
  async consumeAuthSession(id: string, now: number) {
    const r = this.q("DELETE FROM auth_sessions WHERE id = ? RETURNING *").get(id) as Row | undefined;
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }

  async getCode(poolId: string, sub: string, purpose: string) {
    const r = this.q("SELECT * FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?").get(
      poolId,
      sub,
      purpose,
    ) as Row | undefined;
    if (!r) return undefined;
    return {
      poolId: r.pool_id as string,
      sub: r.sub as string,
      purpose: r.purpose as string,
      codeHash: r.code_hash as string,
      expiresAt: Number(r.expires_at),
      attempts: Number(r.attempts),
      createdAt: Number(r.created_at),
    } satisfies CodeRecord;
  }
  async putCode(c: CodeRecord) {
    this.q(
      "INSERT OR REPLACE INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(c.poolId, c.sub, c.purpose, c.codeHash, c.expiresAt, c.attempts, c.createdAt);
  }
  async consumeCode(poolId: string, sub: string, purpose: string, codeHash: string) {
    const r = this.q("DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ? AND code_hash = ?").run(
      poolId,
      sub,
      purpose,
      codeHash,
    );
    return Number(r.changes) > 0;
  }
  async countCodeAttempt(poolId: string, sub: string, purpose: string) {
    const r = this.q(
      "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND sub = ? AND purpose = ? RETURNING attempts",
    ).get(poolId, sub, purpose) as Row | undefined;
    return r ? Number(r.attempts) : 0;
  }
  async deleteCode(poolId: string, sub: string, purpose: string) {
    this.q("DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?").run(poolId, sub, purpose);
  }

  async lockCounter(poolId: string, key: string): Promise<CounterRecord> {
    // One connection, transactions one at a time: the row needs no lock of its own.
    const r = this.q("SELECT * FROM counters WHERE pool_id = ? AND key = ?").get(poolId, key) as
      Row | undefined;
    return r ? counterFromRow(r) : { poolId, key, count: 0, since: 0, expiresAt: 0 };
  }
  async putCounter(c: CounterRecord) {
    this.q(
      "INSERT OR REPLACE INTO counters (pool_id, key, count, since, locked_until, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(c.poolId, c.key, c.count, c.since, c.lockedUntil ?? null, c.expiresAt);
  }
  async deleteCounter(poolId: string, key: string) {
    this.q("DELETE FROM counters WHERE pool_id = ? AND key = ?").run(poolId, key);
  }

  async getRefreshToken(tokenHash: string) {
    const r = this.q("SELECT * FROM refresh_tokens WHERE token_hash = ?").get(tokenHash) as Row | undefined;
    if (!r) return undefined;
    const t: RefreshTokenRecord = {
      tokenHash: r.token_hash as string,
      poolId: r.pool_id as string,
      clientId: r.client_id as string,
      sub: r.sub as string,
      originJti: r.origin_jti as string,
      authTime: Number(r.auth_time),
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    };
    if (r.replaced_at !== null) t.replacedAt = Number(r.replaced_at);
    if (r.revoked_at !== null) t.revokedAt = Number(r.revoked_at);
    return t;
  }
  async isOriginRevoked(poolId: string, originJti: string) {
    const r = this.q(
      "SELECT 1 FROM refresh_tokens WHERE pool_id = ? AND origin_jti = ? AND revoked_at IS NOT NULL LIMIT 1",
    ).get(poolId, originJti);
    return r !== undefined;
  }
  async insertRefreshToken(t: RefreshTokenRecord) {
    this.q(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, created_at, expires_at, replaced_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      t.tokenHash,
      t.poolId,
      t.clientId,
      t.sub,
      t.originJti,
      t.authTime,
      t.createdAt,
      t.expiresAt,
      t.replacedAt ?? null,
      t.revokedAt ?? null,
    );
  }
  async replaceRefreshToken(tokenHash: string, now: number) {
    const r = this.q(
      "UPDATE refresh_tokens SET replaced_at = ? WHERE token_hash = ? AND replaced_at IS NULL",
    ).run(now, tokenHash);
    return Number(r.changes) > 0;
  }
  async revokeOrigin(poolId: string, originJti: string, now: number) {
    this.q(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND origin_jti = ? AND revoked_at IS NULL",
    ).run(now, poolId, originJti);
  }
  async revokeUserTokens(poolId: string, sub: string, now: number) {
    this.q(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND sub = ? AND revoked_at IS NULL",
    ).run(now, poolId, sub);
  }
  async purgeExpired(now: number) {
    this.q("DELETE FROM auth_sessions WHERE expires_at <= ?").run(now);
    this.q("DELETE FROM codes WHERE expires_at <= ?").run(now);
    this.q("DELETE FROM counters WHERE expires_at <= ?").run(now);
    // Kept a day past expiry: access tokens (valid up to a day) check their origin's revocation here.
    this.q("DELETE FROM refresh_tokens WHERE expires_at <= ?").run(now - 86_400_000);
  }

  private idpFromRow(r: Row): IdentityProviderRecord {
    const identifiers = this.q(
      "SELECT identifier FROM idp_identifiers WHERE pool_id = ? AND provider_name = ? ORDER BY position",
    ).all(r.pool_id as string, r.provider_name as string) as Row[];
    const idp: IdentityProviderRecord = {
      poolId: r.pool_id as string,
      providerName: r.provider_name as string,
      providerType: r.provider_type as string,
      providerDetails: JSON.parse(r.provider_details as string),
      attributeMapping: JSON.parse(r.attribute_mapping as string),
      idpIdentifiers: identifiers.map((i) => i.identifier as string),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
    if (r.acr_mapping !== null && r.acr_mapping !== undefined)
      idp.acrMapping = JSON.parse(r.acr_mapping as string);
    if (r.saml_metadata !== null && r.saml_metadata !== undefined)
      idp.samlMetadata = r.saml_metadata as string;
    return idp;
  }
  async getIdentityProvider(poolId: string, providerName: string) {
    const r = this.q("SELECT * FROM identity_providers WHERE pool_id = ? AND provider_name = ?").get(
      poolId,
      providerName,
    ) as Row | undefined;
    return r && this.idpFromRow(r);
  }
  async getIdentityProviderByIdentifier(poolId: string, identifier: string) {
    const r = this.q(
      "SELECT p.* FROM idp_identifiers i JOIN identity_providers p ON p.pool_id = i.pool_id AND p.provider_name = i.provider_name WHERE i.pool_id = ? AND i.identifier = ?",
    ).get(poolId, identifier) as Row | undefined;
    return r && this.idpFromRow(r);
  }
  async listIdentityProviders(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q(
      "SELECT * FROM identity_providers WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(poolId, seq, limit + 1) as Row[];
    return page(
      rows,
      limit,
      (r) => this.idpFromRow(r),
      (r) => [Number(r.seq)],
    );
  }
  private writeIdentifiers(idp: IdentityProviderRecord) {
    this.q("DELETE FROM idp_identifiers WHERE pool_id = ? AND provider_name = ?").run(
      idp.poolId,
      idp.providerName,
    );
    idp.idpIdentifiers.forEach((identifier, position) => {
      this.q(
        "INSERT INTO idp_identifiers (pool_id, identifier, provider_name, position) VALUES (?, ?, ?, ?)",
      ).run(idp.poolId, identifier, idp.providerName, position);
    });
  }
  async insertIdentityProvider(idp: IdentityProviderRecord) {
    try {
      this.q(
        "INSERT INTO identity_providers (pool_id, provider_name, provider_type, provider_details, attribute_mapping, acr_mapping, saml_metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        idp.poolId,
        idp.providerName,
        idp.providerType,
        JSON.stringify(idp.providerDetails),
        JSON.stringify(idp.attributeMapping),
        idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
        idp.samlMetadata ?? null,
        idp.createdAt,
        idp.updatedAt,
      );
      this.writeIdentifiers(idp);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identity provider exists");
      throw e;
    }
  }
  async updateIdentityProvider(idp: IdentityProviderRecord) {
    try {
      this.q(
        "UPDATE identity_providers SET provider_details = ?, attribute_mapping = ?, acr_mapping = ?, saml_metadata = ?, updated_at = ? WHERE pool_id = ? AND provider_name = ?",
      ).run(
        JSON.stringify(idp.providerDetails),
        JSON.stringify(idp.attributeMapping),
        idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
        idp.samlMetadata ?? null,
        idp.updatedAt,
        idp.poolId,
        idp.providerName,
      );
      this.writeIdentifiers(idp);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identifier taken");
      throw e;
    }
  }
  async deleteIdentityProvider(poolId: string, providerName: string) {
    this.q("DELETE FROM identity_links WHERE pool_id = ? AND provider_name = ?").run(poolId, providerName);
    this.q("DELETE FROM identity_providers WHERE pool_id = ? AND provider_name = ?").run(
      poolId,
      providerName,
    );
  }
  async getIdentityLink(poolId: string, providerName: string, attributeName: string, attributeValue: string) {
    const r = this.q(
      "SELECT * FROM identity_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?",
    ).get(poolId, providerName, attributeName, attributeValue) as Row | undefined;
    return r && linkFromRow(r);
  }
  async identityLinksOfUser(poolId: string, sub: string) {
    const rows = this.q("SELECT * FROM identity_links WHERE pool_id = ? AND sub = ? ORDER BY created_at").all(
      poolId,
      sub,
    ) as Row[];
    return rows.map(linkFromRow);
  }
  async insertIdentityLink(l: IdentityLinkRecord) {
    try {
      this.q(
        "INSERT INTO identity_links (pool_id, provider_name, attribute_name, attribute_value, sub, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(l.poolId, l.providerName, l.attributeName, l.attributeValue, l.sub, l.createdAt);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identity linked already");
      throw e;
    }
  }
  async deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ) {
    const r = this.q(
      "DELETE FROM identity_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?",
    ).run(poolId, providerName, attributeName, attributeValue);
    return Number(r.changes) > 0;
  }
}

function linkFromRow(r: Row): IdentityLinkRecord {
  return {
    poolId: r.pool_id as string,
    providerName: r.provider_name as string,
    attributeName: r.attribute_name as string,
    attributeValue: r.attribute_value as string,
    sub: r.sub as string,
    createdAt: Number(r.created_at),
  };
}

function authSessionFromRow(r: Row): AuthSessionRecord {
  return {
    id: r.id as string,
    poolId: r.pool_id as string,
    clientId: r.client_id as string,
    data: JSON.parse(r.data as string),
    expiresAt: Number(r.expires_at),
  };
}
