/**
 * Encryption at rest of the pools' private signing keys (AES-256-GCM), with a key that only the
 * environment holds (`LANYARD_KEY_ENCRYPTION_KEY`): a copy of the database alone then signs no
 * token. Each sealed value is bound to its row (pool id and kid as additional data), so sealed keys
 * cannot be moved from one pool to another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "lanyard-aes-256-gcm:v1:";

/** The 32-byte key from its base64 (44 characters) or hex (64 digits) form; undefined when neither. */
export function decodeKeyEncryptionKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, "base64");
  return undefined;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export class KeySealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("a key encryption key has 32 bytes");
    this.key = key;
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, "utf8"));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64")).join(":");
  }

  /** The plain text, or throws when the value was sealed with another key or for another row. */
  open(sealed: string, boundTo: string): string {
    const [iv, tag, data] = sealed
      .slice(PREFIX.length)
      .split(":")
      .map((p) => Buffer.from(p, "base64"));
    if (!iv || !tag || !data || iv.length !== 12 || tag.length !== 16)
      throw new Error("malformed sealed value");
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  }
}
