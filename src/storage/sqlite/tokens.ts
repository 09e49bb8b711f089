/** SQLite: Signing keys, auth sessions, refresh tokens and their revocation. */
import type { AuthSessionRecord, RefreshTokenRecord, SigningKeyRecord } from "../records.ts";
import { authSessionFromRow, refreshTokenFromRow, signingKeyFromRow } from "../rows.ts";
import { type TokensRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteTokens extends SqliteRepository implements TokensRepository {
  async signingKeys(poolId: string) {
    const rows = this.q("SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY created_at, kid").all(
      poolId,
    ) as Row[];
    return rows.map(signingKeyFromRow);
  }
  async insertSigningKey(k: SigningKeyRecord) {
    this.q(
      "INSERT OR IGNORE INTO signing_keys (pool_id, kid, use, private_key, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(k.poolId, k.kid, k.use, k.privateKeyPem, JSON.stringify(k.publicJwk), k.createdAt);
  }
  async insertAuthSession(a: AuthSessionRecord) {
    this.q("INSERT INTO auth_sessions (id, pool_id, client_id, data, expires_at) VALUES (?, ?, ?, ?, ?)").run(
      a.id,
      a.poolId,
      a.clientId,
      JSON.stringify(a.data),
      a.expiresAt,
    );
  }
  async getAuthSession(id: string, now: number) {
    const r = this.q("SELECT * FROM auth_sessions WHERE id = ?").get(id) as Row | undefined;
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }
  async consumeAuthSession(id: string, now: number) {
    const r = this.q("DELETE FROM auth_sessions WHERE id = ? RETURNING *").get(id) as Row | undefined;
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }
  async getRefreshToken(tokenHash: string) {
    const r = this.q("SELECT * FROM refresh_tokens WHERE token_hash = ?").get(tokenHash) as Row | undefined;
    return r && refreshTokenFromRow(r);
  }
  async isOriginRevoked(poolId: string, originJti: string) {
    const r = this.q(
      "SELECT 1 FROM refresh_tokens WHERE pool_id = ? AND origin_jti = ? AND revoked_at IS NOT NULL LIMIT 1",
    ).get(poolId, originJti);
    return r !== undefined;
  }
  async insertRefreshToken(t: RefreshTokenRecord) {
    this.q(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, created_at, expires_at, replaced_at, revoked_at, scope, device_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      t.tokenHash,
      t.poolId,
      t.clientId,
      t.sub,
      t.originJti,
      t.authTime,
      t.createdAt,
      t.expiresAt,
      t.replacedAt ?? null,
      t.revokedAt ?? null,
      t.scope ?? null,
      t.deviceKey ?? null,
    );
  }
  async replaceRefreshToken(tokenHash: string, now: number) {
    const r = this.q(
      "UPDATE refresh_tokens SET replaced_at = ? WHERE token_hash = ? AND replaced_at IS NULL",
    ).run(now, tokenHash);
    return Number(r.changes) > 0;
  }
  async revokeOrigin(poolId: string, originJti: string, now: number) {
    this.q(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND origin_jti = ? AND revoked_at IS NULL",
    ).run(now, poolId, originJti);
  }
  async revokeUserTokens(poolId: string, sub: string, now: number) {
    this.q(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND sub = ? AND revoked_at IS NULL",
    ).run(now, poolId, sub);
  }
  async purgeExpired(now: number) {
    this.q("DELETE FROM auth_sessions WHERE expires_at <= ?").run(now);
    this.q("DELETE FROM codes WHERE expires_at <= ?").run(now);
    this.q("DELETE FROM counters WHERE expires_at <= ?").run(now);
    // Kept a day past expiry: access tokens (valid up to a day) check their origin's revocation here.
    this.q("DELETE FROM refresh_tokens WHERE expires_at <= ?").run(now - 86_400_000);
    this.q("DELETE FROM user_sessions WHERE expires_at <= ?").run(now);
  }
}
