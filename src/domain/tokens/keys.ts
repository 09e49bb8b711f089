/**
 * Per-pool signing keys. Each pool gets two RSA-2048 keys when it is created (Cognito signs ID and
 * access tokens with different keys), kept in storage so every instance signs and verifies alike.
 * Keys never change once written, so each instance caches them.
 */
import { generateKeyPair, type KeyObject, randomBytes } from "node:crypto";
import type { PoolKey, SigningKeys } from "../../context.ts";
import { privateKeyFromPem, publicKeyFromJwk } from "../../crypto/jwt.ts";
import { isSealed, type KeySealer } from "../../crypto/key-wrap.ts";
import type { SigningKeyRecord } from "../../storage/records.ts";
import type { Reader, Storage, Transaction } from "../../storage/storage.ts";

function newKid(): string {
  // Cognito's kids are base64 of a SHA-256 digest; this has the same shape.
  return randomBytes(32).toString("base64");
}

async function rsaKey(poolId: string, use: "id" | "access", now: number): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair(
        "rsa",
        { modulusLength: 2048, publicExponent: 0x10001 },
        (err, publicKey, privateKey) => (err ? reject(err) : resolve({ privateKey, publicKey })),
      ),
  );
  const kid = newKid();
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, string>;
  return {
    poolId,
    kid,
    use,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicJwk: { alg: "RS256", e: jwk.e!, kid, kty: "RSA", n: jwk.n!, use: "sig" },
    createdAt: now,
  };
}

/** Two fresh keys for a new pool (made before the pool's transaction: key generation is slow). */
export async function newPoolKeys(poolId: string, now: number): Promise<SigningKeyRecord[]> {
  return Promise.all([rsaKey(poolId, "id", now), rsaKey(poolId, "access", now)]);
}

export async function storePoolKeys(tx: Transaction, keys: readonly SigningKeyRecord[]): Promise<void> {
  for (const k of keys) await tx.tokens.insertSigningKey(k);
}

/** What a sealed private key is bound to: its pool and kid. */
function sealedFor(record: Pick<SigningKeyRecord, "poolId" | "kid">): string {
  return `${record.poolId}/${record.kid}`;
}

export class KeyRing implements SigningKeys {
  private readonly cache = new Map<string, PoolKey[]>();
  private readonly storage: Storage;
  /** With `LANYARD_KEY_ENCRYPTION_KEY`: private keys are stored encrypted with it. */
  private readonly sealer: KeySealer | undefined;

  constructor(storage: Storage, sealer?: KeySealer) {
    this.storage = storage;
    this.sealer = sealer;
  }

  /** Two fresh keys for a new pool, as they are stored (encrypted when a key encryption key is set). */
  async newPoolKeys(poolId: string, now: number): Promise<SigningKeyRecord[]> {
    const records = await newPoolKeys(poolId, now);
    const sealer = this.sealer;
    if (!sealer) return records;
    return records.map((r) => ({ ...r, privateKeyPem: sealer.seal(r.privateKeyPem, sealedFor(r)) }));
  }

  private privateKey(record: SigningKeyRecord): KeyObject {
    if (!isSealed(record.privateKeyPem)) return privateKeyFromPem(record.privateKeyPem);
    if (!this.sealer)
      throw new Error(
        `the signing keys of pool ${record.poolId} are encrypted: set LANYARD_KEY_ENCRYPTION_KEY to the key they were encrypted with`,
      );
    return privateKeyFromPem(this.sealer.open(record.privateKeyPem, sealedFor(record)));
  }

  /**
   * The keys of an existing pool, creating them if it has none (pools made before keys existed).
   * Callers name a pool they have looked up; nothing that only verifies may come here with a pool
   * id taken from a token (see `verificationKey`).
   */
  async keys(poolId: string, now: number, db: Reader = this.storage): Promise<PoolKey[]> {
    const cached = this.cache.get(poolId);
    if (cached) return cached;
    let records = await db.tokens.signingKeys(poolId);
    if (records.length === 0) {
      const fresh = await this.newPoolKeys(poolId, now);
      await this.storage.transaction(async (tx) => {
        if ((await tx.tokens.signingKeys(poolId)).length === 0) await storePoolKeys(tx, fresh);
      });
      records = await this.storage.tokens.signingKeys(poolId);
    }
    return this.remember(poolId, records);
  }

  private remember(poolId: string, records: readonly SigningKeyRecord[]): PoolKey[] {
    const keys = records.map((r) => ({
      kid: r.kid,
      use: r.use,
      privateKey: this.privateKey(r),
      publicKey: publicKeyFromJwk(r.publicJwk),
      jwk: r.publicJwk,
    }));
    this.cache.set(poolId, keys);
    return keys;
  }

  async signingKey(poolId: string, use: "id" | "access", now: number): Promise<PoolKey> {
    const keys = await this.keys(poolId, now);
    return keys.find((k) => k.use === use) ?? keys[0]!;
  }

  /**
   * The key a token names, if the pool has it. Never makes keys: a token is untrusted input, and a
   * pool id in it must cost no more than a lookup.
   */
  async verificationKey(poolId: string, kid: string): Promise<PoolKey | undefined> {
    let keys = this.cache.get(poolId);
    if (!keys) {
      const records = await this.storage.tokens.signingKeys(poolId);
      if (records.length === 0) return undefined;
      keys = this.remember(poolId, records);
    }
    return keys.find((k) => k.kid === kid);
  }

  /** Forgets a deleted pool's keys. */
  forget(poolId: string): void {
    this.cache.delete(poolId);
  }
}
