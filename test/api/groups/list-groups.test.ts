import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  ListGroupsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { MISSING_POOL, groupsSuite } from "./setup.ts";

describe("groups", () => {
  const suite = groupsSuite();
  const { newPool, newGroup, allGroups } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  describe("ListGroups", () => {
    test("pages through every group once, in name order", async () => {
      const poolId = await newPool();
      const names = ["g1", "g2", "g3", "g4", "g5", "g6", "g7"];
      for (const n of [...names].reverse()) await newGroup(poolId, n);
      const paged = await allGroups(poolId, 3);
      assert.equal(paged.pages, 3);
      assert.deepEqual(paged.names, names);
      const exact = await allGroups(poolId, 7);
      assert.equal(exact.pages, 1);
      assert.deepEqual(exact.names, names);
    });

    test("no Limit (or 0) returns up to 60 groups; an empty pool lists none", async () => {
      const poolId = await newPool();
      assert.deepEqual((await client.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups, []);
      for (let i = 0; i < 3; i++) await newGroup(poolId, `g${i}`);
      const all = await client.send(new ListGroupsCommand({ UserPoolId: poolId }));
      assert.equal(all.Groups?.length, 3);
      assert.equal(all.NextToken, undefined);
      const zero = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 0 }));
      assert.equal(zero.Groups?.length, 3);
    });

    test("a group added between pages shows up on a later page without repeats", async () => {
      const poolId = await newPool();
      for (const n of ["a", "c", "e"]) await newGroup(poolId, n);
      const first = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
      assert.deepEqual(
        first.Groups?.map((g) => g.GroupName),
        ["a", "c"],
      );
      await newGroup(poolId, "d");
      await newGroup(poolId, "b");
      const second = await client.send(
        new ListGroupsCommand({ UserPoolId: poolId, Limit: 60, NextToken: first.NextToken }),
      );
      assert.deepEqual(
        second.Groups?.map((g) => g.GroupName),
        ["d", "e"],
      );
    });

    test("a token from another pool, or a made-up one, is refused", async () => {
      const a = await newPool();
      const b = await newPool();
      for (const n of ["x", "y"]) {
        await newGroup(a, n);
        await newGroup(b, n);
      }
      const page = await client.send(new ListGroupsCommand({ UserPoolId: a, Limit: 1 }));
      assert.ok(page.NextToken);
      await rejectsWith(
        client.send(new ListGroupsCommand({ UserPoolId: b, NextToken: page.NextToken })),
        "InvalidParameterException",
        400,
      );
      await rejectsWith(
        client.send(new ListGroupsCommand({ UserPoolId: a, NextToken: "garbage" })),
        "InvalidParameterException",
        400,
      );
    });

    test("a missing pool is ResourceNotFoundException", async () => {
      await rejectsWith(
        client.send(new ListGroupsCommand({ UserPoolId: MISSING_POOL })),
        "ResourceNotFoundException",
        400,
      );
    });
  });
});
