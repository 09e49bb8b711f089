/** SQLite: Users. */
import { decodeCursor, page, prefixUpperBound } from "../cursor.ts";
import type { UserRecord } from "../records.ts";
import {
  DuplicateKeyError,
  type SearchableAttribute,
  type UserFilter,
  type UsersRepository,
} from "../storage.ts";
import { USER_COLUMNS, USER_READ_COLUMNS, userColumnValues, userFromValues } from "../user-row.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

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

function userParams(u: UserRecord): Row {
  return userColumnValues(u);
}

const USER_COLUMN_LIST = USER_COLUMNS.join(", ");
/**
 * What user reads select, as arrays (`qa`): the columns a record is read from, then `seq` (a page's
 * cursor), then whatever else a query adds. Arrays spare node:sqlite naming every column of every row.
 */
const READ = USER_READ_COLUMNS.join(", ") + ", seq";
const SEQ = USER_READ_COLUMNS.length;
// Made once: a statement is found by its SQL text on every call.
const BY_USERNAME = `SELECT ${READ} FROM users WHERE pool_id = ? AND username_key = ?`;
const BY_SUB = `SELECT ${READ} FROM users WHERE pool_id = ? AND sub = ?`;
const FIRST_PAGE = `SELECT ${READ} FROM users WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?`;
const USER_VALUES = USER_COLUMNS.map((c) => `$${c}`).join(", ");
const USER_SET = USER_COLUMNS.filter((c) => c !== "pool_id" && c !== "sub" && c !== "created_at")
  .map((c) => `${c} = $${c}`)
  .join(", ");

export class SqliteUsers extends SqliteRepository implements UsersRepository {
  async getUser(poolId: string, usernameKey: string) {
    const r = this.qa(BY_USERNAME).get(poolId, usernameKey);
    return r && userFromValues(r);
  }
  async getUserBySub(poolId: string, sub: string) {
    const r = this.qa(BY_SUB).get(poolId, sub);
    return r && userFromValues(r);
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
    const rows = this.qa(`SELECT ${READ} FROM users WHERE pool_id = ? AND ${column} = ? LIMIT 10`).all(
      poolId,
      v,
    );
    return rows.map(userFromValues);
  }
  async listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string) {
    if (!filter) {
      const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
      const rows = this.qa(FIRST_PAGE).all(poolId, seq, limit + 1);
      return page(rows, limit, userFromValues, (r) => [Number(r[SEQ])]);
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
      sql = `SELECT ${READ}, ${col} FROM users WHERE pool_id = $pool AND ${col} = $value${start} ORDER BY ${col}, seq LIMIT $limit`;
      params.$value = filter.value;
    } else {
      sql = `SELECT ${READ}, ${col} FROM users WHERE pool_id = $pool AND ${col} >= $value AND ${col} < $upper${start} ORDER BY ${col}, seq LIMIT $limit`;
      params.$value = filter.value;
      params.$upper = prefixUpperBound(filter.value);
    }
    const rows = this.qa(sql).all(params);
    return page(rows, limit, userFromValues, (r) => [r[SEQ + 1] as string, Number(r[SEQ])]);
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
}
