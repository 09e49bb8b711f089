/** PostgreSQL: authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { authorizationCodeFromRow } from "../rows.ts";
import type { OAuthRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresOAuth extends PgRepository implements OAuthRepository {
  async insertAuthorizationCode(c: AuthorizationCodeRecord) {
    await this.run(
      "INSERT INTO oauth_codes (code_hash, pool_id, client_id, grant_data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [c.codeHash, c.poolId, c.clientId, JSON.stringify(c.grant), c.createdAt, c.expiresAt],
    );
  }
  async consumeAuthorizationCode(codeHash: string, now: number) {
    // Of concurrent DELETEs of one row, the first deletes it; the others wait for it and find nothing.
    const r = await this.one("DELETE FROM oauth_codes WHERE code_hash = $1 RETURNING *", [codeHash]);
    return r && Number(r.expires_at) > now ? authorizationCodeFromRow(r) : undefined;
  }
  async purgeExpiredCodes(now: number) {
    await this.run("DELETE FROM oauth_codes WHERE expires_at <= $1", [now]);
  }
}
