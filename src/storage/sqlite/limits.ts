/** SQLite: provisioned request-rate limits and the heartbeats of the instances that enforce them. */
import type { ProvisionedLimitRecord } from "../records.ts";
import { provisionedLimitFromRow } from "../rows.ts";
import type { LimitsRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteLimits extends SqliteRepository implements LimitsRepository {
  async listProvisionedLimits() {
    const rows = this.q("SELECT * FROM provisioned_limits ORDER BY region, category").all() as Row[];
    return rows.map(provisionedLimitFromRow);
  }
  async getProvisionedLimit(region: string, category: string) {
    const r = this.q("SELECT * FROM provisioned_limits WHERE region = ? AND category = ?").get(
      region,
      category,
    ) as Row | undefined;
    return r && provisionedLimitFromRow(r);
  }
  async liveInstances(since: number) {
    const r = this.q("SELECT COUNT(*) AS n FROM limiter_instances WHERE beat_at >= ?").get(since) as Row;
    return Number(r.n);
  }
  async putProvisionedLimit(l: ProvisionedLimitRecord) {
    this.q(
      "INSERT INTO provisioned_limits (region, category, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (region, category) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    ).run(l.region, l.category, l.value, l.updatedAt);
  }
  async beat(instanceId: string, at: number, forgetBefore: number) {
    this.q(
      "INSERT INTO limiter_instances (instance_id, beat_at) VALUES (?, ?) ON CONFLICT (instance_id) DO UPDATE SET beat_at = excluded.beat_at",
    ).run(instanceId, at);
    this.q("DELETE FROM limiter_instances WHERE beat_at < ?").run(forgetBefore);
  }
  async leave(instanceId: string) {
    this.q("DELETE FROM limiter_instances WHERE instance_id = ?").run(instanceId);
  }
}
