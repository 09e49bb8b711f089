/** Setting a user's password: policy, history, hashing. */
import { hashPassword, verifyPassword } from "../crypto/password-hash.ts";
import { InvalidPasswordException } from "../generated/exceptions.ts";
import type { PasswordCredential, PoolRecord, UserRecord } from "../storage/records.ts";
import { checkPassword } from "./password-policy.ts";

/** Checks the policy (and, for permanent passwords, the history) and hashes the new password. */
export async function newCredential(
  pool: PoolRecord,
  user: UserRecord | undefined,
  password: string,
  temporary: boolean,
  now: number,
): Promise<{ credential: PasswordCredential; history: string[] | undefined }> {
  const policy = pool.settings.Policies?.PasswordPolicy;
  checkPassword(password, policy);
  const historySize = policy?.PasswordHistorySize ?? 0;
  let history = user?.passwordHistory;
  if (historySize > 0 && user?.password && !temporary) {
    const previous = [user.password.hash, ...(history ?? [])].slice(0, historySize);
    for (const hash of previous)
      if (await verifyPassword(password, hash))
        throw new InvalidPasswordException("The password has been used previously.");
    history = previous;
  }
  const credential: PasswordCredential = { hash: await hashPassword(password), temporary, setAt: now };
  return { credential, history };
}
