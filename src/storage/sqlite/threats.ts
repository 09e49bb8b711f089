/** SQLite: threat protection's risk configurations and auth events. */
import { decodeCursor, page } from "../cursor.ts";
import type { AuthEventRecord, RiskConfigurationRecord } from "../records.ts";
import { authEventFromRow, riskConfigurationFromRow } from "../rows.ts";
import { DuplicateKeyError, type ThreatsRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteThreats extends SqliteRepository implements ThreatsRepository {
  async getRiskConfiguration(poolId: string, clientId: string) {
    const r = this.q("SELECT * FROM risk_configurations WHERE pool_id = ? AND client_id = ?").get(
      poolId,
      clientId,
    ) as Row | undefined;
    return r && riskConfigurationFromRow(r);
  }
  async getAuthEvent(poolId: string, eventId: string) {
    const r = this.q("SELECT * FROM auth_events WHERE pool_id = ? AND event_id = ?").get(poolId, eventId) as
      Row | undefined;
    return r && authEventFromRow(r);
  }
  async listAuthEvents(poolId: string, sub: string, limit: number, after?: string) {
    const key = after ? decodeCursor(after, 2) : undefined;
    const rows = (
      key
        ? this.q(
            "SELECT * FROM auth_events WHERE pool_id = ? AND sub = ? AND (created_at < ? OR (created_at = ? AND event_id < ?)) ORDER BY created_at DESC, event_id DESC LIMIT ?",
          ).all(poolId, sub, Number(key[0]), Number(key[0]), String(key[1]), limit + 1)
        : this.q(
            "SELECT * FROM auth_events WHERE pool_id = ? AND sub = ? ORDER BY created_at DESC, event_id DESC LIMIT ?",
          ).all(poolId, sub, limit + 1)
    ) as Row[];
    return page(rows, limit, authEventFromRow, (r) => [Number(r.created_at), r.event_id as string]);
  }
  async putRiskConfiguration(c: RiskConfigurationRecord) {
    this.q(
      "INSERT INTO risk_configurations (pool_id, client_id, config, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (pool_id, client_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
    ).run(c.poolId, c.clientId, JSON.stringify(c.config), c.updatedAt);
  }
  async deleteRiskConfiguration(poolId: string, clientId: string) {
    const r = this.q("DELETE FROM risk_configurations WHERE pool_id = ? AND client_id = ?").run(
      poolId,
      clientId,
    );
    return Number(r.changes) > 0;
  }
  async insertAuthEvent(e: AuthEventRecord) {
    try {
      this.q("INSERT INTO auth_events (pool_id, event_id, sub, created_at, data) VALUES (?, ?, ?, ?, ?)").run(
        e.poolId,
        e.eventId,
        e.sub,
        e.createdAt,
        JSON.stringify(e.data),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError("auth event exists");
      throw err;
    }
  }
  async updateAuthEvent(e: AuthEventRecord) {
    this.q("UPDATE auth_events SET data = ? WHERE pool_id = ? AND event_id = ?").run(
      JSON.stringify(e.data),
      e.poolId,
      e.eventId,
    );
  }
}
