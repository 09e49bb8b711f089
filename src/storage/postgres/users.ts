/** PostgreSQL: Users. */
import { decodeCursor, page, prefixUpperBound } from "../cursor.ts";
import type { UserRecord } from "../records.ts";
import { userFromRow } from "../rows.ts";
import {
  DuplicateKeyError,
  type SearchableAttribute,
  type UserFilter,
  type UsersRepository,
} from "../storage.ts";
import type { ReadBatcher } from "./batch.ts";
import { type Db, isUniqueViolation, pairBatcher, PgRepository, seqOf } from "./db.ts";
import { type Param, USER_COLUMNS, userParams } from "./rows.ts";

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

const USER_INSERT = `INSERT INTO users (${USER_COLUMNS.join(", ")}) VALUES (${USER_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}) ON CONFLICT DO NOTHING`;

/** Many users in one statement: one array parameter per column, rows kept in the arrays' order. */
const USER_NUMBER_COLUMNS: ReadonlySet<string> = new Set(["created_at", "updated_at"]);

const USERS_INSERT = `INSERT INTO users (${USER_COLUMNS.join(", ")}) SELECT ${USER_COLUMNS.join(", ")} FROM unnest(${USER_COLUMNS.map((c, i) => `$${i + 1}::${USER_NUMBER_COLUMNS.has(c) ? "bigint" : "text"}[]`).join(", ")}) WITH ORDINALITY AS t (${USER_COLUMNS.join(", ")}, ord) ORDER BY ord ON CONFLICT DO NOTHING`;

/** UPDATE of every users column but the keys and created_at; parameters from userUpdateParams. */
const USER_UPDATED_COLUMNS = USER_COLUMNS.filter((c) => c !== "pool_id" && c !== "sub" && c !== "created_at");

const USER_UPDATE = `UPDATE users SET ${USER_UPDATED_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE pool_id = $${USER_UPDATED_COLUMNS.length + 1} AND sub = $${USER_UPDATED_COLUMNS.length + 2}`;

const USER_BY_NAME = "SELECT * FROM users WHERE pool_id = $1 AND username_key = $2";

const USER_BY_SUB = "SELECT * FROM users WHERE pool_id = $1 AND sub = $2";

function userUpdateParams(u: UserRecord): Param[] {
  const all = userParams(u);
  const value = (c: (typeof USER_COLUMNS)[number]) => all[USER_COLUMNS.indexOf(c)]!;
  return [...USER_UPDATED_COLUMNS.map(value), u.poolId, u.sub];
}

export class PostgresUsers extends PgRepository implements UsersRepository {
  /** Point reads outside a transaction, batched (batch.ts). */
  private readonly batch:
    { user: ReadBatcher<[string, string]>; userBySub: ReadBatcher<[string, string]> } | undefined;

  constructor(db: Db, inTransaction: boolean) {
    super(db, inTransaction);
    this.batch = inTransaction
      ? undefined
      : {
          user: pairBatcher(db, "users", "username_key", USER_BY_NAME),
          userBySub: pairBatcher(db, "users", "sub", USER_BY_SUB),
        };
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
}
