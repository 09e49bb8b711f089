/**
 * Replicas of user pools in other regions (multi-Region replication). Written rules:
 * - A pool has at most one record per region; a replica is deleted with its pool.
 * - `listReplicas` answers a pool's replicas in a stable order (by region).
 */
import type { ReplicaRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface ReplicasReader {
  getReplica(poolId: string, region: string): Promise<ReplicaRecord | undefined>;
  listReplicas(poolId: string): Promise<ReplicaRecord[]>;
}

export interface ReplicasRepository extends ReplicasReader {
  /** DuplicateKeyError when the pool has a replica in that region. */
  insertReplica(replica: ReplicaRecord): Promise<void>;
  /** Writes the status, the tags and the update date. */
  updateReplica(replica: ReplicaRecord): Promise<void>;
  /** False when there was no such replica. */
  deleteReplica(poolId: string, region: string): Promise<boolean>;
}

export const REPLICAS = repository<ReplicasReader, ReplicasRepository>({
  getReplica: true,
  listReplicas: true,
});
