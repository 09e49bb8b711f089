/** PostgreSQL: threat protection's risk configurations and auth events. */
import { decodeCursor, page } from "../cursor.ts";
import type { AuthEventRecord, RiskConfigurationRecord } from "../records.ts";
import { authEventFromRow, riskConfigurationFromRow } from "../rows.ts";
import { DuplicateKeyError, type ThreatsRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresThreats extends PgRepository implements ThreatsRepository {
  async getRiskConfiguration(poolId: string, clientId: string) {
    const r = await this.one("SELECT * FROM risk_configurations WHERE pool_id = $1 AND client_id = $2", [
      poolId,
      clientId,
    ]);
    return r && riskConfigurationFromRow(r);
  }
  async getAuthEvent(poolId: string, eventId: string) {
    const r = await this.one(`SELECT * FROM auth_events WHERE pool_id = $1 AND event_id = $2${this.lock}`, [
      poolId,
      eventId,
    ]);
    return r && authEventFromRow(r);
  }
  async listAuthEvents(poolId: string, sub: string, limit: number, after?: string) {
    const key = after ? decodeCursor(after, 2) : undefined;
    const rows = key
      ? await this.rows(
          "SELECT * FROM auth_events WHERE pool_id = $1 AND sub = $2 AND (created_at, event_id) < ($3, $4) ORDER BY created_at DESC, event_id DESC LIMIT $5",
          [poolId, sub, Number(key[0]), String(key[1]), limit + 1],
        )
      : await this.rows(
          "SELECT * FROM auth_events WHERE pool_id = $1 AND sub = $2 ORDER BY created_at DESC, event_id DESC LIMIT $3",
          [poolId, sub, limit + 1],
        );
    return page(rows, limit, authEventFromRow, (r) => [Number(r.created_at), r.event_id as string]);
  }
  async putRiskConfiguration(c: RiskConfigurationRecord) {
    await this.run(
      "INSERT INTO risk_configurations (pool_id, client_id, config, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (pool_id, client_id) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at",
      [c.poolId, c.clientId, JSON.stringify(c.config), c.updatedAt],
    );
  }
  async deleteRiskConfiguration(poolId: string, clientId: string) {
    return (
      (await this.run("DELETE FROM risk_configurations WHERE pool_id = $1 AND client_id = $2", [
        poolId,
        clientId,
      ])) > 0
    );
  }
  async insertAuthEvent(e: AuthEventRecord) {
    const n = await this.run(
      "INSERT INTO auth_events (pool_id, event_id, sub, created_at, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [e.poolId, e.eventId, e.sub, e.createdAt, JSON.stringify(e.data)],
    );
    if (n === 0) throw new DuplicateKeyError("auth event exists");
  }
  async updateAuthEvent(e: AuthEventRecord) {
    await this.run("UPDATE auth_events SET data = $1 WHERE pool_id = $2 AND event_id = $3", [
      JSON.stringify(e.data),
      e.poolId,
      e.eventId,
    ]);
  }
}
