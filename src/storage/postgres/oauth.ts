/** PostgreSQL: authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { authorizationCodeFromRow } from "../rows.ts";
import type { OAuthRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresOAuth extends PgRepository implements OAuthRepository {
  async insertAuthorizationCode(c: AuthorizationCodeRecord) {
    await this.run(
      "INSERT INTO oauth_codes (code_hash, pool_id, client_id, grant_data, created_at, expires_at, redeemed_at, origin_jti) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [
        c.codeHash,
        c.poolId,
        c.clientId,
        JSON.stringify(c.grant),
        c.createdAt,
        c.expiresAt,
        c.redeemedAt ?? null,
        c.originJti ?? null,
      ],
    );
  }
  async getAuthorizationCode(codeHash: string, now: number) {
    const r = await this.one("SELECT * FROM oauth_codes WHERE code_hash = $1 AND expires_at > $2", [
      codeHash,
      now,
    ]);
    return r && authorizationCodeFromRow(r);
  }
  async redeemAuthorizationCode(codeHash: string, now: number) {
    // A concurrent UPDATE of the same row waits for the first and re-checks `redeemed_at IS NULL`.
    const r = await this.one(
      "UPDATE oauth_codes SET redeemed_at = $1 WHERE code_hash = $2 AND redeemed_at IS NULL AND expires_at > $1 RETURNING *",
      [now, codeHash],
    );
    return r && authorizationCodeFromRow(r);
  }
  async setAuthorizationCodeOrigin(codeHash: string, originJti: string) {
    await this.run("UPDATE oauth_codes SET origin_jti = $1 WHERE code_hash = $2", [originJti, codeHash]);
  }
  async purgeExpiredCodes(now: number) {
    await this.run("DELETE FROM oauth_codes WHERE expires_at <= $1", [now]);
  }
}
