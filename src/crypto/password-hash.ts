/**
 * Argon2id password hashing on node:crypto, stored as a PHC string
 * ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). Parameters: OWASP's recommended minimum
 * (19 MiB, 2 passes, 1 lane).
 */
import { argon2, randomBytes, timingSafeEqual } from "node:crypto";

export interface Argon2Params {
  memory: number;
  passes: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Readonly<Argon2Params> = { memory: 19456, passes: 2, parallelism: 1 };
const TAG_LENGTH = 32;

function derive(password: string, salt: Buffer, p: Argon2Params): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      "argon2id",
      {
        message: Buffer.from(password.normalize("NFC"), "utf8"),
        nonce: salt,
        parallelism: p.parallelism,
        tagLength: TAG_LENGTH,
        memory: p.memory,
        passes: p.passes,
      },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, params: Argon2Params = OWASP_ARGON2ID): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${salt.toString("base64").replace(/=+$/, "")}$${key.toString("base64").replace(/=+$/, "")}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Constant-time check of a password against a stored PHC string. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const params = { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) };
  const salt = Buffer.from(m[4]!, "base64");
  const expected = Buffer.from(m[5]!, "base64");
  const key = await derive(password, salt, params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
