import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rejectsWith } from "../../support/assert.ts";
import { ROLE, MISSING_POOL, groupsSuite } from "./setup.ts";

describe("groups", () => {
  const suite = groupsSuite();
  const { newPool, newGroup, getGroup } = suite;

  describe("CreateGroup and GetGroup", () => {
    test("a group is created with every property and read back the same", async () => {
      const poolId = await newPool();
      const before = Date.now();
      const created = await newGroup(poolId, "admins", {
        Description: "Administrators",
        RoleArn: ROLE,
        Precedence: 1,
      });
      assert.equal(created.GroupName, "admins");
      assert.equal(created.UserPoolId, poolId);
      assert.equal(created.Description, "Administrators");
      assert.equal(created.RoleArn, ROLE);
      assert.equal(created.Precedence, 1);
      assert.ok(created.CreationDate instanceof Date);
      assert.ok(created.LastModifiedDate instanceof Date);
      assert.ok(Math.abs(created.CreationDate.getTime() - before) < 60_000);
      assert.deepEqual(await getGroup(poolId, "admins"), created);
    });

    test("optional properties left out stay absent", async () => {
      const poolId = await newPool();
      const g = await newGroup(poolId, "plain");
      assert.equal(g.Description, undefined);
      assert.equal(g.RoleArn, undefined);
      assert.equal(g.Precedence, undefined);
      assert.equal((await getGroup(poolId, "plain")).Precedence, undefined);
    });

    test("precedence 0 and 2^31-1 are accepted; larger is refused and creates nothing", async () => {
      const poolId = await newPool();
      assert.equal((await newGroup(poolId, "zero", { Precedence: 0 })).Precedence, 0);
      assert.equal((await newGroup(poolId, "max", { Precedence: 2 ** 31 - 1 })).Precedence, 2 ** 31 - 1);
      await rejectsWith(
        newGroup(poolId, "toobig", { Precedence: 2 ** 31 }),
        "InvalidParameterException",
        400,
      );
      await rejectsWith(getGroup(poolId, "toobig"), "ResourceNotFoundException", 400);
    });

    test("a second group with the same name is refused and the first is unchanged", async () => {
      const poolId = await newPool();
      const first = await newGroup(poolId, "dup", { Description: "first" });
      await rejectsWith(
        newGroup(poolId, "dup", { Description: "second" }),
        "GroupExistsException",
        400,
        /already exists/,
      );
      assert.deepEqual(await getGroup(poolId, "dup"), first);
    });

    test("the same group name may exist in two pools", async () => {
      const a = await newPool();
      const b = await newPool();
      await newGroup(a, "shared", { Description: "a" });
      await newGroup(b, "shared", { Description: "b" });
      assert.equal((await getGroup(a, "shared")).Description, "a");
      assert.equal((await getGroup(b, "shared")).Description, "b");
    });

    test("a group name is not a valid name when it holds whitespace", async () => {
      const poolId = await newPool();
      await rejectsWith(newGroup(poolId, "two words"), "InvalidParameterException", 400, /groupName/);
    });

    test("a missing pool or group is ResourceNotFoundException", async () => {
      const poolId = await newPool();
      await rejectsWith(newGroup(MISSING_POOL, "g"), "ResourceNotFoundException", 400);
      await rejectsWith(getGroup(MISSING_POOL, "g"), "ResourceNotFoundException", 400);
      await rejectsWith(getGroup(poolId, "nope"), "ResourceNotFoundException", 400, /^Group not found\.$/);
    });
  });
});
