/** PostgreSQL: user sessions of session tracking and the session configurations. */
import type { SessionSettingsRecord, UserSessionRecord } from "../records.ts";
import { userSessionFromRow } from "../rows.ts";
import type { SessionsRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresSessions extends PgRepository implements SessionsRepository {
  async getSessionSettings(poolId: string, clientId: string) {
    const r = await this.one("SELECT settings FROM session_settings WHERE pool_id = $1 AND client_id = $2", [
      poolId,
      clientId,
    ]);
    return r && (JSON.parse(String(r.settings)) as SessionSettingsRecord);
  }
  async getUserSession(poolId: string, sessionId: string) {
    const r = await this.one(
      `SELECT * FROM user_sessions WHERE pool_id = $1 AND session_id = $2${this.lock}`,
      [poolId, sessionId],
    );
    return r && userSessionFromRow(r);
  }
  async getSessionByOrigin(poolId: string, originJti: string) {
    const r = await this.one(
      `SELECT * FROM user_sessions WHERE pool_id = $1 AND origin_jti = $2${this.lock}`,
      [poolId, originJti],
    );
    return r && userSessionFromRow(r);
  }
  async listUserSessions(poolId: string, sub: string, now: number) {
    const rows = await this.rows(
      "SELECT * FROM user_sessions WHERE pool_id = $1 AND sub = $2 AND expires_at > $3 ORDER BY created_at, session_id",
      [poolId, sub, now],
    );
    return rows.map(userSessionFromRow);
  }
  async listLinkedSessions(poolId: string, ssoSessionId: string) {
    const rows = await this.rows(
      "SELECT * FROM user_sessions WHERE pool_id = $1 AND origin_session_id = $2 ORDER BY created_at, session_id",
      [poolId, ssoSessionId],
    );
    return rows.map(userSessionFromRow);
  }
  async putSessionSettings(poolId: string, clientId: string, settings: SessionSettingsRecord) {
    await this.run(
      "INSERT INTO session_settings (pool_id, client_id, settings) VALUES ($1, $2, $3) ON CONFLICT (pool_id, client_id) DO UPDATE SET settings = excluded.settings",
      [poolId, clientId, JSON.stringify(settings)],
    );
  }
  async insertUserSession(s: UserSessionRecord) {
    await this.run(
      "INSERT INTO user_sessions (pool_id, session_id, sub, type, client_id, origin_jti, origin_session_id, created_at, last_active_at, expires_at, device_type, last_ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      [
        s.poolId,
        s.sessionId,
        s.sub,
        s.type,
        s.clientId,
        s.originJti ?? null,
        s.originSessionId ?? null,
        s.createdAt,
        s.lastActiveAt,
        s.expiresAt,
        s.deviceType ?? null,
        s.lastIp ?? null,
      ],
    );
  }
  async updateUserSession(s: UserSessionRecord) {
    await this.run(
      "UPDATE user_sessions SET last_active_at = $1, expires_at = $2, device_type = $3, last_ip = $4 WHERE pool_id = $5 AND session_id = $6",
      [s.lastActiveAt, s.expiresAt, s.deviceType ?? null, s.lastIp ?? null, s.poolId, s.sessionId],
    );
  }
  async deleteUserSession(poolId: string, sessionId: string) {
    await this.run("DELETE FROM user_sessions WHERE pool_id = $1 AND session_id = $2", [poolId, sessionId]);
  }
  async deleteUserSessions(poolId: string, sub: string) {
    await this.run("DELETE FROM user_sessions WHERE pool_id = $1 AND sub = $2", [poolId, sub]);
  }
}
