/** SQLite: Codes and counters. */
import type { CodeRecord, CounterRecord } from "../records.ts";
import { codeFromRow, counterFromRow } from "../rows.ts";
import { type CodesRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

export class SqliteCodes extends SqliteRepository implements CodesRepository {
  async getCode(poolId: string, sub: string, purpose: string) {
    const r = this.q("SELECT * FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?").get(
      poolId,
      sub,
      purpose,
    ) as Row | undefined;
    return r && codeFromRow(r);
  }
  async putCode(c: CodeRecord) {
    this.q(
      "INSERT OR REPLACE INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(c.poolId, c.sub, c.purpose, c.codeHash, c.expiresAt, c.attempts, c.createdAt);
  }
  async consumeCode(poolId: string, sub: string, purpose: string, codeHash: string) {
    const r = this.q("DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ? AND code_hash = ?").run(
      poolId,
      sub,
      purpose,
      codeHash,
    );
    return Number(r.changes) > 0;
  }
  async countCodeAttempt(poolId: string, sub: string, purpose: string) {
    const r = this.q(
      "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND sub = ? AND purpose = ? RETURNING attempts",
    ).get(poolId, sub, purpose) as Row | undefined;
    return r ? Number(r.attempts) : 0;
  }
  async deleteCode(poolId: string, sub: string, purpose: string) {
    this.q("DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?").run(poolId, sub, purpose);
  }
  async lockCounter(poolId: string, key: string): Promise<CounterRecord> {
    // One connection, transactions one at a time: the row needs no lock of its own.
    const r = this.q("SELECT * FROM counters WHERE pool_id = ? AND key = ?").get(poolId, key) as
      Row | undefined;
    return r ? counterFromRow(r) : { poolId, key, count: 0, since: 0, expiresAt: 0 };
  }
  async putCounter(c: CounterRecord) {
    this.q(
      "INSERT OR REPLACE INTO counters (pool_id, key, count, since, locked_until, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(c.poolId, c.key, c.count, c.since, c.lockedUntil ?? null, c.expiresAt);
  }
  async deleteCounter(poolId: string, key: string) {
    this.q("DELETE FROM counters WHERE pool_id = ? AND key = ?").run(poolId, key);
  }
}
