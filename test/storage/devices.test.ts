/** The storage contract, checked on every backend: devices (src/storage/contract/devices.ts). */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { DeviceRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, byteOrder, insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

function device(poolId: string, sub: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    poolId,
    deviceKey: `us-east-1_${randomUUID()}`,
    sub,
    groupKey: "-abcDEF123",
    remembered: false,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

const confirmed = { srpSalt: "0a1b2c", srpVerifier: "ff00ee", name: "laptop" };

for (const backend of backends()) {
  describe(`storage conformance, devices: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("round trip: new, confirmed, updated, deleted", async () => {
      const { poolId } = await poolIn(s);
      const u = f.user(poolId, "owner");
      await insertUsers(s, [u]);
      const d = device(poolId, u.sub);
      await s.transaction((tx) => tx.devices.insertDevice(d));
      assert.deepEqual(await s.devices.getDevice(poolId, d.deviceKey), d);
      await assert.rejects(
        s.transaction((tx) => tx.devices.insertDevice({ ...d })),
        DuplicateKeyError,
      );
      const full: DeviceRecord = {
        ...d,
        ...confirmed,
        remembered: true,
        lastIp: "192.0.2.1",
        updatedAt: 1_700_000_000_500,
        lastAuthenticatedAt: 1_700_000_000_900,
      };
      await s.transaction((tx) => tx.devices.updateDevice(full));
      assert.deepEqual(await s.devices.getDevice(poolId, d.deviceKey), full);
      // Another pool does not see it.
      const other = await poolIn(s);
      assert.equal(await s.devices.getDevice(other.poolId, d.deviceKey), undefined);
      assert.equal(await s.transaction((tx) => tx.devices.deleteDevice(other.poolId, d.deviceKey)), false);
      assert.equal(await s.transaction((tx) => tx.devices.deleteDevice(poolId, d.deviceKey)), true);
      assert.equal(await s.devices.getDevice(poolId, d.deviceKey), undefined);
      assert.equal(await s.transaction((tx) => tx.devices.deleteDevice(poolId, d.deviceKey)), false);
    });

    test("a user's confirmed devices, paged by key; other users' and unconfirmed ones left out", async () => {
      const { poolId } = await poolIn(s);
      const [a, b] = [f.user(poolId, "a"), f.user(poolId, "b")];
      await insertUsers(s, [a, b]);
      const mine = [1, 2, 3].map((i) => device(poolId, a.sub, { ...confirmed, remembered: i !== 2 }));
      const unconfirmed = device(poolId, a.sub);
      const theirs = device(poolId, b.sub, confirmed);
      await s.transaction(async (tx) => {
        for (const d of [...mine, unconfirmed, theirs]) await tx.devices.insertDevice(d);
      });
      const listed = await all((after) => s.devices.listDevices(poolId, a.sub, false, 2, after));
      assert.deepEqual(
        listed.map((d) => d.deviceKey),
        mine.map((d) => d.deviceKey).sort(byteOrder),
      );
      const remembered = await all((after) => s.devices.listDevices(poolId, a.sub, true, 1, after));
      assert.deepEqual(
        remembered.map((d) => d.deviceKey),
        mine
          .filter((d) => d.remembered)
          .map((d) => d.deviceKey)
          .sort(byteOrder),
      );
      const first = await s.devices.listDevices(poolId, a.sub, false, 2);
      assert.equal(first.items.length, 2);
      assert.ok(first.next);
    });

    test("devices go with their user and with their pool", async () => {
      const { poolId } = await poolIn(s);
      const [a, b] = [f.user(poolId, "a"), f.user(poolId, "b")];
      await insertUsers(s, [a, b]);
      const [da, db2] = [device(poolId, a.sub, confirmed), device(poolId, b.sub, confirmed)];
      await s.transaction(async (tx) => {
        await tx.devices.insertDevice(da);
        await tx.devices.insertDevice(db2);
      });
      await s.transaction((tx) => tx.users.deleteUser(poolId, a.sub));
      assert.equal(await s.devices.getDevice(poolId, da.deviceKey), undefined);
      assert.ok(await s.devices.getDevice(poolId, db2.deviceKey));
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.devices.getDevice(poolId, db2.deviceKey), undefined);
    });

    test("a refresh token keeps the device it was issued to", async () => {
      const { poolId, clientId } = await poolIn(s);
      const u = f.user(poolId, "a");
      await insertUsers(s, [u]);
      const withDevice = f.refreshToken(poolId, clientId, u.sub, { deviceKey: `us-east-1_${randomUUID()}` });
      const without = f.refreshToken(poolId, clientId, u.sub);
      await s.transaction(async (tx) => {
        await tx.tokens.insertRefreshToken(withDevice);
        await tx.tokens.insertRefreshToken(without);
      });
      assert.deepEqual(await s.tokens.getRefreshToken(withDevice.tokenHash), withDevice);
      assert.deepEqual(await s.tokens.getRefreshToken(without.tokenHash), without);
    });
  });
}
