/**
 * The statements of the PostgreSQL backend: reads for the pool, reads and writes for a transaction.
 * Statements are prepared once per connection (parsed and planned once), except the list queries
 * whose best plan depends on the values (planned each time).
 *
 * Inside a transaction, reads of one pool, client, user, group or code lock that row
 * (FOR NO KEY UPDATE) until commit: the domain reads a record and writes it back changed, and under
 * READ COMMITTED two instances doing that at once would otherwise lose one of the changes. The lock
 * does not block inserts that merely reference the row (refresh tokens, codes, memberships).
 * Inserts that may meet a unique key use ON CONFLICT DO NOTHING and report the conflict themselves,
 * so the transaction stays usable after a DuplicateKeyError, as on SQLite.
 */
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
  type Transaction,
  type UserFilter,
} from "../storage.ts";
import { counterFromRow } from "../counter-row.ts";
import { ReadBatcher } from "./batch.ts";
import {
  authSessionFromRow,
  clientFromRow,
  clientSecretFromRow,
  codeFromRow,
  groupFromRow,
  identityLinkFromRow,
  identityProviderFromRow,
  type Param,
  poolFromRow,
  type Row,
  refreshTokenFromRow,
  signingKeyFromRow,
  USER_COLUMNS,
  userFromRow,
  userParams,
} from "./rows.ts";

/** Something that runs one statement: the pool (reads) or one connection (a transaction). */
export interface Db {
  /**
   * Runs one statement, prepared once per connection (its plan reused), unless `planEachTime`:
   * statements whose best plan depends on the values (how many users a filter matches) are
   * planned for the values at hand every time.
   */
  query(
    sql: string,
    params: readonly Param[],
    planEachTime?: boolean,
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/** The column each searchable attribute lives in (as on SQLite). */
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

const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function page<T>(
  rows: Row[],
  limit: number,
  map: (r: Row) => T,
  key: (r: Row) => (string | number)[],
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const result: Page<T> = { items: kept.map(map) };
  if (more) result.next = encodeCursor(key(kept[kept.length - 1]!));
  return result;
}

const seqOf = (after: string | undefined): number => (after ? Number(decodeCursor(after, 1)[0]) : 0);
const nameOf = (after: string | undefined): string => (after ? String(decodeCursor(after, 1)[0]) : "");

const USER_INSERT = `INSERT INTO users (${USER_COLUMNS.join(", ")}) VALUES (${USER_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}) ON CONFLICT DO NOTHING`;
/** Many users in one statement: one array parameter per column, rows kept in the arrays' order. */
const USER_NUMBER_COLUMNS: ReadonlySet<string> = new Set(["created_at", "updated_at"]);
const USERS_INSERT = `INSERT INTO users (${USER_COLUMNS.join(", ")}) SELECT ${USER_COLUMNS.join(", ")} FROM unnest(${USER_COLUMNS.map((c, i) => `$${i + 1}::${USER_NUMBER_COLUMNS.has(c) ? "bigint" : "text"}[]`).join(", ")}) WITH ORDINALITY AS t (${USER_COLUMNS.join(", ")}, ord) ORDER BY ord ON CONFLICT DO NOTHING`;
/** UPDATE of every users column but the keys and created_at; parameters from userUpdateParams. */
const USER_UPDATED_COLUMNS = USER_COLUMNS.filter((c) => c !== "pool_id" && c !== "sub" && c !== "created_at");
const USER_UPDATE = `UPDATE users SET ${USER_UPDATED_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE pool_id = $${USER_UPDATED_COLUMNS.length + 1} AND sub = $${USER_UPDATED_COLUMNS.length + 2}`;

function userUpdateParams(u: UserRecord): Param[] {
  const all = userParams(u);
  const value = (c: (typeof USER_COLUMNS)[number]) => all[USER_COLUMNS.indexOf(c)]!;
  return [...USER_UPDATED_COLUMNS.map(value), u.poolId, u.sub];
}

/** Identity providers with their identifiers, in position order. */
const IDP_SELECT =
  "SELECT p.*, ARRAY(SELECT i.identifier FROM idp_identifiers i WHERE i.pool_id = p.pool_id AND i.provider_name = p.provider_name ORDER BY i.position) AS identifiers FROM identity_providers p";

/** Point reads outside transactions, batched (batch.ts). */
interface Batchers {
  pool: ReadBatcher<string>;
  client: ReadBatcher<string>;
  user: ReadBatcher<[string, string]>;
  userBySub: ReadBatcher<[string, string]>;
}

const NUL = "\u0000";

/**
 * A batcher of lookups by (pool_id, column): one key alone goes through `single` (its own prepared
 * statement); several, through one statement joining the keys (an unnest of two arrays).
 */
function pairBatcher(db: Db, table: string, column: string, single: string): ReadBatcher<[string, string]> {
  const many = `SELECT t.* FROM unnest($1::text[], $2::text[]) AS k(pool_id, value) JOIN ${table} t ON t.pool_id = k.pool_id AND t.${column} = k.value`;
  return new ReadBatcher<[string, string]>({
    id: ([a, b]) => a + NUL + b,
    rowId: (r) => `${r.pool_id as string}${NUL}${r[column] as string}`,
    fetch: async (keys) =>
      keys.length === 1
        ? (await db.query(single, keys[0]!)).rows
        : (await db.query(many, [keys.map((k) => k[0]), keys.map((k) => k[1])])).rows,
  });
}

function singleBatcher(db: Db, table: string, column: string, single: string): ReadBatcher<string> {
  const many = `SELECT * FROM ${table} WHERE ${column} = ANY($1::text[])`;
  return new ReadBatcher<string>({
    id: (k) => k,
    rowId: (r) => r[column] as string,
    fetch: async (keys) =>
      keys.length === 1 ? (await db.query(single, [keys[0]!])).rows : (await db.query(many, [keys])).rows,
  });
}

const POOL_BY_ID = "SELECT * FROM pools WHERE id = $1";
const CLIENT_BY_ID = "SELECT * FROM clients WHERE client_id = $1";
const USER_BY_NAME = "SELECT * FROM users WHERE pool_id = $1 AND username_key = $2";
const USER_BY_SUB = "SELECT * FROM users WHERE pool_id = $1 AND sub = $2";

export class PostgresOps implements Transaction {
  private readonly db: Db;
  /** " FOR NO KEY UPDATE" inside a transaction, "" for reads outside one. */
  private readonly lock: string;
  private readonly batch: Batchers | undefined;

  /** Outside a transaction, point reads are batched; inside one, each runs (and locks) on its own. */
  constructor(db: Db, inTransaction: boolean) {
    this.db = db;
    this.lock = inTransaction ? " FOR NO KEY UPDATE" : "";
    this.batch = inTransaction
      ? undefined
      : {
          pool: singleBatcher(db, "pools", "id", POOL_BY_ID),
          client: singleBatcher(db, "clients", "client_id", CLIENT_BY_ID),
          user: pairBatcher(db, "users", "username_key", USER_BY_NAME),
          userBySub: pairBatcher(db, "users", "sub", USER_BY_SUB),
        };
  }

  private async rows(sql: string, params: readonly Param[], planEachTime = false): Promise<Row[]> {
    return (await this.db.query(sql, params, planEachTime)).rows;
  }
  private async one(sql: string, params: readonly Param[]): Promise<Row | undefined> {
    return (await this.db.query(sql, params)).rows[0];
  }
  private async run(sql: string, params: readonly Param[]): Promise<number> {
    return (await this.db.query(sql, params)).rowCount;
  }

  async getPool(poolId: string) {
    const r = this.batch
      ? await this.batch.pool.load(poolId)
      : await this.one(`${POOL_BY_ID}${this.lock}`, [poolId]);
    return r && poolFromRow(r);
  }
  async listPools(region: string, limit: number, after?: string) {
    const rows = await this.rows("SELECT * FROM pools WHERE region = $1 AND seq > $2 ORDER BY seq LIMIT $3", [
      region,
      seqOf(after),
      limit + 1,
    ]);
    return page(rows, limit, poolFromRow, (r) => [Number(r.seq)]);
  }
  async insertPool(p: PoolRecord) {
    const n = await this.run(
      "INSERT INTO pools (id, name, region, created_at, updated_at, settings, tags, user_count) VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT DO NOTHING",
      [p.id, p.name, p.region, p.createdAt, p.updatedAt, JSON.stringify(p.settings), JSON.stringify(p.tags)],
    );
    if (n === 0) throw new DuplicateKeyError("pool exists");
  }
  async updatePool(p: PoolRecord) {
    await this.run("UPDATE pools SET name = $1, updated_at = $2, settings = $3, tags = $4 WHERE id = $5", [
      p.name,
      p.updatedAt,
      JSON.stringify(p.settings),
      JSON.stringify(p.tags),
      p.id,
    ]);
  }
  async deletePool(poolId: string) {
    // Everything of the pool goes with it (ON DELETE CASCADE).
    await this.run("DELETE FROM pools WHERE id = $1", [poolId]);
  }

  async getClient(poolId: string, clientId: string) {
    if (this.batch) {
      // Client ids are unique across pools: one batched lookup by id, then the pool must match.
      const r = await this.batch.client.load(clientId);
      return r && r.pool_id === poolId ? clientFromRow(r) : undefined;
    }
    const r = await this.one(`SELECT * FROM clients WHERE pool_id = $1 AND client_id = $2${this.lock}`, [
      poolId,
      clientId,
    ]);
    return r && clientFromRow(r);
  }
  async getClientById(clientId: string) {
    const r = this.batch ? await this.batch.client.load(clientId) : await this.one(CLIENT_BY_ID, [clientId]);
    return r && clientFromRow(r);
  }
  async listClients(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM clients WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, clientFromRow, (r) => [Number(r.seq)]);
  }
  async insertClient(c: ClientRecord) {
    const n = await this.run(
      "INSERT INTO clients (pool_id, client_id, name, created_at, updated_at, settings) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [c.poolId, c.clientId, c.name, c.createdAt, c.updatedAt, JSON.stringify(c.settings)],
    );
    if (n === 0) throw new DuplicateKeyError("client exists");
  }
  async updateClient(c: ClientRecord) {
    await this.run(
      "UPDATE clients SET name = $1, updated_at = $2, settings = $3 WHERE pool_id = $4 AND client_id = $5",
      [c.name, c.updatedAt, JSON.stringify(c.settings), c.poolId, c.clientId],
    );
  }
  async deleteClient(poolId: string, clientId: string) {
    await this.run("DELETE FROM clients WHERE pool_id = $1 AND client_id = $2", [poolId, clientId]);
  }
  async listClientSecrets(poolId: string, clientId: string) {
    const rows = await this.rows(
      "SELECT * FROM client_secrets WHERE pool_id = $1 AND client_id = $2 ORDER BY created_at, secret_id",
      [poolId, clientId],
    );
    return rows.map(clientSecretFromRow);
  }
  async insertClientSecret(s: ClientSecretRecord) {
    const n = await this.run(
      "INSERT INTO client_secrets (pool_id, client_id, secret_id, secret, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [s.poolId, s.clientId, s.secretId, s.secret, s.createdAt],
    );
    if (n === 0) throw new DuplicateKeyError("client secret exists");
  }
  async deleteClientSecret(poolId: string, clientId: string, secretId: string) {
    const n = await this.run(
      "DELETE FROM client_secrets WHERE pool_id = $1 AND client_id = $2 AND secret_id = $3",
      [poolId, clientId, secretId],
    );
    return n > 0;
  }

  async getUser(poolId: string, usernameKey: string) {
    const r = this.batch
      ? await this.batch.user.load([poolId, usernameKey])
      : await this.one(`${USER_BY_NAME}${this.lock}`, [poolId, usernameKey]);
    return r && userFromRow(r);
  }
  async getUserBySub(poolId: string, sub: string) {
    const r = this.batch
      ? await this.batch.userBySub.load([poolId, sub])
      : await this.one(`${USER_BY_SUB}${this.lock}`, [poolId, sub]);
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
    const rows = await this.rows(
      `SELECT * FROM users WHERE pool_id = $1 AND ${column} = $2 ORDER BY seq LIMIT 10`,
      [poolId, v],
    );
    return rows.map(userFromRow);
  }
  async listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string) {
    if (!filter) {
      const rows = await this.rows(
        "SELECT * FROM users WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        [poolId, seqOf(after), limit + 1],
      );
      return page(rows, limit, userFromRow, (r) => [Number(r.seq)]);
    }
    const col = FILTER_COLUMNS[filter.attribute];
    const params: Param[] = [poolId, limit + 1, filter.value];
    let where = filter.op === "=" ? `${col} = $3` : `${col} >= $3 AND ${col} < $4`;
    if (filter.op === "^=") params.push(prefixUpperBound(filter.value));
    if (after) {
      const [lastValue, lastSeq] = decodeCursor(after, 2);
      params.push(lastValue === null ? null : String(lastValue), Number(lastSeq));
      where += ` AND (${col}, seq) > ($${params.length - 1}, $${params.length})`;
    }
    const rows = await this.rows(
      `SELECT * FROM users WHERE pool_id = $1 AND ${where} ORDER BY ${col}, seq LIMIT $2`,
      params,
      true,
    );
    return page(rows, limit, userFromRow, (r) => [r[col] as string, Number(r.seq)]);
  }
  async insertUser(u: UserRecord) {
    // ON CONFLICT waits for a concurrent insert of the same key to commit or roll back, so of two
    // concurrent sign-ups exactly one inserts and the other sees the conflict.
    const n = await this.run(USER_INSERT, userParams(u));
    if (n === 0) throw new DuplicateKeyError("user exists");
    await this.run("UPDATE pools SET user_count = user_count + 1 WHERE id = $1", [u.poolId]);
  }
  async insertUsers(users: readonly UserRecord[]) {
    if (users.length === 0) return;
    const columns = USER_COLUMNS.map(() => [] as (string | null)[]);
    for (const u of users) {
      const values = userParams(u);
      for (let c = 0; c < columns.length; c++) {
        const v = values[c];
        columns[c]!.push(v === null || v === undefined ? null : String(v));
      }
    }
    const n = await this.run(USERS_INSERT, columns);
    if (n !== users.length) throw new DuplicateKeyError("user exists");
    const added = new Map<string, number>();
    for (const u of users) added.set(u.poolId, (added.get(u.poolId) ?? 0) + 1);
    for (const [poolId, count] of added)
      await this.run("UPDATE pools SET user_count = user_count + $2 WHERE id = $1", [poolId, count]);
  }
  async updateUser(u: UserRecord) {
    try {
      await this.run(USER_UPDATE, userUpdateParams(u));
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("user exists");
      throw e;
    }
  }
  async deleteUser(poolId: string, sub: string) {
    const n = await this.run("DELETE FROM users WHERE pool_id = $1 AND sub = $2", [poolId, sub]);
    if (n > 0) await this.run("UPDATE pools SET user_count = user_count - 1 WHERE id = $1", [poolId]);
  }

  async getGroup(poolId: string, name: string) {
    const r = await this.one(`SELECT * FROM groups WHERE pool_id = $1 AND name = $2${this.lock}`, [
      poolId,
      name,
    ]);
    return r && groupFromRow(r);
  }
  async listGroups(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM groups WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3",
      [poolId, nameOf(after), limit + 1],
    );
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listGroupsForUser(poolId: string, sub: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name WHERE m.pool_id = $1 AND m.sub = $2 AND m.group_name > $3 ORDER BY m.group_name LIMIT $4",
      [poolId, sub, nameOf(after), limit + 1],
    );
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listUsersInGroup(poolId: string, groupName: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub WHERE m.pool_id = $1 AND m.group_name = $2 AND m.sub > $3 ORDER BY m.sub LIMIT $4",
      [poolId, groupName, nameOf(after), limit + 1],
      true,
    );
    return page(rows, limit, userFromRow, (r) => [r.sub as string]);
  }
  async insertGroup(g: GroupRecord) {
    const n = await this.run(
      "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      [
        g.poolId,
        g.name,
        g.description ?? null,
        g.roleArn ?? null,
        g.precedence ?? null,
        g.createdAt,
        g.updatedAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("group exists");
  }
  async updateGroup(g: GroupRecord) {
    await this.run(
      "UPDATE groups SET description = $1, role_arn = $2, precedence = $3, updated_at = $4 WHERE pool_id = $5 AND name = $6",
      [g.description ?? null, g.roleArn ?? null, g.precedence ?? null, g.updatedAt, g.poolId, g.name],
    );
  }
  async deleteGroup(poolId: string, name: string) {
    await this.run("DELETE FROM groups WHERE pool_id = $1 AND name = $2", [poolId, name]);
  }
  async addUserToGroup(poolId: string, groupName: string, sub: string) {
    const n = await this.run(
      "INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [poolId, groupName, sub],
    );
    return n > 0;
  }
  async removeUserFromGroup(poolId: string, groupName: string, sub: string) {
    const n = await this.run(
      "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3",
      [poolId, groupName, sub],
    );
    return n > 0;
  }

  async signingKeys(poolId: string) {
    // In a transaction, the pool row is locked first: two instances that both find a pool without
    // keys then create them one after the other, and the second sees the first one's keys.
    if (this.lock) await this.run(`SELECT 1 FROM pools WHERE id = $1${this.lock}`, [poolId]);
    const rows = await this.rows("SELECT * FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid", [
      poolId,
    ]);
    return rows.map(signingKeyFromRow);
  }
  async insertSigningKey(k: SigningKeyRecord) {
    await this.run(
      "INSERT INTO signing_keys (pool_id, kid, use, private_key, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [k.poolId, k.kid, k.use, k.privateKeyPem, JSON.stringify(k.publicJwk), k.createdAt],
    );
  }

  async insertAuthSession(a: AuthSessionRecord) {
    await this.run(
      "INSERT INTO auth_sessions (id, pool_id, client_id, data, expires_at) VALUES ($1, $2, $3, $4, $5)",
      [a.id, a.poolId, a.clientId, JSON.stringify(a.data), a.expiresAt],
    );
  }
  async getAuthSession(id: string, now: number) {
    const r = await this.one("SELECT * FROM auth_sessions WHERE id = $1", [id]);
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }
  async consumeAuthSession(id: string, now: number) {
    // Of concurrent DELETEs of one row, the first deletes it; the others wait for it and find nothing.
    const r = await this.one("DELETE FROM auth_sessions WHERE id = $1 RETURNING *", [id]);
    if (!r || Number(r.expires_at) <= now) return undefined;
    return authSessionFromRow(r);
  }

  async getCode(poolId: string, sub: string, purpose: string) {
    const r = await this.one(
      `SELECT * FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3${this.lock}`,
      [poolId, sub, purpose],
    );
    return r && codeFromRow(r);
  }
  async putCode(c: CodeRecord) {
    await this.run(
      "INSERT INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, attempts = EXCLUDED.attempts, created_at = EXCLUDED.created_at",
      [c.poolId, c.sub, c.purpose, c.codeHash, c.expiresAt, c.attempts, c.createdAt],
    );
  }
  async consumeCode(poolId: string, sub: string, purpose: string, codeHash: string) {
    const n = await this.run(
      "DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND code_hash = $4",
      [poolId, sub, purpose, codeHash],
    );
    return n > 0;
  }
  async countCodeAttempt(poolId: string, sub: string, purpose: string) {
    const r = await this.one(
      "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = $1 AND sub = $2 AND purpose = $3 RETURNING attempts",
      [poolId, sub, purpose],
    );
    return r ? Number(r.attempts) : 0;
  }
  async deleteCode(poolId: string, sub: string, purpose: string) {
    await this.run("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3", [
      poolId,
      sub,
      purpose,
    ]);
  }

  async lockCounter(poolId: string, key: string): Promise<CounterRecord> {
    // The row is made first (a concurrent maker waits for the other's commit, then does nothing),
    // so that the lock below always has a row to hold, even for a counter's first event.
    await this.run(
      "INSERT INTO counters (pool_id, key, count, since, expires_at) VALUES ($1, $2, 0, 0, 0) ON CONFLICT DO NOTHING",
      [poolId, key],
    );
    const r = await this.one("SELECT * FROM counters WHERE pool_id = $1 AND key = $2 FOR UPDATE", [
      poolId,
      key,
    ]);
    return counterFromRow(r!);
  }
  async putCounter(c: CounterRecord) {
    await this.run(
      "INSERT INTO counters (pool_id, key, count, since, locked_until, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pool_id, key) DO UPDATE SET count = EXCLUDED.count, since = EXCLUDED.since, locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at",
      [c.poolId, c.key, c.count, c.since, c.lockedUntil ?? null, c.expiresAt],
    );
  }
  async deleteCounter(poolId: string, key: string) {
    await this.run("DELETE FROM counters WHERE pool_id = $1 AND key = $2", [poolId, key]);
  }

  async getRefreshToken(tokenHash: string) {
    const r = await this.one("SELECT * FROM refresh_tokens WHERE token_hash = $1", [tokenHash]);
    return r && refreshTokenFromRow(r);
  }
  async isOriginRevoked(poolId: string, originJti: string) {
    const r = await this.one(
      "SELECT 1 FROM refresh_tokens WHERE pool_id = $1 AND origin_jti = $2 AND revoked_at IS NOT NULL LIMIT 1",
      [poolId, originJti],
    );
    return r !== undefined;
  }
  async insertRefreshToken(t: RefreshTokenRecord) {
    await this.run(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, created_at, expires_at, replaced_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      [
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
      ],
    );
  }
  async replaceRefreshToken(tokenHash: string, now: number) {
    // A concurrent UPDATE of the same row waits for the first and re-checks `replaced_at IS NULL`.
    const n = await this.run(
      "UPDATE refresh_tokens SET replaced_at = $1 WHERE token_hash = $2 AND replaced_at IS NULL",
      [now, tokenHash],
    );
    return n > 0;
  }
  async revokeOrigin(poolId: string, originJti: string, now: number) {
    await this.run(
      "UPDATE refresh_tokens SET revoked_at = $1 WHERE pool_id = $2 AND origin_jti = $3 AND revoked_at IS NULL",
      [now, poolId, originJti],
    );
  }
  async revokeUserTokens(poolId: string, sub: string, now: number) {
    await this.run(
      "UPDATE refresh_tokens SET revoked_at = $1 WHERE pool_id = $2 AND sub = $3 AND revoked_at IS NULL",
      [now, poolId, sub],
    );
  }
  async purgeExpired(now: number) {
    await this.run("DELETE FROM auth_sessions WHERE expires_at <= $1", [now]);
    await this.run("DELETE FROM codes WHERE expires_at <= $1", [now]);
    await this.run("DELETE FROM counters WHERE expires_at <= $1", [now]);
    // Kept a day past expiry: access tokens (valid up to a day) check their origin's revocation here.
    await this.run("DELETE FROM refresh_tokens WHERE expires_at <= $1", [now - 86_400_000]);
  }
  /**
   * Runs several statements as one: when one meets a unique key, all of them are undone (back to a
   * savepoint) and DuplicateKeyError thrown, and the transaction goes on usable.
   */
  private async atomically(what: string, fn: () => Promise<void>): Promise<void> {
    await this.run("SAVEPOINT lanyard_write", []);
    try {
      await fn();
    } catch (e) {
      await this.run("ROLLBACK TO SAVEPOINT lanyard_write", []);
      if (isUniqueViolation(e)) throw new DuplicateKeyError(what);
      throw e;
    }
    await this.run("RELEASE SAVEPOINT lanyard_write", []);
  }

  async getIdentityProvider(poolId: string, providerName: string) {
    const r = await this.one(`${IDP_SELECT} WHERE p.pool_id = $1 AND p.provider_name = $2${this.lock}`, [
      poolId,
      providerName,
    ]);
    return r && identityProviderFromRow(r);
  }
  async getIdentityProviderByIdentifier(poolId: string, identifier: string) {
    const r = await this.one(
      `${IDP_SELECT} JOIN idp_identifiers x ON x.pool_id = p.pool_id AND x.provider_name = p.provider_name WHERE x.pool_id = $1 AND x.identifier = $2`,
      [poolId, identifier],
    );
    return r && identityProviderFromRow(r);
  }
  async listIdentityProviders(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      `${IDP_SELECT} WHERE p.pool_id = $1 AND p.seq > $2 ORDER BY p.seq LIMIT $3`,
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, identityProviderFromRow, (r) => [Number(r.seq)]);
  }
  private async writeIdentifiers(idp: IdentityProviderRecord) {
    await this.run("DELETE FROM idp_identifiers WHERE pool_id = $1 AND provider_name = $2", [
      idp.poolId,
      idp.providerName,
    ]);
    for (const [position, identifier] of idp.idpIdentifiers.entries())
      await this.run(
        "INSERT INTO idp_identifiers (pool_id, identifier, provider_name, position) VALUES ($1, $2, $3, $4)",
        [idp.poolId, identifier, idp.providerName, position],
      );
  }
  async insertIdentityProvider(idp: IdentityProviderRecord) {
    await this.atomically("identity provider exists", async () => {
      await this.run(
        "INSERT INTO identity_providers (pool_id, provider_name, provider_type, provider_details, attribute_mapping, acr_mapping, saml_metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
          idp.poolId,
          idp.providerName,
          idp.providerType,
          JSON.stringify(idp.providerDetails),
          JSON.stringify(idp.attributeMapping),
          idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
          idp.samlMetadata ?? null,
          idp.createdAt,
          idp.updatedAt,
        ],
      );
      await this.writeIdentifiers(idp);
    });
  }
  async updateIdentityProvider(idp: IdentityProviderRecord) {
    await this.atomically("identifier taken", async () => {
      await this.run(
        "UPDATE identity_providers SET provider_details = $1, attribute_mapping = $2, acr_mapping = $3, saml_metadata = $4, updated_at = $5 WHERE pool_id = $6 AND provider_name = $7",
        [
          JSON.stringify(idp.providerDetails),
          JSON.stringify(idp.attributeMapping),
          idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
          idp.samlMetadata ?? null,
          idp.updatedAt,
          idp.poolId,
          idp.providerName,
        ],
      );
      await this.writeIdentifiers(idp);
    });
  }
  async deleteIdentityProvider(poolId: string, providerName: string) {
    await this.run("DELETE FROM identity_links WHERE pool_id = $1 AND provider_name = $2", [
      poolId,
      providerName,
    ]);
    await this.run("DELETE FROM identity_providers WHERE pool_id = $1 AND provider_name = $2", [
      poolId,
      providerName,
    ]);
  }
  async getIdentityLink(poolId: string, providerName: string, attributeName: string, attributeValue: string) {
    const r = await this.one(
      "SELECT * FROM identity_links WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4",
      [poolId, providerName, attributeName, attributeValue],
    );
    return r && identityLinkFromRow(r);
  }
  async identityLinksOfUser(poolId: string, sub: string) {
    const rows = await this.rows(
      "SELECT * FROM identity_links WHERE pool_id = $1 AND sub = $2 ORDER BY created_at, provider_name, attribute_name, attribute_value",
      [poolId, sub],
    );
    return rows.map(identityLinkFromRow);
  }
  async insertIdentityLink(l: IdentityLinkRecord) {
    const n = await this.run(
      "INSERT INTO identity_links (pool_id, provider_name, attribute_name, attribute_value, sub, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [l.poolId, l.providerName, l.attributeName, l.attributeValue, l.sub, l.createdAt],
    );
    if (n === 0) throw new DuplicateKeyError("identity linked already");
  }
  async deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ) {
    const n = await this.run(
      "DELETE FROM identity_links WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4",
      [poolId, providerName, attributeName, attributeValue],
    );
    return n > 0;
  }
}
