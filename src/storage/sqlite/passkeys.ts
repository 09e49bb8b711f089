/** SQLite: users' WebAuthn credentials (passkeys). */
import type { PasskeyRecord } from "../records.ts";
import { decodeCursor, page } from "../cursor.ts";
import { passkeyFromRow } from "../rows.ts";
import { DuplicateKeyError, type PasskeysRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqlitePasskeys extends SqliteRepository implements PasskeysRepository {
  async getPasskey(poolId: string, credentialId: string) {
    const r = this.q("SELECT * FROM passkeys WHERE pool_id = ? AND credential_id = ?").get(
      poolId,
      credentialId,
    ) as Row | undefined;
    return r && passkeyFromRow(r);
  }
  async listPasskeys(poolId: string, sub: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT * FROM passkeys WHERE pool_id = ? AND sub = ? AND credential_id > ? ORDER BY credential_id LIMIT ?",
    ).all(poolId, sub, last, limit + 1) as Row[];
    return page(rows, limit, passkeyFromRow, (r) => [r.credential_id as string]);
  }
  async insertPasskey(p: PasskeyRecord) {
    try {
      this.q(
        "INSERT INTO passkeys (pool_id, credential_id, sub, public_key, sign_count, transports, friendly_name, attachment, rp_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
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
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("passkey exists");
      throw e;
    }
  }
  async updatePasskeySignCount(poolId: string, credentialId: string, from: number, to: number) {
    const r = this.q(
      "UPDATE passkeys SET sign_count = ? WHERE pool_id = ? AND credential_id = ? AND sign_count = ?",
    ).run(to, poolId, credentialId, from);
    return Number(r.changes) > 0;
  }
  async deletePasskey(poolId: string, sub: string, credentialId: string) {
    const r = this.q("DELETE FROM passkeys WHERE pool_id = ? AND sub = ? AND credential_id = ?").run(
      poolId,
      sub,
      credentialId,
    );
    return Number(r.changes) > 0;
  }
}
