import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminRemoveUserFromGroupCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { MISSING_POOL, groupsSuite } from "./setup.ts";

describe("groups", () => {
  const suite = groupsSuite();
  const { newPool, newUser, newGroup, groupsOf, membersOf } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  describe("memberships", () => {
    test("adding a user twice is fine and lists them once; removing twice is fine", async () => {
      const poolId = await newPool();
      await newUser(poolId, "bob");
      await newGroup(poolId, "team");
      const add = new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: "team", Username: "bob" });
      await client.send(add);
      await client.send(add);
      const members = await membersOf(poolId, "team");
      assert.deepEqual(
        members.map((u) => u.Username),
        ["bob"],
      );
      assert.equal(members[0]?.UserStatus, "FORCE_CHANGE_PASSWORD");
      assert.equal(members[0]?.Enabled, true);
      assert.ok(members[0]?.Attributes?.some((a) => a.Name === "sub"));
      assert.deepEqual(await groupsOf(poolId, "bob"), ["team"]);

      const remove = new AdminRemoveUserFromGroupCommand({
        UserPoolId: poolId,
        GroupName: "team",
        Username: "bob",
      });
      await client.send(remove);
      await client.send(remove);
      assert.deepEqual(await membersOf(poolId, "team"), []);
      assert.deepEqual(await groupsOf(poolId, "bob"), []);
    });

    test("a user may be named by a verified alias", async () => {
      const poolId = await newPool({ AliasAttributes: ["email"] });
      await newUser(poolId, "carol", "carol@example.com");
      await newGroup(poolId, "team");
      await client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: poolId,
          GroupName: "team",
          Username: "carol@example.com",
        }),
      );
      assert.deepEqual(
        (await membersOf(poolId, "team")).map((u) => u.Username),
        ["carol"],
      );
      assert.deepEqual(await groupsOf(poolId, "carol@example.com"), ["team"]);
      await client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: poolId,
          GroupName: "team",
          Username: "carol@example.com",
        }),
      );
      assert.deepEqual(await groupsOf(poolId, "carol"), []);
    });

    test("a missing user, group or pool is refused and adds nothing", async () => {
      const poolId = await newPool();
      await newUser(poolId, "dave");
      await newGroup(poolId, "team");
      const add = (group: string, user: string, pool = poolId) =>
        client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, GroupName: group, Username: user }));
      const remove = (group: string, user: string, pool = poolId) =>
        client.send(
          new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, GroupName: group, Username: user }),
        );
      await rejectsWith(add("team", "ghost"), "UserNotFoundException", 400, /^User does not exist\.$/);
      await rejectsWith(add("nope", "dave"), "ResourceNotFoundException", 400, /^Group not found\.$/);
      await rejectsWith(add("team", "dave", MISSING_POOL), "ResourceNotFoundException", 400);
      assert.deepEqual(await membersOf(poolId, "team"), []);
      assert.deepEqual(await groupsOf(poolId, "dave"), []);
      await rejectsWith(remove("team", "ghost"), "UserNotFoundException", 400, /^User does not exist\.$/);
      await rejectsWith(remove("nope", "dave"), "ResourceNotFoundException", 400, /^Group not found\.$/);
      await rejectsWith(remove("team", "dave", MISSING_POOL), "ResourceNotFoundException", 400);
    });

    test("deleting a user removes their memberships", async () => {
      const poolId = await newPool();
      await newUser(poolId, "erin");
      await newUser(poolId, "frank");
      await newGroup(poolId, "team");
      for (const u of ["erin", "frank"])
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: "team", Username: u }),
        );
      await client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "erin" }));
      assert.deepEqual(
        (await membersOf(poolId, "team")).map((u) => u.Username),
        ["frank"],
      );
      // A new user of the same name is not a member.
      await newUser(poolId, "erin");
      assert.deepEqual(await groupsOf(poolId, "erin"), []);
    });
  });
});
