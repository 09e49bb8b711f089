/** PostgreSQL: users' WebAuthn credentials (passkeys). */
import { page } from "../cursor.ts";
import type { PasskeyRecord } from "../records.ts";
import { passkeyFromRow } from "../rows.ts";
import { DuplicateKeyError, type PasskeysRepository } from "../storage.ts";
import { nameOf, PgRepository } from "./db.ts";

export class PostgresPasskeys extends PgRepository implements PasskeysRepository {
  async getPasskey(poolId: string, credentialId: string) {
    const r = await this.one("SELECT * FROM passkeys WHERE pool_id = $1 AND credential_id = $2", [
      poolId,
      credentialId,
    ]);
    return r && passkeyFromRow(r);
  }
  async listPasskeys(poolId: string, sub: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM passkeys WHERE pool_id = $1 AND sub = $2 AND credential_id > $3 ORDER BY credential_id LIMIT $4",
      [poolId, sub, nameOf(after), limit + 1],
    );
    return page(rows, limit, passkeyFromRow, (r) => [r.credential_id as string]);
  }
  async insertPasskey(p: PasskeyRecord) {
    const n = await this.run(
      "INSERT INTO passkeys (pool_id, credential_id, sub, public_key, sign_count, transports, friendly_name, attachment, rp_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
      [
        p.poolId,
        p.credentialId,
        p.sub,
        p.publicKey,
        p.signCount,
        JSON.stringify(p.transports),
        p.friendlyName,
        p.attachment ?? null,
        p.rpId,
        p.createdAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("passkey exists");
  }
  async updatePasskeySignCount(poolId: string, credentialId: string, from: number, to: number) {
    // A concurrent UPDATE of the row waits for the first and re-checks `sign_count = $4`.
    const n = await this.run(
      "UPDATE passkeys SET sign_count = $1 WHERE pool_id = $2 AND credential_id = $3 AND sign_count = $4",
      [to, poolId, credentialId, from],
    );
    return n > 0;
  }
  async deletePasskey(poolId: string, sub: string, credentialId: string) {
    const n = await this.run("DELETE FROM passkeys WHERE pool_id = $1 AND sub = $2 AND credential_id = $3", [
      poolId,
      sub,
      credentialId,
    ]);
    return n > 0;
  }
}
