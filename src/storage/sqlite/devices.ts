/** SQLite: devices of device tracking. */
import { decodeCursor, page } from "../cursor.ts";
import type { DeviceRecord } from "../records.ts";
import { deviceFromRow } from "../rows.ts";
import { DuplicateKeyError, type DevicesRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteDevices extends SqliteRepository implements DevicesRepository {
  async getDevice(poolId: string, deviceKey: string) {
    const r = this.q("SELECT * FROM devices WHERE device_key = ? AND pool_id = ?").get(deviceKey, poolId) as
      Row | undefined;
    return r && deviceFromRow(r);
  }
  async listDevices(poolId: string, sub: string, rememberedOnly: boolean, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT * FROM devices WHERE pool_id = ? AND sub = ? AND srp_verifier IS NOT NULL AND remembered >= ? AND device_key > ? ORDER BY device_key LIMIT ?",
    ).all(poolId, sub, rememberedOnly ? 1 : 0, last, limit + 1) as Row[];
    return page(rows, limit, deviceFromRow, (r) => [r.device_key as string]);
  }
  async insertDevice(d: DeviceRecord) {
    try {
      this.q(
        "INSERT INTO devices (device_key, pool_id, sub, group_key, srp_salt, srp_verifier, name, remembered, last_ip, created_at, updated_at, last_authenticated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
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
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("device exists");
      throw e;
    }
  }
  async updateDevice(d: DeviceRecord) {
    this.q(
      "UPDATE devices SET srp_salt = ?, srp_verifier = ?, name = ?, remembered = ?, last_ip = ?, updated_at = ?, last_authenticated_at = ? WHERE device_key = ? AND pool_id = ?",
    ).run(
      d.srpSalt ?? null,
      d.srpVerifier ?? null,
      d.name ?? null,
      d.remembered ? 1 : 0,
      d.lastIp ?? null,
      d.updatedAt,
      d.lastAuthenticatedAt ?? null,
      d.deviceKey,
      d.poolId,
    );
  }
  async deleteDevice(poolId: string, deviceKey: string) {
    const r = this.q("DELETE FROM devices WHERE device_key = ? AND pool_id = ?").run(deviceKey, poolId);
    return Number(r.changes) > 0;
  }
}
