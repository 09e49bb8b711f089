/** SQLite: authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { authorizationCodeFromRow } from "../rows.ts";
import type { OAuthRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteOAuth extends SqliteRepository implements OAuthRepository {
  async insertAuthorizationCode(c: AuthorizationCodeRecord) {
    this.q(
      "INSERT INTO oauth_codes (code_hash, pool_id, client_id, grant_data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(c.codeHash, c.poolId, c.clientId, JSON.stringify(c.grant), c.createdAt, c.expiresAt);
  }
  async consumeAuthorizationCode(codeHash: string, now: number) {
    const r = this.q("DELETE FROM oauth_codes WHERE code_hash = ? RETURNING *").get(codeHash) as
      Row | undefined;
    return r && Number(r.expires_at) > now ? authorizationCodeFromRow(r) : undefined;
  }
  async purgeExpiredCodes(now: number) {
    this.q("DELETE FROM oauth_codes WHERE expires_at <= ?").run(now);
  }
}
