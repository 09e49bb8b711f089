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
 * its row mapper (rows.ts), one file in each backend (with its schema in the backend's
 * migrations) and a line in each backend's class list, which the compiler checks.
 */
import { CODES } from "./contract/codes.ts";
import type { RepositoryContract } from "./contract/common.ts";
import { DEVICES } from "./contract/devices.ts";
import { FEDERATION } from "./contract/federation.ts";
import { GROUPS } from "./contract/groups.ts";
import { LIMITS } from "./contract/limits.ts";
import { HOSTING } from "./contract/hosting.ts";
import { IMPORT_JOBS } from "./contract/import-jobs.ts";
import { LOG_DELIVERY } from "./contract/log-delivery.ts";
import { MFA } from "./contract/mfa.ts";
import { OAUTH } from "./contract/oauth.ts";
import { PASSKEYS } from "./contract/passkeys.ts";
import { POOLS } from "./contract/pools.ts";
import { TERMS } from "./contract/terms.ts";
import { REPLICAS } from "./contract/replicas.ts";
import { SESSIONS } from "./contract/sessions.ts";
import { TOKENS } from "./contract/tokens.ts";
import { THREATS } from "./contract/threats.ts";
import { USERS } from "./contract/users.ts";

export {
  DuplicateKeyError,
  type Page,
  type ReadNames,
  type SearchableAttribute,
  type UserFilter,
} from "./contract/common.ts";
export type { CodesReader, CodesRepository } from "./contract/codes.ts";
export type { DevicesReader, DevicesRepository } from "./contract/devices.ts";
export type { FederationReader, FederationRepository } from "./contract/federation.ts";
export type { GroupsReader, GroupsRepository } from "./contract/groups.ts";
export type { HostingReader, HostingRepository } from "./contract/hosting.ts";
export type { ImportJobsReader, ImportJobsRepository } from "./contract/import-jobs.ts";
export type { LogDeliveryReader, LogDeliveryRepository } from "./contract/log-delivery.ts";
export type { LimitsReader, LimitsRepository } from "./contract/limits.ts";
export type { MfaReader, MfaRepository } from "./contract/mfa.ts";
export type { OAuthReader, OAuthRepository } from "./contract/oauth.ts";
export type { PasskeysReader, PasskeysRepository } from "./contract/passkeys.ts";
export type { PoolsReader, PoolsRepository } from "./contract/pools.ts";
export type { TermsReader, TermsRepository } from "./contract/terms.ts";
export type { ReplicasReader, ReplicasRepository } from "./contract/replicas.ts";
export type { SessionsReader, SessionsRepository } from "./contract/sessions.ts";
export type { TokensReader, TokensRepository } from "./contract/tokens.ts";
export type { ThreatsReader, ThreatsRepository } from "./contract/threats.ts";
export type { UsersReader, UsersRepository } from "./contract/users.ts";

/**
 * The repositories, by the name callers use (`storage.users`, `tx.codes`). This list is the only
 * place a repository is named: `Reader`, `Transaction` and each backend's list of classes
 * (`RepositoryClasses`) follow from it, and a backend that lacks a repository fails to compile.
 */
export const REPOSITORIES = {
  /** Pools, app clients, client secrets. */
  pools: POOLS,
  users: USERS,
  /** Groups and memberships. */
  groups: GROUPS,
  /** Signing keys, auth sessions, refresh tokens, revocation. */
  tokens: TOKENS,
  /** Codes and counters. */
  codes: CODES,
  /** Identity providers, their identifiers, identity links. */
  federation: FEDERATION,
  /** Domains, resource servers, UI customizations, managed login brandings. */
  hosting: HOSTING,
  /** Authorization codes of the OAuth 2.0 code grant. */
  oauth: OAUTH,
  /** Users' MFA settings (TOTP secret, factors, preference). */
  mfa: MFA,
  /** Devices of device tracking (remembered devices). */
  devices: DEVICES,
  /** Users' WebAuthn credentials (passkeys). */
  passkeys: PASSKEYS,
  /** User import jobs, their uploaded CSV files and their logs. */
  importJobs: IMPORT_JOBS,
  /** Threat protection: risk configurations, users' auth events. */
  threats: THREATS,
  /** App clients' terms documents. */
  terms: TERMS,
  /** Pools' log delivery configurations. */
  logDelivery: LOG_DELIVERY,
  /** Replicas of pools in other regions (multi-Region replication). */
  replicas: REPLICAS,
  /** Provisioned request-rate limits and the instances that share them. */
  limits: LIMITS,
  /** User sessions of session tracking and the session configurations. */
  sessions: SESSIONS,
} as const;

type Repositories = typeof REPOSITORIES;

/** The reads of every repository. */
export type Reader = {
  readonly [K in keyof Repositories]: Repositories[K] extends RepositoryContract<infer R, infer _W>
    ? R
    : never;
};

/** The reads and writes of every repository, inside one transaction. */
export type Transaction = {
  readonly [K in keyof Repositories]: Repositories[K] extends RepositoryContract<infer _R, infer W>
    ? W
    : never;
};

/** A backend's class for each repository, all built from the same arguments (its connection). */
export type RepositoryClasses<Args extends unknown[]> = {
  readonly [K in keyof Transaction]: new (...args: Args) => Transaction[K];
};

/** Every repository of a backend, on one connection. */
export function buildRepositories<Args extends unknown[]>(
  classes: RepositoryClasses<Args>,
  ...args: Args
): Transaction {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(REPOSITORIES) as (keyof Transaction)[])
    out[name] = new classes[name](...args);
  return out as Transaction;
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
