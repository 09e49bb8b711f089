/** PostgreSQL: provisioned request-rate limits and the heartbeats of the instances that enforce them. */
import type { ProvisionedLimitRecord } from "../records.ts";
import { provisionedLimitFromRow } from "../rows.ts";
import type { LimitsRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresLimits extends PgRepository implements LimitsRepository {
  async listProvisionedLimits() {
    const rows = await this.rows("SELECT * FROM provisioned_limits ORDER BY region, category", []);
    return rows.map(provisionedLimitFromRow);
  }
  async getProvisionedLimit(region: string, category: string) {
    const r = await this.one(
      `SELECT * FROM provisioned_limits WHERE region = $1 AND category = $2${this.lock}`,
      [region, category],
    );
    return r && provisionedLimitFromRow(r);
  }
  async liveInstances(since: number) {
    const r = await this.one("SELECT COUNT(*) AS n FROM limiter_instances WHERE beat_at >= $1", [since]);
    return Number(r?.n ?? 0);
  }
  async putProvisionedLimit(l: ProvisionedLimitRecord) {
    await this.run(
      "INSERT INTO provisioned_limits (region, category, value, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (region, category) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      [l.region, l.category, l.value, l.updatedAt],
    );
  }
  async beat(instanceId: string, at: number, forgetBefore: number) {
    await this.run(
      "INSERT INTO limiter_instances (instance_id, beat_at) VALUES ($1, $2) ON CONFLICT (instance_id) DO UPDATE SET beat_at = excluded.beat_at",
      [instanceId, at],
    );
    await this.run("DELETE FROM limiter_instances WHERE beat_at < $1", [forgetBefore]);
  }
  async leave(instanceId: string) {
    await this.run("DELETE FROM limiter_instances WHERE instance_id = $1", [instanceId]);
  }
}
