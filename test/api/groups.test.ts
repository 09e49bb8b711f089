import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  type GroupType,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

const ROLE = "arn:aws:iam::123456789012:role/group-role";
const MISSING_POOL = "us-east-1_Missing00";

describe("groups", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  async function newPool(
    extra: { AliasAttributes?: ("email" | "phone_number" | "preferred_username")[] } = {},
  ) {
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "groups", ...extra }));
    return UserPool!.Id!;
  }

  async function newUser(poolId: string, username: string, email?: string): Promise<void> {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: email
          ? [
              { Name: "email", Value: email },
              { Name: "email_verified", Value: "true" },
            ]
          : undefined,
      }),
    );
  }

  async function newGroup(poolId: string, name: string, extra: Partial<GroupType> = {}): Promise<GroupType> {
    const { Group } = await client.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: name, ...extra }),
    );
    return Group!;
  }

  async function getGroup(poolId: string, name: string): Promise<GroupType> {
    const { Group } = await client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: name }));
    return Group!;
  }

  async function allGroups(poolId: string, limit: number): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(
        new ListGroupsCommand({ UserPoolId: poolId, Limit: limit, NextToken: token }),
      );
      pages++;
      assert.ok((out.Groups ?? []).length <= limit);
      names.push(...(out.Groups ?? []).map((g) => g.GroupName!));
      token = out.NextToken;
    } while (token);
    return { names, pages };
  }

  async function groupsOf(poolId: string, username: string, limit?: number): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: poolId,
          Username: username,
          Limit: limit,
          NextToken: token,
        }),
      );
      names.push(...(out.Groups ?? []).map((g) => g.GroupName!));
      token = out.NextToken;
    } while (token);
    return names;
  }

  async function membersOf(poolId: string, group: string, limit?: number): Promise<UserType[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(
        new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group, Limit: limit, NextToken: token }),
      );
      users.push(...(out.Users ?? []));
      token = out.NextToken;
    } while (token);
    return users;
  }

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
