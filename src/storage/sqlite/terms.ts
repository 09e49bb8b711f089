/** SQLite: app clients' terms documents and pools' log delivery configurations. */
import { decodeCursor, page } from "../cursor.ts";
import type { LogDeliveryRecord, TermsRecord } from "../records.ts";
import { logDeliveryFromRow, termsFromRow } from "../rows.ts";
import { DuplicateKeyError, type LogDeliveryRepository, type TermsRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteTerms extends SqliteRepository implements TermsRepository {
  async getTerms(poolId: string, termsId: string) {
    const r = this.q("SELECT * FROM terms WHERE pool_id = ? AND terms_id = ?").get(poolId, termsId) as
      Row | undefined;
    return r && termsFromRow(r);
  }
  async getTermsByClient(poolId: string, clientId: string, termsName: string) {
    const r = this.q("SELECT * FROM terms WHERE pool_id = ? AND client_id = ? AND terms_name = ?").get(
      poolId,
      clientId,
      termsName,
    ) as Row | undefined;
    return r && termsFromRow(r);
  }
  async termsOfClient(poolId: string, clientId: string) {
    const rows = this.q("SELECT * FROM terms WHERE pool_id = ? AND client_id = ? ORDER BY seq").all(
      poolId,
      clientId,
    ) as Row[];
    return rows.map(termsFromRow);
  }
  async listTerms(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q("SELECT * FROM terms WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      poolId,
      seq,
      limit + 1,
    ) as Row[];
    return page(rows, limit, termsFromRow, (r) => [Number(r.seq)]);
  }
  async countTerms(poolId: string) {
    const r = this.q("SELECT COUNT(*) AS n FROM terms WHERE pool_id = ?").get(poolId) as Row;
    return Number(r.n);
  }
  async insertTerms(t: TermsRecord) {
    try {
      this.q(
        "INSERT INTO terms (pool_id, terms_id, client_id, terms_name, terms_source, enforcement, links, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        t.poolId,
        t.termsId,
        t.clientId,
        t.termsName,
        t.termsSource,
        t.enforcement,
        JSON.stringify(t.links),
        t.createdAt,
        t.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("terms exist");
      throw e;
    }
  }
  async updateTerms(t: TermsRecord) {
    try {
      this.q(
        "UPDATE terms SET terms_name = ?, terms_source = ?, enforcement = ?, links = ?, updated_at = ? WHERE pool_id = ? AND terms_id = ?",
      ).run(
        t.termsName,
        t.termsSource,
        t.enforcement,
        JSON.stringify(t.links),
        t.updatedAt,
        t.poolId,
        t.termsId,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("terms exist");
      throw e;
    }
  }
  async deleteTerms(poolId: string, termsId: string) {
    this.q("DELETE FROM terms WHERE pool_id = ? AND terms_id = ?").run(poolId, termsId);
  }
}

export class SqliteLogDelivery extends SqliteRepository implements LogDeliveryRepository {
  async getLogDelivery(poolId: string) {
    const r = this.q("SELECT * FROM log_delivery WHERE pool_id = ?").get(poolId) as Row | undefined;
    return r && logDeliveryFromRow(r);
  }
  async putLogDelivery(l: LogDeliveryRecord) {
    this.q(
      "INSERT INTO log_delivery (pool_id, configurations, updated_at) VALUES (?, ?, ?) ON CONFLICT (pool_id) DO UPDATE SET configurations = excluded.configurations, updated_at = excluded.updated_at",
    ).run(l.poolId, JSON.stringify(l.configurations), l.updatedAt);
  }
}
