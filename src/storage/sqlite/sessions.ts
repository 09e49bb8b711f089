/** SQLite: user sessions of session tracking and the session configurations. */
import type { SessionSettingsRecord, UserSessionRecord } from "../records.ts";
import { userSessionFromRow } from "../rows.ts";
import type { SessionsRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteSessions extends SqliteRepository implements SessionsRepository {
  async getSessionSettings(poolId: string, clientId: string) {
    const r = this.q("SELECT settings FROM session_settings WHERE pool_id = ? AND client_id = ?").get(
      poolId,
      clientId,
    ) as Row | undefined;
    return r && (JSON.parse(String(r.settings)) as SessionSettingsRecord);
  }
  async getUserSession(poolId: string, sessionId: string) {
    const r = this.q("SELECT * FROM user_sessions WHERE pool_id = ? AND session_id = ?").get(
      poolId,
      sessionId,
    ) as Row | undefined;
    return r && userSessionFromRow(r);
  }
  async getSessionByOrigin(poolId: string, originJti: string) {
    const r = this.q("SELECT * FROM user_sessions WHERE pool_id = ? AND origin_jti = ?").get(
      poolId,
      originJti,
    ) as Row | undefined;
    return r && userSessionFromRow(r);
  }
  async listUserSessions(poolId: string, sub: string, now: number) {
    const rows = this.q(
      "SELECT * FROM user_sessions WHERE pool_id = ? AND sub = ? AND expires_at > ? ORDER BY created_at, session_id",
    ).all(poolId, sub, now) as Row[];
    return rows.map(userSessionFromRow);
  }
  async listLinkedSessions(poolId: string, ssoSessionId: string) {
    const rows = this.q(
      "SELECT * FROM user_sessions WHERE pool_id = ? AND origin_session_id = ? ORDER BY created_at, session_id",
    ).all(poolId, ssoSessionId) as Row[];
    return rows.map(userSessionFromRow);
  }
  async putSessionSettings(poolId: string, clientId: string, settings: SessionSettingsRecord) {
    this.q(
      "INSERT INTO session_settings (pool_id, client_id, settings) VALUES (?, ?, ?) ON CONFLICT (pool_id, client_id) DO UPDATE SET settings = excluded.settings",
    ).run(poolId, clientId, JSON.stringify(settings));
  }
  async insertUserSession(s: UserSessionRecord) {
    this.q(
      "INSERT INTO user_sessions (pool_id, session_id, sub, type, client_id, origin_jti, origin_session_id, created_at, last_active_at, expires_at, device_type, last_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
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
    );
  }
  async updateUserSession(s: UserSessionRecord) {
    this.q(
      "UPDATE user_sessions SET last_active_at = ?, expires_at = ?, device_type = ?, last_ip = ? WHERE pool_id = ? AND session_id = ?",
    ).run(s.lastActiveAt, s.expiresAt, s.deviceType ?? null, s.lastIp ?? null, s.poolId, s.sessionId);
  }
  async deleteUserSession(poolId: string, sessionId: string) {
    this.q("DELETE FROM user_sessions WHERE pool_id = ? AND session_id = ?").run(poolId, sessionId);
  }
  async deleteUserSessions(poolId: string, sub: string) {
    this.q("DELETE FROM user_sessions WHERE pool_id = ? AND sub = ?").run(poolId, sub);
  }
}
