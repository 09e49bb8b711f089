/**
 * The storage contract, checked on every backend: replicas (src/storage/contract/replicas.ts) and
 * limits (src/storage/contract/limits.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ReplicaRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { newPool } from "./conformance.ts";

function replica(poolId: string, region: string, overrides: Partial<ReplicaRecord> = {}): ReplicaRecord {
  return {
    poolId,
    region,
    status: "CREATING",
    tags: { team: "blue" },
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, replicas and limits: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("replicas: one per pool and region, listed by region, updated, deleted, gone with the pool", async () => {
      const { poolId } = await newPool(s);
      const west = replica(poolId, "eu-west-1");
      const south = replica(poolId, "ap-south-1", { tags: {} });
      await s.transaction(async (tx) => {
        await tx.replicas.insertReplica(west);
        await tx.replicas.insertReplica(south);
      });
      await assert.rejects(
        s.transaction((tx) => tx.replicas.insertReplica({ ...west, status: "ACTIVE" })),
        DuplicateKeyError,
      );
      assert.deepEqual(await s.replicas.getReplica(poolId, "eu-west-1"), west);
      assert.deepEqual(await s.replicas.listReplicas(poolId), [south, west]);
      const other = await newPool(s);
      assert.deepEqual(await s.replicas.listReplicas(other.poolId), []);
      const active = { ...west, status: "ACTIVE", tags: { team: "red" }, updatedAt: 1_700_000_001_000 };
      await s.transaction((tx) => tx.replicas.updateReplica(active));
      assert.deepEqual(await s.replicas.getReplica(poolId, "eu-west-1"), active);
      assert.equal(await s.transaction((tx) => tx.replicas.deleteReplica(poolId, "ap-south-1")), true);
      assert.equal(await s.transaction((tx) => tx.replicas.deleteReplica(poolId, "ap-south-1")), false);
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.replicas.getReplica(poolId, "eu-west-1"), undefined);
    });

    test("provisioned limits: one per region and category, replaced when set again", async () => {
      await s.transaction((tx) =>
        tx.limits.putProvisionedLimit({
          region: "us-east-1",
          category: "UserRead",
          value: 200,
          updatedAt: 1,
        }),
      );
      await s.transaction((tx) =>
        tx.limits.putProvisionedLimit({
          region: "us-east-1",
          category: "UserRead",
          value: 300,
          updatedAt: 2,
        }),
      );
      await s.transaction((tx) =>
        tx.limits.putProvisionedLimit({
          region: "eu-west-1",
          category: "UserRead",
          value: 150,
          updatedAt: 3,
        }),
      );
      assert.deepEqual(await s.limits.getProvisionedLimit("us-east-1", "UserRead"), {
        region: "us-east-1",
        category: "UserRead",
        value: 300,
        updatedAt: 2,
      });
      assert.equal(await s.limits.getProvisionedLimit("us-east-1", "UserToken"), undefined);
      assert.deepEqual(
        (await s.limits.listProvisionedLimits()).map((l) => `${l.region} ${l.category} ${l.value}`),
        ["eu-west-1 UserRead 150", "us-east-1 UserRead 300"],
      );
    });

    test("instances: counted while their heartbeat is recent; leaving or long dead, not", async () => {
      await s.transaction((tx) => tx.limits.beat("one", 10_000, 0));
      await s.transaction((tx) => tx.limits.beat("two", 12_000, 0));
      await s.transaction((tx) => tx.limits.beat("one", 13_000, 0));
      assert.equal(await s.limits.liveInstances(11_000), 2);
      assert.equal(await s.limits.liveInstances(12_500), 1);
      await s.transaction((tx) => tx.limits.leave("one"));
      assert.equal(await s.limits.liveInstances(0), 1);
      // A beat forgets the instances dead before its `forgetBefore`.
      await s.transaction((tx) => tx.limits.beat("three", 100_000, 50_000));
      assert.equal(await s.limits.liveInstances(0), 1);
    });
  });
}
