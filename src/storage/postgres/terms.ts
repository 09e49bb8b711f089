/** PostgreSQL: app clients' terms documents and pools' log delivery configurations. */
import { page } from "../cursor.ts";
import type { LogDeliveryRecord, TermsRecord } from "../records.ts";
import { logDeliveryFromRow, termsFromRow } from "../rows.ts";
import { DuplicateKeyError, type LogDeliveryRepository, type TermsRepository } from "../storage.ts";
import { PgRepository, seqOf } from "./db.ts";

/** A unique violation of `terms` (SQLSTATE 23505). */
function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown }).code === "23505";
}

export class PostgresTerms extends PgRepository implements TermsRepository {
  async getTerms(poolId: string, termsId: string) {
    const r = await this.one(`SELECT * FROM terms WHERE pool_id = $1 AND terms_id = $2${this.lock}`, [
      poolId,
      termsId,
    ]);
    return r && termsFromRow(r);
  }
  async getTermsByClient(poolId: string, clientId: string, termsName: string) {
    const r = await this.one(
      `SELECT * FROM terms WHERE pool_id = $1 AND client_id = $2 AND terms_name = $3${this.lock}`,
      [poolId, clientId, termsName],
    );
    return r && termsFromRow(r);
  }
  async termsOfClient(poolId: string, clientId: string) {
    const rows = await this.rows("SELECT * FROM terms WHERE pool_id = $1 AND client_id = $2 ORDER BY seq", [
      poolId,
      clientId,
    ]);
    return rows.map(termsFromRow);
  }
  async listTerms(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM terms WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, termsFromRow, (r) => [Number(r.seq)]);
  }
  async countTerms(poolId: string) {
    const r = await this.one("SELECT COUNT(*) AS n FROM terms WHERE pool_id = $1", [poolId]);
    return Number(r?.n ?? 0);
  }
  async insertTerms(t: TermsRecord) {
    const n = await this.run(
      "INSERT INTO terms (pool_id, terms_id, client_id, terms_name, terms_source, enforcement, links, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
      [
        t.poolId,
        t.termsId,
        t.clientId,
        t.termsName,
        t.termsSource,
        t.enforcement,
        JSON.stringify(t.links),
        t.createdAt,
        t.updatedAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("terms exist");
  }
  async updateTerms(t: TermsRecord) {
    try {
      await this.run(
        "UPDATE terms SET terms_name = $1, terms_source = $2, enforcement = $3, links = $4, updated_at = $5 WHERE pool_id = $6 AND terms_id = $7",
        [
          t.termsName,
          t.termsSource,
          t.enforcement,
          JSON.stringify(t.links),
          t.updatedAt,
          t.poolId,
          t.termsId,
        ],
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("terms exist");
      throw e;
    }
  }
  async deleteTerms(poolId: string, termsId: string) {
    await this.run("DELETE FROM terms WHERE pool_id = $1 AND terms_id = $2", [poolId, termsId]);
  }
}

export class PostgresLogDelivery extends PgRepository implements LogDeliveryRepository {
  async getLogDelivery(poolId: string) {
    const r = await this.one(`SELECT * FROM log_delivery WHERE pool_id = $1${this.lock}`, [poolId]);
    return r && logDeliveryFromRow(r);
  }
  async putLogDelivery(l: LogDeliveryRecord) {
    await this.run(
      "INSERT INTO log_delivery (pool_id, configurations, updated_at) VALUES ($1, $2, $3) ON CONFLICT (pool_id) DO UPDATE SET configurations = excluded.configurations, updated_at = excluded.updated_at",
      [l.poolId, JSON.stringify(l.configurations), l.updatedAt],
    );
  }
}
