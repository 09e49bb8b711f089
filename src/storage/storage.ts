/**
 * The storage contract. Two implementations keep it: SQLite (embedded default, src/storage/sqlite)
 * and PostgreSQL (src/storage/postgres, which several instances can share). Nothing here names a
 * backend.
 *
 * Written contracts (tested by test/storage on every backend):
 * - Every write happens inside `transaction()`. A transaction is all-or-nothing and isolated: a
 *   concurrent reader never sees half of it, and a thrown error rolls it back.
 * - A record read inside a transaction (a pool, client, user, group or code) and written back in it
 *   is not changed by anyone else meanwhile: a concurrent transaction that reads it waits for the
 *   commit, then sees the new version (no lost updates, also across instances).
 * - `fn` of `transaction(fn)` may run more than once: a backend may roll back a transaction that
 *   deadlocked and run it again. Keep side effects (messages, outside calls) out of it: do them
 *   after it resolves.
 * - Reads outside a transaction see only committed data.
 * - `(poolId, usernameKey)` and `(poolId, sub)` are unique: of two concurrent inserts of one
 *   username exactly one succeeds; the other gets `DuplicateKeyError`.
 * - Lookups by pool id, client id, username, sub and the searchable attributes, and each list page,
 *   cost the same whatever the number of users in the pool (indexed, keyset pagination).
 * - An auth session, a code and a refresh-token rotation are consumed by exactly one of several
 *   concurrent callers (tokens.consumeAuthSession, codes.consumeCode, tokens.replaceRefreshToken).
 * - A counter read with `codes.lockCounter` is the caller's until its transaction ends: of concurrent
 *   transactions that lock one counter, each sees the count the previous one wrote (also across
 *   instances, also for a counter that did not exist yet).
 * - List pages come in a stable order; the `after` cursor of a page is opaque to callers and stays
 *   valid while other rows are added or removed.
 *
 * The contract is split into repositories, one file each in contract/ (its reads, its writes and
 * the names of its reads), and one file per repository in each backend. `storage.<repository>`
 * reads committed data outside a transaction; `tx.<repository>` reads and writes inside
 * `transaction()`. A new table: its record (records.ts), its repository here and in contract/,
 * its row mapper (rows.ts), and one file in each backend.
 */
import { CODES_READS, type CodesReader, type CodesRepository } from "./contract/codes.ts";
import type { ReadNames } from "./contract/common.ts";
import { FEDERATION_READS, type FederationReader, type FederationRepository } from "./contract/federation.ts";
import { GROUPS_READS, type GroupsReader, type GroupsRepository } from "./contract/groups.ts";
import { POOLS_READS, type PoolsReader, type PoolsRepository } from "./contract/pools.ts";
import { TOKENS_READS, type TokensReader, type TokensRepository } from "./contract/tokens.ts";
import { USERS_READS, type UsersReader, type UsersRepository } from "./contract/users.ts";

export {
  DuplicateKeyError,
  type Page,
  type ReadNames,
  type SearchableAttribute,
  type UserFilter,
} from "./contract/common.ts";
export type { CodesReader, CodesRepository } from "./contract/codes.ts";
export type { FederationReader, FederationRepository } from "./contract/federation.ts";
export type { GroupsReader, GroupsRepository } from "./contract/groups.ts";
export type { PoolsReader, PoolsRepository } from "./contract/pools.ts";
export type { TokensReader, TokensRepository } from "./contract/tokens.ts";
export type { UsersReader, UsersRepository } from "./contract/users.ts";

/** The reads of every repository. */
export interface Reader {
  /** Pools, app clients, client secrets. */
  readonly pools: PoolsReader;
  readonly users: UsersReader;
  /** Groups and memberships. */
  readonly groups: GroupsReader;
  /** Signing keys, auth sessions, refresh tokens, revocation. */
  readonly tokens: TokensReader;
  /** Codes and counters. */
  readonly codes: CodesReader;
  /** Identity providers, their identifiers, identity links. */
  readonly federation: FederationReader;
}

/** The names of the reads of each repository (readers.ts builds the reader outside transactions from them). */
export const READS: { readonly [K in keyof Reader]: ReadNames<Reader[K]> } = {
  pools: POOLS_READS,
  users: USERS_READS,
  groups: GROUPS_READS,
  tokens: TOKENS_READS,
  codes: CODES_READS,
  federation: FEDERATION_READS,
};

/** The reads and writes of every repository, inside one transaction. */
export interface Transaction extends Reader {
  readonly pools: PoolsRepository;
  readonly users: UsersRepository;
  readonly groups: GroupsRepository;
  readonly tokens: TokensRepository;
  readonly codes: CodesRepository;
  readonly federation: FederationRepository;
}

export interface Storage extends Reader {
  /** Brings the schema up to date. Safe to run on every start and by several instances at once. */
  migrate(): Promise<void>;
  /** A named server-wide value: the stored one, or `make()` stored now (the first writer wins). */
  setting(name: string, make: () => string): Promise<string>;
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Deletes every row (the opt-in reset endpoint). */
  wipe(): Promise<void>;
  close(): Promise<void>;
}
