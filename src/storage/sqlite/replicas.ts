/** SQLite: replicas of pools in other regions. */
import type { ReplicaRecord } from "../records.ts";
import { replicaFromRow } from "../rows.ts";
import { DuplicateKeyError, type ReplicasRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteReplicas extends SqliteRepository implements ReplicasRepository {
  async getReplica(poolId: string, region: string) {
    const r = this.q("SELECT * FROM pool_replicas WHERE pool_id = ? AND region = ?").get(poolId, region) as
      Row | undefined;
    return r && replicaFromRow(r);
  }
  async listReplicas(poolId: string) {
    const rows = this.q("SELECT * FROM pool_replicas WHERE pool_id = ? ORDER BY region").all(poolId) as Row[];
    return rows.map(replicaFromRow);
  }
  async insertReplica(r: ReplicaRecord) {
    try {
      this.q(
        "INSERT INTO pool_replicas (pool_id, region, status, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(r.poolId, r.region, r.status, JSON.stringify(r.tags), r.createdAt, r.updatedAt);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("replica exists");
      throw e;
    }
  }
  async updateReplica(r: ReplicaRecord) {
    this.q(
      "UPDATE pool_replicas SET status = ?, tags = ?, updated_at = ? WHERE pool_id = ? AND region = ?",
    ).run(r.status, JSON.stringify(r.tags), r.updatedAt, r.poolId, r.region);
  }
  async deleteReplica(poolId: string, region: string) {
    const r = this.q("DELETE FROM pool_replicas WHERE pool_id = ? AND region = ?").run(poolId, region);
    return Number(r.changes) > 0;
  }
}
