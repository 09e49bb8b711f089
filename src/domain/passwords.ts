/** Setting a user's password: policy, history, hashing. */
import { hashPassword, verifyPassword } from "../crypto/password-hash.ts";
import { makeVerifier } from "../crypto/srp.ts";
import { PasswordHistoryPolicyViolationException } from "../generated/exceptions.ts";
import type { PasswordCredential, PoolRecord, UserRecord } from "../storage/records.ts";
import { checkPassword, type PolicyWording } from "./password-policy.ts";

/**
 * Checks the policy (and, for permanent passwords, the history), hashes the new password with
 * Argon2id for the password flows and derives the SRP salt and verifier for USER_SRP_AUTH. The
 * verifier is bound to the username: pass `username` when `user` does not exist yet. `wording` is
 * the operation's phrasing of a policy failure (see PolicyWording).
 */
export async function newCredential(
  pool: PoolRecord,
  user: UserRecord | undefined,
  password: string,
  temporary: boolean,
  now: number,
  username: string | undefined = user?.username,
  wording?: PolicyWording,
): Promise<{ credential: PasswordCredential; history: string[] | undefined }> {
  if (username === undefined) throw new Error("newCredential needs the username the password belongs to");
  const policy = pool.settings.Policies?.PasswordPolicy;
  checkPassword(password, policy, wording);
  const historySize = policy?.PasswordHistorySize ?? 0;
  let history = user?.passwordHistory;
  if (historySize > 0 && user?.password && !temporary) {
    const previous = [user.password.hash, ...(history ?? [])].slice(0, historySize);
    for (const hash of previous)
      if (await verifyPassword(password, hash))
        throw new PasswordHistoryPolicyViolationException("The password has been used previously.");
    history = previous;
  }
  const srp = makeVerifier(poolName(pool.id), username, password);
  const credential: PasswordCredential = {
    hash: await hashPassword(password),
    srpSalt: srp.salt,
    srpVerifier: srp.verifier,
    temporary,
    setAt: now,
  };
  return { credential, history };
}

/** The pool id after "_": the "pool name" of Cognito's SRP. */
export function poolName(poolId: string): string {
  return poolId.slice(poolId.indexOf("_") + 1);
}
