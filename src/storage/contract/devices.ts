/**
 * Devices of device tracking (remembered devices). Written rules:
 * - A device key is unique (across pools); a device belongs to one user of one pool, and is
 *   deleted with the user and with the pool.
 * - `listDevices` lists only confirmed devices (those with an SRP verifier), and with
 *   `rememberedOnly` only the remembered ones among them, in a stable order, keyset-paged.
 */
import type { DeviceRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface DevicesReader {
  getDevice(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined>;
  /** The user's confirmed devices (only the remembered ones with `rememberedOnly`), by device key. */
  listDevices(
    poolId: string,
    sub: string,
    rememberedOnly: boolean,
    limit: number,
    after?: string,
  ): Promise<Page<DeviceRecord>>;
}

export interface DevicesRepository extends DevicesReader {
  /** DuplicateKeyError when the device key exists. */
  insertDevice(device: DeviceRecord): Promise<void>;
  /** Writes every field but the keys (pool, device key, user, group key, creation date). */
  updateDevice(device: DeviceRecord): Promise<void>;
  /** False when there was no such device. */
  deleteDevice(poolId: string, deviceKey: string): Promise<boolean>;
}

export const DEVICES = repository<DevicesReader, DevicesRepository>({
  getDevice: true,
  listDevices: true,
});
