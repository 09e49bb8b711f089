/** PostgreSQL: devices of device tracking. */
import { page } from "../cursor.ts";
import type { DeviceRecord } from "../records.ts";
import { deviceFromRow } from "../rows.ts";
import { DuplicateKeyError, type DevicesRepository } from "../storage.ts";
import { nameOf, PgRepository } from "./db.ts";

export class PostgresDevices extends PgRepository implements DevicesRepository {
  async getDevice(poolId: string, deviceKey: string) {
    const r = await this.one(`SELECT * FROM devices WHERE device_key = $1 AND pool_id = $2${this.lock}`, [
      deviceKey,
      poolId,
    ]);
    return r && deviceFromRow(r);
  }
  async listDevices(poolId: string, sub: string, rememberedOnly: boolean, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM devices WHERE pool_id = $1 AND sub = $2 AND srp_verifier IS NOT NULL AND remembered >= $3 AND device_key > $4 ORDER BY device_key LIMIT $5",
      [poolId, sub, rememberedOnly ? 1 : 0, nameOf(after), limit + 1],
    );
    return page(rows, limit, deviceFromRow, (r) => [r.device_key as string]);
  }
  async insertDevice(d: DeviceRecord) {
    const n = await this.run(
      "INSERT INTO devices (device_key, pool_id, sub, group_key, srp_salt, srp_verifier, name, remembered, last_ip, created_at, updated_at, last_authenticated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
      [
        d.deviceKey,
        d.poolId,
        d.sub,
        d.groupKey,
        d.srpSalt ?? null,
        d.srpVerifier ?? null,
        d.name ?? null,
        d.remembered ? 1 : 0,
        d.lastIp ?? null,
        d.createdAt,
        d.updatedAt,
        d.lastAuthenticatedAt ?? null,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("device exists");
  }
  async updateDevice(d: DeviceRecord) {
    await this.run(
      "UPDATE devices SET srp_salt = $1, srp_verifier = $2, name = $3, remembered = $4, last_ip = $5, updated_at = $6, last_authenticated_at = $7 WHERE device_key = $8 AND pool_id = $9",
      [
        d.srpSalt ?? null,
        d.srpVerifier ?? null,
        d.name ?? null,
        d.remembered ? 1 : 0,
        d.lastIp ?? null,
        d.updatedAt,
        d.lastAuthenticatedAt ?? null,
        d.deviceKey,
        d.poolId,
      ],
    );
  }
  async deleteDevice(poolId: string, deviceKey: string) {
    return (
      (await this.run("DELETE FROM devices WHERE device_key = $1 AND pool_id = $2", [deviceKey, poolId])) > 0
    );
  }
}
