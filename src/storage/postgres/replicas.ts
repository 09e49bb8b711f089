/** PostgreSQL: replicas of pools in other regions. */
import type { ReplicaRecord } from "../records.ts";
import { replicaFromRow } from "../rows.ts";
import { DuplicateKeyError, type ReplicasRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresReplicas extends PgRepository implements ReplicasRepository {
  async getReplica(poolId: string, region: string) {
    const r = await this.one(`SELECT * FROM pool_replicas WHERE pool_id = $1 AND region = $2${this.lock}`, [
      poolId,
      region,
    ]);
    return r && replicaFromRow(r);
  }
  async listReplicas(poolId: string) {
    const rows = await this.rows("SELECT * FROM pool_replicas WHERE pool_id = $1 ORDER BY region", [poolId]);
    return rows.map(replicaFromRow);
  }
  async insertReplica(r: ReplicaRecord) {
    const n = await this.run(
      "INSERT INTO pool_replicas (pool_id, region, status, tags, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [r.poolId, r.region, r.status, JSON.stringify(r.tags), r.createdAt, r.updatedAt],
    );
    if (n === 0) throw new DuplicateKeyError("replica exists");
  }
  async updateReplica(r: ReplicaRecord) {
    await this.run(
      "UPDATE pool_replicas SET status = $1, tags = $2, updated_at = $3 WHERE pool_id = $4 AND region = $5",
      [r.status, JSON.stringify(r.tags), r.updatedAt, r.poolId, r.region],
    );
  }
  async deleteReplica(poolId: string, region: string) {
    return (
      (await this.run("DELETE FROM pool_replicas WHERE pool_id = $1 AND region = $2", [poolId, region])) > 0
    );
  }
}
