/** PostgreSQL: Codes and counters. */
import type { CodeRecord, CounterRecord } from "../records.ts";
import { codeFromRow, counterFromRow } from "../rows.ts";
import { type CodesRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

export class PostgresCodes extends PgRepository implements CodesRepository {
  async getCode(poolId: string, sub: string, purpose: string) {
    const r = await this.one(
      `SELECT * FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3${this.lock}`,
      [poolId, sub, purpose],
    );
    return r && codeFromRow(r);
  }
  async putCode(c: CodeRecord) {
    await this.run(
      "INSERT INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, attempts = EXCLUDED.attempts, created_at = EXCLUDED.created_at",
      [c.poolId, c.sub, c.purpose, c.codeHash, c.expiresAt, c.attempts, c.createdAt],
    );
  }
  async consumeCode(poolId: string, sub: string, purpose: string, codeHash: string) {
    const n = await this.run(
      "DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND code_hash = $4",
      [poolId, sub, purpose, codeHash],
    );
    return n > 0;
  }
  async countCodeAttempt(poolId: string, sub: string, purpose: string) {
    const r = await this.one(
      "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = $1 AND sub = $2 AND purpose = $3 RETURNING attempts",
      [poolId, sub, purpose],
    );
    return r ? Number(r.attempts) : 0;
  }
  async deleteCode(poolId: string, sub: string, purpose: string) {
    await this.run("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3", [
      poolId,
      sub,
      purpose,
    ]);
  }
  async lockCounter(poolId: string, key: string): Promise<CounterRecord> {
    // The row is made first (a concurrent maker waits for the other's commit, then does nothing),
    // so that the lock below always has a row to hold, even for a counter's first event.
    await this.run(
      "INSERT INTO counters (pool_id, key, count, since, expires_at) VALUES ($1, $2, 0, 0, 0) ON CONFLICT DO NOTHING",
      [poolId, key],
    );
    const r = await this.one("SELECT * FROM counters WHERE pool_id = $1 AND key = $2 FOR UPDATE", [
      poolId,
      key,
    ]);
    return counterFromRow(r!);
  }
  async putCounter(c: CounterRecord) {
    await this.run(
      "INSERT INTO counters (pool_id, key, count, since, locked_until, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pool_id, key) DO UPDATE SET count = EXCLUDED.count, since = EXCLUDED.since, locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at",
      [c.poolId, c.key, c.count, c.since, c.lockedUntil ?? null, c.expiresAt],
    );
  }
  async deleteCounter(poolId: string, key: string) {
    await this.run("DELETE FROM counters WHERE pool_id = $1 AND key = $2", [poolId, key]);
  }
}
