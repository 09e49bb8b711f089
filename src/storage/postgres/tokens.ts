/** PostgreSQL: Signing keys, auth sessions, refresh tokens and their revocation. */
import type { AuthSessionRecord, RefreshTokenRecord, SigningKeyRecord } from "../records.ts";
import { authSessionFromRow, refreshTokenFromRow, signingKeyFromRow } from "../rows.ts";
import { type TokensRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresTokens extends PgRepository implements TokensRepository {
  async signingKeys(poolId: string) {
    // In a transaction, the pool row is locked first: two instances that both find a pool without
    // keys then create them one after the other, and the second sees the first one's keys.
    if (this.lock) await this.run(`SELECT 1 FROM pools WHERE id = $1${this.lock}`, [poolId]);
    const rows = await this.rows("SELECT * FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid", [
      poolId,
    ]);
    return rows.map(signingKeyFromRow);
  }
  async insertSigningKey(k: SigningKeyRecord) {
    await this.run(
      "INSERT INTO signing_keys (pool_id, kid, use, private_key, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [k.poolId, k.kid, k.use, k.privateKeyPem, JSON.stringify(k.publicJwk), k.createdAt],
    );
  }
  async insertAuthSession(a: AuthSessionRecord) {
    await this.run(
      "INSERT INTO auth_sessions (id, pool_id, client_id, data, expires_at) VALUES ($1, $2, $3, $4, $5)",
      [a.id, a.poolId, a.clientId, JSON.stringify(a.data), a.expiresAt],
    );
  }
  async getAuthSession(id: string, now: number) {
    const r = await this.one("SELECT * FROM auth_sessions WHERE id = $1", [id]);
    return r && Number(r.expires_at) > now ? authSessionFromRow(r) : undefined;
  }
  async consumeAuthSession(id: string, now: number) {
    // Of concurrent DELETEs of one row, the first deletes it; the others wait for it and find nothing.
    const r = await this.one("DELETE FROM auth_sessions WHERE id = $1 RETURNING *", [id]);
    if (!r || Number(r.expires_at) <= now) return undefined;
    return authSessionFromRow(r);
  }
  async getRefreshToken(tokenHash: string) {
    const r = await this.one("SELECT * FROM refresh_tokens WHERE token_hash = $1", [tokenHash]);
    return r && refreshTokenFromRow(r);
  }
  async isOriginRevoked(poolId: string, originJti: string) {
    const r = await this.one(
      "SELECT 1 FROM refresh_tokens WHERE pool_id = $1 AND origin_jti = $2 AND revoked_at IS NOT NULL LIMIT 1",
      [poolId, originJti],
    );
    return r !== undefined;
  }
  async insertRefreshToken(t: RefreshTokenRecord) {
    await this.run(
      "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, created_at, expires_at, replaced_at, revoked_at, scope, device_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      [
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
      ],
    );
  }
  async replaceRefreshToken(tokenHash: string, now: number) {
    // A concurrent UPDATE of the same row waits for the first and re-checks `replaced_at IS NULL`.
    const n = await this.run(
      "UPDATE refresh_tokens SET replaced_at = $1 WHERE token_hash = $2 AND replaced_at IS NULL",
      [now, tokenHash],
    );
    return n > 0;
  }
  async revokeOrigin(poolId: string, originJti: string, now: number) {
    await this.run(
      "UPDATE refresh_tokens SET revoked_at = $1 WHERE pool_id = $2 AND origin_jti = $3 AND revoked_at IS NULL",
      [now, poolId, originJti],
    );
  }
  async revokeUserTokens(poolId: string, sub: string, now: number) {
    await this.run(
      "UPDATE refresh_tokens SET revoked_at = $1 WHERE pool_id = $2 AND sub = $3 AND revoked_at IS NULL",
      [now, poolId, sub],
    );
  }
  async purgeExpired(now: number) {
    await this.run("DELETE FROM auth_sessions WHERE expires_at <= $1", [now]);
    await this.run("DELETE FROM codes WHERE expires_at <= $1", [now]);
    await this.run("DELETE FROM counters WHERE expires_at <= $1", [now]);
    // Kept a day past expiry: access tokens (valid up to a day) check their origin's revocation here.
    await this.run("DELETE FROM refresh_tokens WHERE expires_at <= $1", [now - 86_400_000]);
    await this.run("DELETE FROM user_sessions WHERE expires_at <= $1", [now]);
  }
}
