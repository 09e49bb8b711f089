/** SQLite: authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { authorizationCodeFromRow } from "../rows.ts";
import type { OAuthRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteOAuth extends SqliteRepository implements OAuthRepository {
  async insertAuthorizationCode(c: AuthorizationCodeRecord) {
    this.q(
      "INSERT INTO oauth_codes (code_hash, pool_id, client_id, grant_data, created_at, expires_at, redeemed_at, origin_jti) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      c.codeHash,
      c.poolId,
      c.clientId,
      JSON.stringify(c.grant),
      c.createdAt,
      c.expiresAt,
      c.redeemedAt ?? null,
      c.originJti ?? null,
    );
  }
  async getAuthorizationCode(codeHash: string, now: number) {
    const r = this.q("SELECT * FROM oauth_codes WHERE code_hash = ? AND expires_at > ?").get(
      codeHash,
      now,
    ) as Row | undefined;
    return r && authorizationCodeFromRow(r);
  }
  async redeemAuthorizationCode(codeHash: string, now: number) {
    const r = this.q(
      "UPDATE oauth_codes SET redeemed_at = ? WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > ? RETURNING *",
    ).get(now, codeHash, now) as Row | undefined;
    return r && authorizationCodeFromRow(r);
  }
  async setAuthorizationCodeOrigin(codeHash: string, originJti: string) {
    this.q("UPDATE oauth_codes SET origin_jti = ? WHERE code_hash = ?").run(originJti, codeHash);
  }
  async purgeExpiredCodes(now: number) {
    this.q("DELETE FROM oauth_codes WHERE expires_at <= ?").run(now);
  }
}
