/**
 * Bulk import of users into a pool: the one path by which many users enter a pool at once (the
 * benchmark's seeding, and user import jobs, domain/import-jobs/). Not an AWS operation.
 *
 * Every user is checked as AdminCreateUser checks one (username form and the pool's sign-in
 * options, the schema, unique usernames and aliases), gets a new sub, and is stored with its status
 * and password. Two ways:
 * - `importUsers`: users are written in batches, one transaction per batch: a refused user refuses
 *   its whole batch (nothing of it is written) and ends the import with a BulkImportError naming the
 *   user and the batch; the batches before it stay imported.
 * - `importUsersEach`: one batch in one transaction, every user's outcome reported (imported, or
 *   refused with Cognito's error: a taken username marked as such), the others written anyway.
 */
import { hashPassword } from "../../crypto/password-hash.ts";
import { makeVerifier } from "../../crypto/srp.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import { SHAPES } from "../../generated/shapes.ts";
import { AwsError } from "../../errors.ts";
import type { PasswordCredential, PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Storage, type Transaction } from "../../storage/storage.ts";
import { newSub } from "../ids.ts";
import { checkPassword } from "./password-policy.ts";
import { poolName } from "./passwords.ts";
import {
  aliasAttributes,
  attributeMap,
  checkAttributes,
  checkNewUsername,
  claimAliases,
  usernameKey,
  assignUsername,
  checkUsernameAttributeFree,
} from "./users.ts";
import { requirePool } from "../lookups.ts";
import { usernameExists } from "../errors.ts";

/**
 * A user's password on import:
 * - `password`: checked against the pool's password policy and hashed here (Argon2id, and the SRP
 *   verifier): tens of milliseconds per user.
 * - `hash`: an Argon2id hash made already (crypto/password-hash.ts `hashPassword`), stored as it is
 *   (it is not checked against the policy). `srpPassword`, the same password in clear, derives the
 *   user's SRP verifier (about a millisecond); without it the user signs in with the password flows
 *   only, and USER_SRP_AUTH fails for them like a wrong password.
 */
export type ImportPassword =
  | { password: string; temporary?: boolean }
  | {
      hash: string;
      srpPassword?: string;
      /** An SRP salt and verifier (hex) made already, for this pool and username (an export's). */
      srp?: { salt: string; verifier: string };
      temporary?: boolean;
    };

/** EXTERNAL_PROVIDER: a federated user (`<ProviderName>_<subject>`, no password), from an export. */
export type ImportStatus =
  "CONFIRMED" | "UNCONFIRMED" | "RESET_REQUIRED" | "FORCE_CHANGE_PASSWORD" | "EXTERNAL_PROVIDER";

export interface ImportUser {
  /** As AdminCreateUser's Username (in pools that sign in with email or phone, that value). */
  username: string;
  /** Attribute name to value, as AdminCreateUser's UserAttributes (no `sub`). */
  attributes?: Record<string, string>;
  /**
   * Default: FORCE_CHANGE_PASSWORD with a temporary password, CONFIRMED with a permanent one,
   * RESET_REQUIRED without a password (the user sets one through ForgotPassword).
   */
  status?: ImportStatus;
  /** Default true. */
  enabled?: boolean;
  password?: ImportPassword;
  /** The user's sub, kept from an export (a UUID); default a new one. */
  sub?: string;
}

export interface ImportOptions {
  /** Users per transaction; default 1,000. */
  batchSize?: number;
  /** Epoch ms stamped as the users' creation time; default now. */
  now?: number;
}

export interface ImportResult {
  imported: number;
  /** The subs given, in the order of the input. */
  subs: string[];
}

/** Why an import stopped: the refused user, and how many users were imported before its batch. */
export class BulkImportError extends Error {
  readonly index: number;
  readonly username: string;
  readonly imported: number;
  override readonly cause: AwsError;
  constructor(index: number, username: string, batch: [number, number], imported: number, cause: AwsError) {
    super(
      `user ${index} (${JSON.stringify(username)}) refused: ${cause.type}: ${cause.message}; ` +
        `nothing of users ${batch[0]}-${batch[1] - 1} was written (${imported} imported before them)`,
    );
    this.name = "BulkImportError";
    this.index = index;
    this.username = username;
    this.imported = imported;
    this.cause = cause;
  }
}

const STATUSES: ReadonlySet<string> = new Set([
  "CONFIRMED",
  "UNCONFIRMED",
  "RESET_REQUIRED",
  "FORCE_CHANGE_PASSWORD",
  "EXTERNAL_PROVIDER",
]);
const SUB = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX = /^[0-9a-f]+$/;
const ARGON2ID_PHC = /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** A string against a string shape of the model (the constraint the API would check). */
function checkShape(shapeName: string, value: string, what: string): void {
  const shape = SHAPES[shapeName];
  if (shape?.type !== "string") throw new Error(`${shapeName} is not a string shape`);
  const length = [...value].length;
  if (shape.min !== undefined && length < shape.min)
    throw new InvalidParameterException(`${what} must be at least ${shape.min} characters long.`);
  if (shape.max !== undefined && length > shape.max)
    throw new InvalidParameterException(`${what} must be at most ${shape.max} characters long.`);
  if (shape.pattern && !shape.pattern.test(value))
    throw new InvalidParameterException(`${what} must satisfy the pattern ${shape.pattern.source}.`);
}

function statusOf(u: ImportUser): string {
  const temporary = u.password?.temporary === true;
  const status =
    u.status ?? (!u.password ? "RESET_REQUIRED" : temporary ? "FORCE_CHANGE_PASSWORD" : "CONFIRMED");
  if (!STATUSES.has(status))
    throw new InvalidParameterException(
      `Status ${status} cannot be imported: use one of ${[...STATUSES].join(", ")}.`,
    );
  if (status === "EXTERNAL_PROVIDER") {
    if (u.password) throw new InvalidParameterException("An EXTERNAL_PROVIDER user has no password.");
    return status;
  }
  if (!u.password && status !== "RESET_REQUIRED")
    throw new InvalidParameterException(
      `A user imported without a password must be RESET_REQUIRED, not ${status}.`,
    );
  if (u.password && temporary !== (status === "FORCE_CHANGE_PASSWORD"))
    throw new InvalidParameterException(
      temporary
        ? `A user with a temporary password must be FORCE_CHANGE_PASSWORD, not ${status}.`
        : "A FORCE_CHANGE_PASSWORD user needs a temporary password.",
    );
  return status;
}

/** A user checked and ready to store, but for the password credential. */
interface Prepared {
  user: UserRecord;
  /** In pools that sign in with email or phone: the attribute the given username stands for. */
  asAttribute?: "email" | "phone_number";
  given: string;
}

/** The checks of AdminCreateUser that need no storage. */
function prepare(pool: PoolRecord, u: ImportUser, now: number): Prepared {
  if (typeof u.username !== "string") throw new InvalidParameterException("Username is required.");
  checkShape("UsernameType", u.username, "Username");
  const list = Object.entries(u.attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));
  for (const a of list) {
    checkShape("AttributeNameType", a.Name, "An attribute name");
    checkShape("AttributeValueType", a.Value, `The value of ${a.Name}`);
  }
  const attrs = attributeMap(list);
  checkAttributes(pool, attrs, "create");
  const status = statusOf(u);
  // A federated user's username is `<ProviderName>_<subject>`, whatever the pool's sign-in options.
  const federated = status === "EXTERNAL_PROVIDER";
  if (!federated) checkNewUsername(pool, u.username);
  if (u.password && "password" in u.password)
    checkPassword(u.password.password, pool.settings.Policies?.PasswordPolicy);
  if (u.password && "hash" in u.password && !ARGON2ID_PHC.test(u.password.hash))
    throw new InvalidParameterException("The password hash is not an Argon2id hash in PHC form.");
  if (
    u.password &&
    "hash" in u.password &&
    u.password.srp &&
    !(HEX.test(u.password.srp.salt) && HEX.test(u.password.srp.verifier))
  )
    throw new InvalidParameterException("The SRP salt and verifier must be hexadecimal.");
  if (u.sub !== undefined && !SUB.test(u.sub))
    throw new InvalidParameterException("The sub of an imported user must be a UUID.");
  const sub = u.sub ?? newSub();
  const { username, asAttribute } = federated
    ? { username: u.username, asAttribute: undefined }
    : assignUsername(pool, u.username, sub, attrs);
  const user: UserRecord = {
    poolId: pool.id,
    username,
    usernameKey: usernameKey(pool, username),
    sub,
    status,
    enabled: u.enabled ?? true,
    attributes: Object.fromEntries(attrs),
    createdAt: now,
    updatedAt: now,
  };
  return { user, asAttribute, given: u.username };
}

/** The stored credential: hashed here, or the given hash with an SRP verifier when asked for. */
async function credentialOf(pool: PoolRecord, p: Prepared, password: ImportPassword, now: number) {
  const temporary = password.temporary === true;
  const clear = "password" in password ? password.password : password.srpPassword;
  const srp =
    "hash" in password && password.srp
      ? password.srp
      : clear === undefined
        ? undefined
        : makeVerifier(poolName(pool.id), p.user.username, clear);
  const credential: PasswordCredential = {
    hash: "password" in password ? await hashPassword(password.password) : password.hash,
    ...(srp ? { srpSalt: srp.salt, srpVerifier: srp.verifier } : {}),
    temporary,
    setAt: now,
  };
  return credential;
}

/** Stores one checked user: the uniqueness checks of AdminCreateUser, then the insert. */
async function store(tx: Transaction, pool: PoolRecord, p: Prepared, now: number): Promise<void> {
  await checkUsernameAttributeFree(tx, pool, p.asAttribute, p.given);
  await claimAliases(tx, pool, p.user, false, now);
  try {
    await tx.users.insertUser(p.user);
  } catch (e) {
    if (e instanceof DuplicateKeyError) throw usernameExists();
    throw e;
  }
}

/**
 * The fast way: the whole batch in one multi-row insert, when the pool has no aliases to keep
 * unique (those need each user checked against the ones before). False when some username was
 * taken: then nothing was written, and the caller stores the batch user by user, which finds the
 * user refused.
 */
async function insertAtOnce(storage: Storage, pool: PoolRecord, prepared: Prepared[]): Promise<boolean> {
  if (aliasAttributes(pool).length > 0) return false;
  try {
    await storage.transaction((tx) => tx.users.insertUsers(prepared.map((p) => p.user)));
    return true;
  } catch (e) {
    if (e instanceof DuplicateKeyError) return false;
    throw e;
  }
}

/**
 * Imports `users` into the pool, `batchSize` per transaction, in order. Throws BulkImportError at the
 * first refused user (its batch is not written); ResourceNotFoundException for an unknown pool.
 */
export async function importUsers(
  storage: Storage,
  poolId: string,
  users: readonly ImportUser[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError("batchSize must be a positive integer");
  const pool = await requirePool(storage, poolId);
  const subs: string[] = [];
  for (let start = 0; start < users.length; start += batchSize) {
    const end = Math.min(users.length, start + batchSize);
    const now = options.now ?? Date.now();
    let at = start;
    const prepared: Prepared[] = [];
    try {
      for (; at < end; at++) prepared.push(prepare(pool, users[at]!, now));
      // The slow part, hashing, happens before the transaction; hashes run on libuv's thread pool.
      await Promise.all(
        prepared.map(async (p, i) => {
          const password = users[start + i]!.password;
          if (!password) return;
          try {
            p.user.password = await credentialOf(pool, p, password, now);
          } catch (e) {
            at = start + i;
            throw e;
          }
        }),
      );
      at = start;
      if (!(await insertAtOnce(storage, pool, prepared)))
        await storage.transaction(async (tx) => {
          for (at = start; at < end; at++) await store(tx, pool, prepared[at - start]!, now);
        });
    } catch (e) {
      // A refused user is named; anything else (the storage failing) is no user's fault.
      if (e instanceof AwsError)
        throw new BulkImportError(at, String(users[at]?.username), [start, end], start, e);
      throw e;
    }
    for (const p of prepared) subs.push(p.user.sub);
  }
  return { imported: users.length, subs };
}

/** What became of one user of `importUsersEach`. */
export type ImportOutcome =
  | { imported: true; sub: string }
  | {
      imported: false;
      error: AwsError;
      /** The username (or the email or phone standing for it) is taken. */ exists: boolean;
    };

function refused(error: AwsError): ImportOutcome {
  return { imported: false, error, exists: error.type === "UsernameExistsException" };
}

/**
 * Imports one batch of users into `pool` in one transaction, each user on its own: a refused user
 * is reported in its place of the answer and the others are written. Throws only what is no user's
 * fault (the storage failing).
 */
export async function importUsersEach(
  storage: Storage,
  pool: PoolRecord,
  users: readonly ImportUser[],
  options: { now?: number } = {},
): Promise<ImportOutcome[]> {
  const now = options.now ?? Date.now();
  const outcomes: (ImportOutcome | undefined)[] = new Array<ImportOutcome | undefined>(users.length);
  const ready: { index: number; p: Prepared }[] = [];
  for (let i = 0; i < users.length; i++) {
    try {
      ready.push({ index: i, p: prepare(pool, users[i]!, now) });
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      outcomes[i] = refused(e);
    }
  }
  const hashed = await Promise.all(
    ready.map(async (r) => {
      const password = users[r.index]!.password;
      if (!password) return true;
      try {
        r.p.user.password = await credentialOf(pool, r.p, password, now);
        return true;
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        outcomes[r.index] = refused(e);
        return false;
      }
    }),
  );
  // A username given twice in the batch: the later ones are refused here, so that the rest can go
  // in at once (the fast way) whenever the pool had none of them.
  const seen = new Set<string>();
  const toStore = ready.filter((r, k) => {
    if (!hashed[k]) return false;
    if (r.p.asAttribute) return true; // keyed by its sub: the store finds the email or phone taken
    if (!seen.has(r.p.user.usernameKey)) {
      seen.add(r.p.user.usernameKey);
      return true;
    }
    outcomes[r.index] = refused(usernameExists());
    return false;
  });
  if (
    !(await insertAtOnce(
      storage,
      pool,
      toStore.map((r) => r.p),
    ))
  ) {
    const stored = await storage.transaction(async (tx) => {
      const result = new Map<number, AwsError | undefined>();
      for (const r of toStore) {
        try {
          await store(tx, pool, r.p, now);
          result.set(r.index, undefined);
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          result.set(r.index, e);
        }
      }
      return result;
    });
    for (const r of toStore) {
      const error = stored.get(r.index);
      if (error) outcomes[r.index] = refused(error);
    }
  }
  for (const r of toStore) outcomes[r.index] ??= { imported: true, sub: r.p.user.sub };
  return outcomes as ImportOutcome[];
}
