/** The storage contract, checked on every backend: Groups and memberships (src/storage/contract/groups.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, byteOrder, insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, groups: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    /** A new pool (with one app client) for one test. */
    const newPool = () => poolIn(s);

    describe("round trips", () => {
      test("groups and memberships", async () => {
        const { poolId } = await newPool();
        const [a, b] = [f.user(poolId, "a"), f.user(poolId, "b")];
        await insertUsers(s, [a, b]);
        const g1 = f.group(poolId, "readers");
        const g2 = f.group(poolId, "admins", {
          description: undefined,
          roleArn: undefined,
          precedence: undefined,
        });
        delete g2.description;
        delete g2.roleArn;
        delete g2.precedence;
        await s.transaction(async (tx) => {
          await tx.groups.insertGroup(g1);
          await tx.groups.insertGroup(g2);
          assert.equal(await tx.groups.addUserToGroup(poolId, "readers", a.sub), true);
          assert.equal(await tx.groups.addUserToGroup(poolId, "readers", a.sub), false);
          await tx.groups.addUserToGroup(poolId, "readers", b.sub);
          await tx.groups.addUserToGroup(poolId, "admins", a.sub);
        });
        assert.deepEqual(await s.groups.getGroup(poolId, "readers"), g1);
        assert.deepEqual(await s.groups.getGroup(poolId, "admins"), g2);
        assert.deepEqual(
          (await all((after) => s.groups.listGroups(poolId, 1, after))).map((g) => g.name),
          ["admins", "readers"],
        );
        assert.deepEqual(
          (await all((after) => s.groups.listGroupsForUser(poolId, a.sub, 1, after))).map((g) => g.name),
          ["admins", "readers"],
        );
        assert.deepEqual(
          (await all((after) => s.groups.listUsersInGroup(poolId, "readers", 1, after))).map((u) => u.sub),
          [a.sub, b.sub].sort(byteOrder),
        );
        await assert.rejects(
          s.transaction((tx) => tx.groups.insertGroup(f.group(poolId, "readers"))),
          DuplicateKeyError,
        );
        await s.transaction((tx) => tx.groups.updateGroup({ ...g1, precedence: 1, updatedAt: 5 }));
        assert.equal((await s.groups.getGroup(poolId, "readers"))!.precedence, 1);
        assert.equal(
          await s.transaction((tx) => tx.groups.removeUserFromGroup(poolId, "readers", a.sub)),
          true,
        );
        assert.equal(
          await s.transaction((tx) => tx.groups.removeUserFromGroup(poolId, "readers", a.sub)),
          false,
        );
        await s.transaction((tx) => tx.groups.deleteGroup(poolId, "admins"));
        assert.deepEqual(await s.groups.listGroupsForUser(poolId, a.sub, 10), { items: [] });
        await s.transaction((tx) => tx.users.deleteUser(poolId, b.sub));
        assert.deepEqual(await s.groups.listUsersInGroup(poolId, "readers", 10), { items: [] });
      });
    });
  });
}
