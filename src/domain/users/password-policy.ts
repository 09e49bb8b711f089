/** The pool's password policy: checking a chosen password, generating a temporary one. */
import { randomInt } from "node:crypto";
import { InvalidPasswordException } from "../../generated/exceptions.ts";
import type { PasswordPolicyType } from "../../generated/types.ts";

/** The symbols Cognito accepts as "special characters". */
export const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

const DEFAULT_POLICY: PasswordPolicyType = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

/**
 * How an operation words a password that breaks the policy. Cognito's SignUp says "Password did not
 * conform with policy: …" (apps match that text); the administrator operations, ChangePassword,
 * ConfirmForgotPassword and the NEW_PASSWORD_REQUIRED challenge say "Password does not conform to
 * policy: …".
 */
export type PolicyWording = "Password does not conform to policy" | "Password did not conform with policy";

export const SIGN_UP_WORDING: PolicyWording = "Password did not conform with policy";

/** Throws InvalidPasswordException with Cognito's wording when the password breaks the policy. */
export function checkPassword(
  password: string,
  policy: PasswordPolicyType | undefined,
  wording: PolicyWording = "Password does not conform to policy",
): void {
  const p = policy ?? DEFAULT_POLICY;
  const fail = (why: string) => new InvalidPasswordException(`${wording}: ${why}`);
  if (password.length < (p.MinimumLength ?? 8)) throw fail("Password not long enough");
  if (p.RequireLowercase && !/[a-z]/.test(password)) throw fail("Password must have lowercase characters");
  if (p.RequireUppercase && !/[A-Z]/.test(password)) throw fail("Password must have uppercase characters");
  if (p.RequireNumbers && !/[0-9]/.test(password)) throw fail("Password must have numeric characters");
  if (p.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c) || c === " "))
    throw fail("Password must have symbol characters");
  if (/^\s|\s$/.test(password))
    throw new InvalidPasswordException("Password must not begin or end with whitespace.");
}

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SAFE_SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~=+-";

/** A random temporary password that satisfies the policy (at least 12 characters). */
export function generateTemporaryPassword(policy: PasswordPolicyType | undefined): string {
  const p = policy ?? DEFAULT_POLICY;
  const length = Math.max(12, p.MinimumLength ?? 8);
  const chars = [
    LOWER[randomInt(LOWER.length)]!,
    UPPER[randomInt(UPPER.length)]!,
    DIGITS[randomInt(DIGITS.length)]!,
    SAFE_SYMBOLS[randomInt(SAFE_SYMBOLS.length)]!,
  ];
  const all = LOWER + UPPER + DIGITS + SAFE_SYMBOLS;
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
