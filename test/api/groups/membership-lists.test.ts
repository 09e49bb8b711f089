import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
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

  describe("AdminListGroupsForUser", () => {
    test("pages through the user's groups once each, with their properties", async () => {
      const poolId = await newPool();
      await newUser(poolId, "gina");
      await newUser(poolId, "other");
      const names = ["a", "b", "c", "d", "e"];
      for (const n of names) {
        await newGroup(poolId, n, { Precedence: names.indexOf(n), Description: `group ${n}` });
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: n, Username: "gina" }),
        );
      }
      await newGroup(poolId, "not-hers");
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: "not-hers", Username: "other" }),
      );
      const first = await client.send(
        new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "gina", Limit: 2 }),
      );
      assert.equal(first.Groups?.length, 2);
      assert.equal(first.Groups?.[0]?.Description, "group a");
      assert.equal(first.Groups?.[0]?.Precedence, 0);
      assert.equal(first.Groups?.[0]?.UserPoolId, poolId);
      assert.ok(first.NextToken);
      assert.deepEqual(await groupsOf(poolId, "gina", 2), names);
      assert.deepEqual(await groupsOf(poolId, "gina"), names);
      // The token belongs to gina's list.
      await rejectsWith(
        client.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: poolId,
            Username: "other",
            NextToken: first.NextToken,
          }),
        ),
        "InvalidParameterException",
        400,
      );
    });

    test("a missing user or pool is refused", async () => {
      const poolId = await newPool();
      await rejectsWith(
        client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "ghost" })),
        "UserNotFoundException",
        400,
        /^User does not exist\.$/,
      );
      await rejectsWith(
        client.send(new AdminListGroupsForUserCommand({ UserPoolId: MISSING_POOL, Username: "ghost" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });

  describe("ListUsersInGroup", () => {
    test("pages through the members once each", async () => {
      const poolId = await newPool();
      await newGroup(poolId, "crowd");
      await newGroup(poolId, "elsewhere");
      const names = ["u1", "u2", "u3", "u4", "u5"];
      for (const n of names) {
        await newUser(poolId, n);
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: "crowd", Username: n }),
        );
      }
      await newUser(poolId, "outsider");
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: "elsewhere", Username: "outsider" }),
      );
      const first = await client.send(
        new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "crowd", Limit: 2 }),
      );
      assert.equal(first.Users?.length, 2);
      assert.ok(first.NextToken);
      const paged = (await membersOf(poolId, "crowd", 2)).map((u) => u.Username!);
      assert.equal(paged.length, names.length);
      assert.deepEqual([...paged].sort(), names);
      // The token belongs to this group's list.
      await rejectsWith(
        client.send(
          new ListUsersInGroupCommand({
            UserPoolId: poolId,
            GroupName: "elsewhere",
            NextToken: first.NextToken,
          }),
        ),
        "InvalidParameterException",
        400,
      );
    });

    test("a missing group or pool is ResourceNotFoundException", async () => {
      const poolId = await newPool();
      await rejectsWith(
        client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "nope" })),
        "ResourceNotFoundException",
        400,
        /^Group not found\.$/,
      );
      await rejectsWith(
        client.send(new ListUsersInGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "nope" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });
});
