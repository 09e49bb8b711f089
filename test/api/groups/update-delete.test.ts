import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
  DeleteGroupCommand,
  ListGroupsCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { ROLE, MISSING_POOL, groupsSuite } from "./setup.ts";

describe("groups", () => {
  const suite = groupsSuite();
  const { newPool, newUser, newGroup, getGroup, groupsOf, membersOf } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  describe("UpdateGroup", () => {
    test("changes only the properties given", async () => {
      const poolId = await newPool();
      const created = await newGroup(poolId, "editors", {
        Description: "Editors",
        RoleArn: ROLE,
        Precedence: 5,
      });
      await new Promise((r) => setTimeout(r, 20));
      const { Group: updated } = await client.send(
        new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "editors", Precedence: 2 }),
      );
      assert.equal(updated?.Precedence, 2);
      assert.equal(updated?.Description, "Editors");
      assert.equal(updated?.RoleArn, ROLE);
      assert.deepEqual(updated?.CreationDate, created.CreationDate);
      assert.ok(updated!.LastModifiedDate!.getTime() > created.LastModifiedDate!.getTime());
      assert.deepEqual(await getGroup(poolId, "editors"), updated);

      const { Group: again } = await client.send(
        new UpdateGroupCommand({
          UserPoolId: poolId,
          GroupName: "editors",
          Description: "",
          RoleArn: "arn:aws:iam::123456789012:role/other",
        }),
      );
      assert.equal(again?.Description, "");
      assert.equal(again?.RoleArn, "arn:aws:iam::123456789012:role/other");
      assert.equal(again?.Precedence, 2);
    });

    test("a missing pool or group is ResourceNotFoundException; a bad precedence changes nothing", async () => {
      const poolId = await newPool();
      const g = await newGroup(poolId, "g", { Precedence: 3 });
      await rejectsWith(
        client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "nope", Precedence: 1 })),
        "ResourceNotFoundException",
        400,
        /^Group not found\.$/,
      );
      await rejectsWith(
        client.send(new UpdateGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "g" })),
        "ResourceNotFoundException",
        400,
      );
      await rejectsWith(
        client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "g", Precedence: 2 ** 31 })),
        "InvalidParameterException",
        400,
      );
      assert.deepEqual(await getGroup(poolId, "g"), g);
    });
  });

  describe("DeleteGroup", () => {
    test("deletes the group and its memberships, not its members", async () => {
      const poolId = await newPool();
      await newUser(poolId, "alice");
      await newGroup(poolId, "doomed");
      await newGroup(poolId, "kept");
      for (const g of ["doomed", "kept"])
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: g, Username: "alice" }),
        );
      await client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "doomed" }));
      await rejectsWith(getGroup(poolId, "doomed"), "ResourceNotFoundException", 400);
      assert.deepEqual(await groupsOf(poolId, "alice"), ["kept"]);
      assert.deepEqual(
        (await client.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups?.map((g) => g.GroupName),
        ["kept"],
      );
      // A new group of the same name starts empty.
      await newGroup(poolId, "doomed");
      assert.deepEqual(await membersOf(poolId, "doomed"), []);
    });

    test("a missing pool or group is ResourceNotFoundException", async () => {
      const poolId = await newPool();
      await rejectsWith(
        client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "nope" })),
        "ResourceNotFoundException",
        400,
        /^Group not found\.$/,
      );
      await rejectsWith(
        client.send(new DeleteGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "g" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });
});
