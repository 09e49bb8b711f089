/** Setting a user's password: policy, history, hashing; rehashing at sign-in. */
import type { RequestContext } from "../../context.ts";
import {
  HashingBusyError,
  hashPassword as hashWithQueue,
  needsRehash,
  verifyPassword as verifyWithQueue,
} from "../../crypto/password-hash.ts";
import { makeVerifierOffThread } from "../../crypto/srp.ts";
import {
  PasswordHistoryPolicyViolationException,
  TooManyRequestsException,
} from "../../generated/exceptions.ts";
import type { PasswordCredential, PoolRecord, UserRecord } from "../../storage/records.ts";
import { checkPassword, type PolicyWording } from "./password-policy.ts";

/** Runs a password hash or check; a full hashing queue is Cognito's TooManyRequestsException. */
async function hashing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof HashingBusyError) throw new TooManyRequestsException("Too many requests");
    throw e;
  }
}

/** Argon2id hash of a password (PHC string), with the server's current parameters. */
export const hashPassword = (password: string): Promise<string> => hashing(() => hashWithQueue(password));

/** Whether a password matches a stored hash (with the hash's own parameters). */
export const verifyPassword = (password: string, hash: string): Promise<boolean> =>
  hashing(() => verifyWithQueue(password, hash));

/**
 * Checks the policy (and, for permanent passwords, the history), hashes the new password with
 * Argon2id for the password flows and derives the SRP salt and verifier for USER_SRP_AUTH. The
 * verifier is bound to the username: pass `username` when `user` does not exist yet. `wording` is
 * the operation's phrasing of a policy failure (see PolicyWording), or "unchecked" for a password
 * the policy does not apply to (a user migrated with the password of the old system).
 */
export async function newCredential(
  pool: PoolRecord,
  user: UserRecord | undefined,
  password: string,
  temporary: boolean,
  now: number,
  username: string | undefined = user?.username,
  wording?: PolicyWording | "unchecked",
): Promise<{ credential: PasswordCredential; history: string[] | undefined }> {
  if (username === undefined) throw new Error("newCredential needs the username the password belongs to");
  const policy = pool.settings.Policies?.PasswordPolicy;
  if (wording !== "unchecked") checkPassword(password, policy, wording);
  const historySize = policy?.PasswordHistorySize ?? 0;
  let history = user?.passwordHistory;
  if (historySize > 0 && user?.password && !temporary) {
    const previous = [user.password.hash, ...(history ?? [])].slice(0, historySize);
    for (const hash of previous)
      if (await verifyPassword(password, hash))
        throw new PasswordHistoryPolicyViolationException("The password has been used previously.");
    history = previous;
  }
  // The verifier (on the modexp worker when one runs) and the hash (on the libuv pool) at once.
  const [srp, hash] = await Promise.all([
    makeVerifierOffThread(poolName(pool.id), username, password),
    hashPassword(password),
  ]);
  const credential: PasswordCredential = {
    hash,
    srpSalt: srp.salt,
    srpVerifier: srp.verifier,
    temporary,
    setAt: now,
  };
  return { credential, history };
}

/**
 * After a successful sign-in with the plain password: when the stored hash was made with other
 * Argon2id parameters than the current profile's, stores a new hash of the same password (the SRP
 * verifier does not depend on them and stays). Nothing else about the user changes. Skipped when
 * the hashing queue is full, or when the password changed meanwhile; a later sign-in does it.
 */
export async function rehashIfStale(
  ctx: RequestContext,
  user: UserRecord,
  password: string,
): Promise<UserRecord> {
  const stale = user.password;
  if (!stale || !needsRehash(stale.hash)) return user;
  let hash: string;
  try {
    hash = await hashWithQueue(password);
  } catch (e) {
    if (e instanceof HashingBusyError) return user;
    throw e;
  }
  const { storage, logger } = ctx.services;
  return storage.transaction(async (tx) => {
    const current = await tx.users.getUserBySub(user.poolId, user.sub);
    if (!current?.password || current.password.hash !== stale.hash) return current ?? user;
    const next: UserRecord = { ...current, password: { ...current.password, hash } };
    await tx.users.updateUser(next);
    logger.debug("password rehashed", { userPoolId: user.poolId, sub: user.sub });
    return next;
  });
}

/** The pool id after "_": the "pool name" of Cognito's SRP. */
export function poolName(poolId: string): string {
  return poolId.slice(poolId.indexOf("_") + 1);
}
