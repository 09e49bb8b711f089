/** SQLite: Pools, app clients and client secrets. */
import { decodeCursor, page } from "../cursor.ts";
import type { ClientRecord, ClientSecretRecord, PoolRecord } from "../records.ts";
import { clientFromRow, clientSecretFromRow, poolFromRow } from "../rows.ts";
import { DuplicateKeyError, type PoolsRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqlitePools extends SqliteRepository implements PoolsRepository {
  async getPool(poolId: string) {
    const r = this.q("SELECT * FROM pools WHERE id = ?").get(poolId) as Row | undefined;
    return r && poolFromRow(r);
  }
  async listPools(region: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q("SELECT * FROM pools WHERE region = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      region,
      seq,
      limit + 1,
    ) as Row[];
    return page(rows, limit, poolFromRow, (r) => [Number(r.seq)]);
  }
  async insertPool(p: PoolRecord) {
    try {
      this.q(
        "INSERT INTO pools (id, name, region, created_at, updated_at, settings, tags, user_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
      ).run(
        p.id,
        p.name,
        p.region,
        p.createdAt,
        p.updatedAt,
        JSON.stringify(p.settings),
        JSON.stringify(p.tags),
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("pool exists");
      throw e;
    }
  }
  async updatePool(p: PoolRecord) {
    this.q("UPDATE pools SET name = ?, updated_at = ?, settings = ?, tags = ? WHERE id = ?").run(
      p.name,
      p.updatedAt,
      JSON.stringify(p.settings),
      JSON.stringify(p.tags),
      p.id,
    );
    this.poolChanged(p.id);
  }
  async deletePool(poolId: string) {
    this.q("DELETE FROM group_members WHERE pool_id = ?").run(poolId);
    this.q("DELETE FROM pools WHERE id = ?").run(poolId);
    this.poolChanged(poolId);
  }
  async getClient(poolId: string, clientId: string) {
    const r = this.q("SELECT * FROM clients WHERE pool_id = ? AND client_id = ?").get(poolId, clientId) as
      Row | undefined;
    return r && clientFromRow(r);
  }
  async getClientById(clientId: string) {
    const r = this.q("SELECT * FROM clients WHERE client_id = ?").get(clientId) as Row | undefined;
    return r && clientFromRow(r);
  }
  async listClients(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q("SELECT * FROM clients WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      poolId,
      seq,
      limit + 1,
    ) as Row[];
    return page(rows, limit, clientFromRow, (r) => [Number(r.seq)]);
  }
  async insertClient(c: ClientRecord) {
    try {
      this.q(
        "INSERT INTO clients (pool_id, client_id, name, created_at, updated_at, settings) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(c.poolId, c.clientId, c.name, c.createdAt, c.updatedAt, JSON.stringify(c.settings));
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("client exists");
      throw e;
    }
  }
  async updateClient(c: ClientRecord) {
    this.q(
      "UPDATE clients SET name = ?, updated_at = ?, settings = ? WHERE pool_id = ? AND client_id = ?",
    ).run(c.name, c.updatedAt, JSON.stringify(c.settings), c.poolId, c.clientId);
  }
  async deleteClient(poolId: string, clientId: string) {
    this.q("DELETE FROM clients WHERE pool_id = ? AND client_id = ?").run(poolId, clientId);
  }
  async listClientSecrets(poolId: string, clientId: string) {
    const rows = this.q(
      "SELECT * FROM client_secrets WHERE pool_id = ? AND client_id = ? ORDER BY created_at, secret_id",
    ).all(poolId, clientId) as Row[];
    return rows.map(clientSecretFromRow);
  }
  async insertClientSecret(s: ClientSecretRecord) {
    this.q(
      "INSERT INTO client_secrets (pool_id, client_id, secret_id, secret, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(s.poolId, s.clientId, s.secretId, s.secret, s.createdAt);
  }
  async deleteClientSecret(poolId: string, clientId: string, secretId: string) {
    const r = this.q("DELETE FROM client_secrets WHERE pool_id = ? AND client_id = ? AND secret_id = ?").run(
      poolId,
      clientId,
      secretId,
    );
    return Number(r.changes) > 0;
  }
}
