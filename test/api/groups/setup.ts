/** The server, pools, users and helpers the group tests share. */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import {
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
  GetGroupCommand,
  type GroupType,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../../support/server.ts";

export const ROLE = "arn:aws:iam::123456789012:role/group-role";
export const MISSING_POOL = "us-east-1_Missing00";

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function groupsSuite() {
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

  return {
    get server() {
      return server;
    },
    get client() {
      return client;
    },
    newPool,
    newUser,
    newGroup,
    getGroup,
    allGroups,
    groupsOf,
    membersOf,
  };
}
