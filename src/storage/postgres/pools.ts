import { page } from "../cursor.ts";
/** PostgreSQL: Pools, app clients and client secrets. */
import type { ClientRecord, ClientSecretRecord, PoolRecord } from "../records.ts";
import { clientFromRow, clientSecretFromRow, poolFromRow } from "../rows.ts";
import { DuplicateKeyError, type PoolsRepository } from "../storage.ts";
import type { ReadBatcher } from "./batch.ts";
import { type Db, PgRepository, seqOf, singleBatcher } from "./db.ts";

const POOL_BY_ID = "SELECT * FROM pools WHERE id = $1";

const CLIENT_BY_ID = "SELECT * FROM clients WHERE client_id = $1";

export class PostgresPools extends PgRepository implements PoolsRepository {
  /** Point reads outside a transaction, batched (batch.ts). */
  private readonly batch: { pool: ReadBatcher<string>; client: ReadBatcher<string> } | undefined;

  constructor(db: Db, inTransaction: boolean) {
    super(db, inTransaction);
    this.batch = inTransaction
      ? undefined
      : {
          pool: singleBatcher(db, "pools", "id", POOL_BY_ID),
          client: singleBatcher(db, "clients", "client_id", CLIENT_BY_ID),
        };
  }

  async getPool(poolId: string) {
    const r = this.batch
      ? await this.batch.pool.load(poolId)
      : await this.one(`${POOL_BY_ID}${this.lock}`, [poolId]);
    return r && poolFromRow(r);
  }
  async listPools(region: string, limit: number, after?: string) {
    const rows = await this.rows("SELECT * FROM pools WHERE region = $1 AND seq > $2 ORDER BY seq LIMIT $3", [
      region,
      seqOf(after),
      limit + 1,
    ]);
    return page(rows, limit, poolFromRow, (r) => [Number(r.seq)]);
  }
  async insertPool(p: PoolRecord) {
    const n = await this.run(
      "INSERT INTO pools (id, name, region, created_at, updated_at, settings, tags, user_count) VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT DO NOTHING",
      [p.id, p.name, p.region, p.createdAt, p.updatedAt, JSON.stringify(p.settings), JSON.stringify(p.tags)],
    );
    if (n === 0) throw new DuplicateKeyError("pool exists");
  }
  async updatePool(p: PoolRecord) {
    await this.run("UPDATE pools SET name = $1, updated_at = $2, settings = $3, tags = $4 WHERE id = $5", [
      p.name,
      p.updatedAt,
      JSON.stringify(p.settings),
      JSON.stringify(p.tags),
      p.id,
    ]);
  }
  async deletePool(poolId: string) {
    // Everything of the pool goes with it (ON DELETE CASCADE).
    await this.run("DELETE FROM pools WHERE id = $1", [poolId]);
  }
  async getClient(poolId: string, clientId: string) {
    if (this.batch) {
      // Client ids are unique across pools: one batched lookup by id, then the pool must match.
      const r = await this.batch.client.load(clientId);
      return r && r.pool_id === poolId ? clientFromRow(r) : undefined;
    }
    const r = await this.one(`SELECT * FROM clients WHERE pool_id = $1 AND client_id = $2${this.lock}`, [
      poolId,
      clientId,
    ]);
    return r && clientFromRow(r);
  }
  async getClientById(clientId: string) {
    const r = this.batch ? await this.batch.client.load(clientId) : await this.one(CLIENT_BY_ID, [clientId]);
    return r && clientFromRow(r);
  }
  async listClients(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM clients WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, clientFromRow, (r) => [Number(r.seq)]);
  }
  async insertClient(c: ClientRecord) {
    const n = await this.run(
      "INSERT INTO clients (pool_id, client_id, name, created_at, updated_at, settings) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [c.poolId, c.clientId, c.name, c.createdAt, c.updatedAt, JSON.stringify(c.settings)],
    );
    if (n === 0) throw new DuplicateKeyError("client exists");
  }
  async updateClient(c: ClientRecord) {
    await this.run(
      "UPDATE clients SET name = $1, updated_at = $2, settings = $3 WHERE pool_id = $4 AND client_id = $5",
      [c.name, c.updatedAt, JSON.stringify(c.settings), c.poolId, c.clientId],
    );
  }
  async deleteClient(poolId: string, clientId: string) {
    await this.run("DELETE FROM clients WHERE pool_id = $1 AND client_id = $2", [poolId, clientId]);
  }
  async listClientSecrets(poolId: string, clientId: string) {
    const rows = await this.rows(
      "SELECT * FROM client_secrets WHERE pool_id = $1 AND client_id = $2 ORDER BY created_at, secret_id",
      [poolId, clientId],
    );
    return rows.map(clientSecretFromRow);
  }
  async insertClientSecret(s: ClientSecretRecord) {
    const n = await this.run(
      "INSERT INTO client_secrets (pool_id, client_id, secret_id, secret, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [s.poolId, s.clientId, s.secretId, s.secret, s.createdAt],
    );
    if (n === 0) throw new DuplicateKeyError("client secret exists");
  }
  async deleteClientSecret(poolId: string, clientId: string, secretId: string) {
    const n = await this.run(
      "DELETE FROM client_secrets WHERE pool_id = $1 AND client_id = $2 AND secret_id = $3",
      [poolId, clientId, secretId],
    );
    return n > 0;
  }
}
