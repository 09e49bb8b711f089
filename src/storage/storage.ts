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
 *   concurrent callers (consumeAuthSession, consumeCode, replaceRefreshToken).
 * - A counter read with `lockCounter` is the caller's until its transaction ends: of concurrent
 *   transactions that lock one counter, each sees the count the previous one wrote (also across
 *   instances, also for a counter that did not exist yet).
 * - List pages come in a stable order; the `after` cursor of a page is opaque to callers and stays
 *   valid while other rows are added or removed.
 */
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
} from "./records.ts";

export class DuplicateKeyError extends Error {}

/** One page of a list, with the cursor of the next page when there is one. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** A searchable attribute of ListUsers' Filter, mapped to an indexed column by the backend. */
export type SearchableAttribute =
  | "username"
  | "email"
  | "phone_number"
  | "name"
  | "given_name"
  | "family_name"
  | "preferred_username"
  | "cognito:user_status"
  | "status"
  | "sub";

export interface UserFilter {
  attribute: SearchableAttribute;
  /** "=" exact match; "^=" prefix match. */
  op: "=" | "^=";
  value: string;
}

export interface Reader {
  getPool(poolId: string): Promise<PoolRecord | undefined>;
  /** Pools of one region. */
  listPools(region: string, limit: number, after?: string): Promise<Page<PoolRecord>>;

  getClient(poolId: string, clientId: string): Promise<ClientRecord | undefined>;
  /** By client id alone (unauthenticated operations name only the client). */
  getClientById(clientId: string): Promise<ClientRecord | undefined>;
  listClients(poolId: string, limit: number, after?: string): Promise<Page<ClientRecord>>;
  listClientSecrets(poolId: string, clientId: string): Promise<ClientSecretRecord[]>;

  /** By the pool's normalised username key (see domain/users/users.ts usernameKey). */
  getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  /** Users whose attribute (email, phone_number or preferred_username, by its normalised value) equals value. */
  findUsersByAlias(
    poolId: string,
    attribute: "email" | "phone_number" | "preferred_username",
    value: string,
  ): Promise<UserRecord[]>;
  listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string): Promise<Page<UserRecord>>;

  getGroup(poolId: string, name: string): Promise<GroupRecord | undefined>;
  listGroups(poolId: string, limit: number, after?: string): Promise<Page<GroupRecord>>;
  /** Groups of one user, by name. */
  listGroupsForUser(
    poolId: string,
    userId: string,
    limit: number,
    after?: string,
  ): Promise<Page<GroupRecord>>;
  listUsersInGroup(
    poolId: string,
    groupName: string,
    limit: number,
    after?: string,
  ): Promise<Page<UserRecord>>;

  signingKeys(poolId: string): Promise<SigningKeyRecord[]>;
  /** The session if it exists and has not expired at `now`, left in place (see consumeAuthSession). */
  getAuthSession(id: string, now: number): Promise<AuthSessionRecord | undefined>;
  getCode(poolId: string, sub: string, purpose: string): Promise<CodeRecord | undefined>;
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** True when the tokens of this sign-in (origin_jti) were revoked. */
  isOriginRevoked(poolId: string, originJti: string): Promise<boolean>;

  getIdentityProvider(poolId: string, providerName: string): Promise<IdentityProviderRecord | undefined>;
  /** The provider that lists `identifier` among its IdpIdentifiers. */
  getIdentityProviderByIdentifier(
    poolId: string,
    identifier: string,
  ): Promise<IdentityProviderRecord | undefined>;
  listIdentityProviders(poolId: string, limit: number, after?: string): Promise<Page<IdentityProviderRecord>>;
  getIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ): Promise<IdentityLinkRecord | undefined>;
  identityLinksOfUser(poolId: string, sub: string): Promise<IdentityLinkRecord[]>;
}

export interface Transaction extends Reader {
  insertPool(pool: PoolRecord): Promise<void>;
  updatePool(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it. */
  deletePool(poolId: string): Promise<void>;

  insertClient(client: ClientRecord): Promise<void>;
  updateClient(client: ClientRecord): Promise<void>;
  deleteClient(poolId: string, clientId: string): Promise<void>;
  insertClientSecret(secret: ClientSecretRecord): Promise<void>;
  deleteClientSecret(poolId: string, clientId: string, secretId: string): Promise<boolean>;

  /** Throws DuplicateKeyError when the username key or sub is taken in the pool. */
  insertUser(user: UserRecord): Promise<void>;
  /**
   * Several users of one pool at once, in order (bulk import): as insertUser for each, in fewer
   * round trips. Throws DuplicateKeyError when any username key or sub is taken (in the pool or
   * among them); some of them may be inserted by then, so the caller ends the transaction by
   * throwing.
   */
  insertUsers(users: readonly UserRecord[]): Promise<void>;
  updateUser(user: UserRecord): Promise<void>;
  deleteUser(poolId: string, userId: string): Promise<void>;

  insertGroup(group: GroupRecord): Promise<void>;
  updateGroup(group: GroupRecord): Promise<void>;
  deleteGroup(poolId: string, name: string): Promise<void>;
  /** Returns false when the membership already existed. */
  addUserToGroup(poolId: string, groupName: string, userId: string): Promise<boolean>;
  removeUserFromGroup(poolId: string, groupName: string, userId: string): Promise<boolean>;

  /** Ignores a key whose kid exists already (two instances creating a pool's keys at once). */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;

  insertAuthSession(session: AuthSessionRecord): Promise<void>;
  /** Removes and returns the session if it exists and has not expired at `now`; exactly one concurrent caller gets it. */
  consumeAuthSession(id: string, now: number): Promise<AuthSessionRecord | undefined>;

  /** Replaces any earlier code of the same user and purpose. */
  putCode(code: CodeRecord): Promise<void>;
  /** Removes the code if its hash matches; true for exactly one concurrent caller. */
  consumeCode(poolId: string, sub: string, purpose: string, codeHash: string): Promise<boolean>;
  /** Counts a wrong guess; returns the new attempt count. */
  countCodeAttempt(poolId: string, sub: string, purpose: string): Promise<number>;
  deleteCode(poolId: string, sub: string, purpose: string): Promise<void>;

  /**
   * The counter, locked until the transaction ends (it exists from now on: a counter never written
   * reads as count 0, expired). See the contract above.
   */
  lockCounter(poolId: string, key: string): Promise<CounterRecord>;
  putCounter(counter: CounterRecord): Promise<void>;
  deleteCounter(poolId: string, key: string): Promise<void>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  /** Marks a token replaced at `now` unless it already was; true for exactly one concurrent caller. */
  replaceRefreshToken(tokenHash: string, now: number): Promise<boolean>;
  /** Revokes every refresh token (and so every token) of one sign-in. */
  revokeOrigin(poolId: string, originJti: string, now: number): Promise<void>;
  /** Revokes every refresh token of a user. */
  revokeUserTokens(poolId: string, sub: string, now: number): Promise<void>;
  /** Removes expired sessions, codes and counters, and refresh tokens a day past expiry. */
  purgeExpired(now: number): Promise<void>;

  /** Throws DuplicateKeyError when the provider name or one of its identifiers is taken in the pool. */
  insertIdentityProvider(idp: IdentityProviderRecord): Promise<void>;
  /** Throws DuplicateKeyError when one of its identifiers is taken by another provider. */
  updateIdentityProvider(idp: IdentityProviderRecord): Promise<void>;
  /** Deletes the provider and its links. */
  deleteIdentityProvider(poolId: string, providerName: string): Promise<void>;
  /** Throws DuplicateKeyError when the identity is linked already. */
  insertIdentityLink(link: IdentityLinkRecord): Promise<void>;
  deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ): Promise<boolean>;
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
