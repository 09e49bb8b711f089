/**
 * How a UserRecord maps onto the `users` table, shared by both backends: the indexed columns, the
 * JSON columns, and the sign-in state kept as one JSON `state` column.
 */
import type { UserRecord } from "./records.ts";

/**
 * Where each field of UserRecord is kept. Adding a field to UserRecord fails to compile here until
 * it has a place: "state" fields live in the JSON `state` column.
 */
const USER_FIELD_HOMES: Record<keyof UserRecord, "column" | "state"> = {
  poolId: "column",
  username: "column",
  usernameKey: "column",
  sub: "column",
  status: "column",
  enabled: "column",
  attributes: "column",
  createdAt: "column",
  updatedAt: "column",
  password: "column",
  passwordHistory: "column",
  tokensValidAfter: "state",
  passwordSignInDisabled: "state",
  pendingAttributes: "state",
};
const STATE_FIELDS = (Object.keys(USER_FIELD_HOMES) as (keyof UserRecord)[]).filter(
  (k) => USER_FIELD_HOMES[k] === "state",
);

/**
 * The columns a record is read back from, in the order `userFromValues` takes them (a backend that
 * returns rows as arrays selects exactly these, first).
 */
export const USER_READ_COLUMNS = [
  "pool_id",
  "username",
  "username_key",
  "sub",
  "status",
  "enabled",
  "attributes",
  "created_at",
  "updated_at",
  "password",
  "password_history",
  "state",
] as const;

/** Copies of attributes (and their lower-cased alias keys) kept in columns of their own for the indexes. */
const USER_SEARCH_COLUMNS = [
  "email",
  "email_key",
  "phone_number",
  "preferred_username",
  "preferred_username_key",
  "name",
  "given_name",
  "family_name",
] as const;

/** The users columns a record is written to, in a fixed order. */
export const USER_COLUMNS = [...USER_READ_COLUMNS, ...USER_SEARCH_COLUMNS] as const;

export type UserColumn = (typeof USER_COLUMNS)[number];

/** Lower-cased value used to find users by an email or preferred_username alias. */
function aliasKey(value: string | undefined): string | null {
  return value === undefined ? null : value.toLowerCase();
}

/** The sign-in state kept beside a user, as one JSON column. */
function userState(u: UserRecord): string | null {
  const state: Record<string, unknown> = {};
  for (const k of STATE_FIELDS) if (u[k]) state[k] = u[k];
  return Object.keys(state).length ? JSON.stringify(state) : null;
}

/** The value of every users column for a record. */
export function userColumnValues(u: UserRecord): Record<UserColumn, string | number | null> {
  const a = u.attributes;
  return {
    pool_id: u.poolId,
    username: u.username,
    username_key: u.usernameKey,
    sub: u.sub,
    status: u.status,
    enabled: u.enabled ? "Enabled" : "Disabled",
    email: a.email ?? null,
    email_key: aliasKey(a.email),
    phone_number: a.phone_number ?? null,
    preferred_username: a.preferred_username ?? null,
    preferred_username_key: aliasKey(a.preferred_username),
    name: a.name ?? null,
    given_name: a.given_name ?? null,
    family_name: a.family_name ?? null,
    attributes: JSON.stringify(a),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    password: u.password ? JSON.stringify(u.password) : null,
    password_history: u.passwordHistory ? JSON.stringify(u.passwordHistory) : null,
    state: userState(u),
  };
}

/** Where each column is in a row read as USER_READ_COLUMNS. */
const AT = Object.fromEntries(USER_READ_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof USER_READ_COLUMNS)[number],
  number
>;

/** A users row (as either backend returns it) back to a record. */
export function userFromColumns(r: Record<UserColumn, unknown>): UserRecord {
  return userFromValues(USER_READ_COLUMNS.map((c) => r[c]));
}

/** A users row read as the values of USER_READ_COLUMNS, in that order, back to a record. */
export function userFromValues(v: readonly unknown[]): UserRecord {
  const user: UserRecord = {
    poolId: String(v[AT.pool_id]),
    username: String(v[AT.username]),
    usernameKey: String(v[AT.username_key]),
    sub: String(v[AT.sub]),
    status: String(v[AT.status]),
    enabled: v[AT.enabled] === "Enabled",
    attributes: JSON.parse(String(v[AT.attributes])),
    createdAt: Number(v[AT.created_at]),
    updatedAt: Number(v[AT.updated_at]),
  };
  // Parsed at once: an accessor that parses on first read makes every record a slow-mode object,
  // which cost AdminGetUser and ListUsers far more than the parse (bench/README.md).
  if (v[AT.password])
    user.password = JSON.parse(String(v[AT.password])) as NonNullable<UserRecord["password"]>;
  if (v[AT.password_history])
    user.passwordHistory = JSON.parse(String(v[AT.password_history])) as NonNullable<
      UserRecord["passwordHistory"]
    >;
  if (v[AT.state]) {
    // Only the fields that live there now: rows written by older versions may hold others.
    const state = JSON.parse(String(v[AT.state])) as Record<string, unknown>;
    for (const k of STATE_FIELDS) if (state[k] !== undefined) Object.assign(user, { [k]: state[k] });
  }
  return user;
}
