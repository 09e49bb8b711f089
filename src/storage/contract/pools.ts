/** Pools, their app clients and the clients' secrets. */
import type { ClientRecord, ClientSecretRecord, PoolRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface PoolsReader {
  getPool(poolId: string): Promise<PoolRecord | undefined>;
  /** Pools of one region. */
  listPools(region: string, limit: number, after?: string): Promise<Page<PoolRecord>>;

  getClient(poolId: string, clientId: string): Promise<ClientRecord | undefined>;
  /** By client id alone (unauthenticated operations name only the client). */
  getClientById(clientId: string): Promise<ClientRecord | undefined>;
  listClients(poolId: string, limit: number, after?: string): Promise<Page<ClientRecord>>;
  listClientSecrets(poolId: string, clientId: string): Promise<ClientSecretRecord[]>;
}

export interface PoolsRepository extends PoolsReader {
  insertPool(pool: PoolRecord): Promise<void>;
  updatePool(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it. */
  deletePool(poolId: string): Promise<void>;

  insertClient(client: ClientRecord): Promise<void>;
  updateClient(client: ClientRecord): Promise<void>;
  deleteClient(poolId: string, clientId: string): Promise<void>;
  insertClientSecret(secret: ClientSecretRecord): Promise<void>;
  deleteClientSecret(poolId: string, clientId: string, secretId: string): Promise<boolean>;
}

export const POOLS = repository<PoolsReader, PoolsRepository>({
  getPool: true,
  listPools: true,
  getClient: true,
  getClientById: true,
  listClients: true,
  listClientSecrets: true,
});
