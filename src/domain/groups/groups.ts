/** User pool groups and their members: creation, update, deletion, membership, listing. */
import type { RequestContext } from "../../context.ts";
import {
  GroupExistsException,
  InvalidParameterException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type {
  AdminListGroupsForUserRequest,
  AdminListGroupsForUserResponse,
  CreateGroupRequest,
  GroupType,
  ListGroupsRequest,
  ListGroupsResponse,
  ListUsersInGroupRequest,
  ListUsersInGroupResponse,
  UpdateGroupRequest,
} from "../../generated/types.ts";
import type { GroupRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { toUserType } from "../users/users.ts";
import { requirePool, requireUser } from "../lookups.ts";

/** The page size when a list request gives no Limit (or 0), and the most one page holds. */
const DEFAULT_LIMIT = 60;
/** Precedence is a Java int on AWS's side: 2^31-1 at most. */
const MAX_PRECEDENCE = 2 ** 31 - 1;

export function groupNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException("Group not found.");
}

export async function requireGroup(db: Reader, poolId: string, name: string): Promise<GroupRecord> {
  const group = await db.groups.getGroup(poolId, name);
  if (!group) throw groupNotFound();
  return group;
}

/** The wire form of a group; unset optional fields are left out. */
export function toGroupType(group: GroupRecord): GroupType {
  const out: GroupType = { GroupName: group.name, UserPoolId: group.poolId };
  if (group.description !== undefined) out.Description = group.description;
  if (group.roleArn !== undefined) out.RoleArn = group.roleArn;
  if (group.precedence !== undefined) out.Precedence = group.precedence;
  out.LastModifiedDate = wireTime(group.updatedAt);
  out.CreationDate = wireTime(group.createdAt);
  return out;
}

function checkPrecedence(precedence: number | undefined): void {
  if (precedence !== undefined && precedence > MAX_PRECEDENCE)
    throw new InvalidParameterException(
      `1 validation error detected: Value '${precedence}' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PRECEDENCE}`,
    );
}

function groupExists(): GroupExistsException {
  return new GroupExistsException("A group with the name already exists");
}

export async function createGroup(ctx: RequestContext, input: CreateGroupRequest): Promise<GroupRecord> {
  checkPrecedence(input.Precedence);
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    if (await tx.groups.getGroup(pool.id, input.GroupName)) throw groupExists();
    const group: GroupRecord = {
      poolId: pool.id,
      name: input.GroupName,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    if (input.Description !== undefined) group.description = input.Description;
    if (input.RoleArn !== undefined) group.roleArn = input.RoleArn;
    if (input.Precedence !== undefined) group.precedence = input.Precedence;
    try {
      await tx.groups.insertGroup(group);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw groupExists();
      throw e;
    }
    return group;
  });
}

export async function getGroup(ctx: RequestContext, poolId: string, name: string): Promise<GroupRecord> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  return requireGroup(storage, pool.id, name);
}

/** Changes only the properties the request names; the others keep their values. */
export async function updateGroup(ctx: RequestContext, input: UpdateGroupRequest): Promise<GroupRecord> {
  checkPrecedence(input.Precedence);
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const group = await requireGroup(tx, pool.id, input.GroupName);
    const updated: GroupRecord = { ...group, updatedAt: ctx.now };
    if (input.Description !== undefined) updated.description = input.Description;
    if (input.RoleArn !== undefined) updated.roleArn = input.RoleArn;
    if (input.Precedence !== undefined) updated.precedence = input.Precedence;
    await tx.groups.updateGroup(updated);
    return updated;
  });
}

/** Deletes the group; its memberships go with it. The users stay. */
export async function deleteGroup(ctx: RequestContext, poolId: string, name: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    await requireGroup(tx, pool.id, name);
    await tx.groups.deleteGroup(pool.id, name);
  });
}

export async function listGroups(ctx: RequestContext, input: ListGroupsRequest): Promise<ListGroupsResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `groups:${pool.id}`;
  const page = await readPage(() =>
    storage.groups.listGroups(pool.id, input.Limit || DEFAULT_LIMIT, fromToken(input.NextToken, scope)),
  );
  const out: ListGroupsResponse = { Groups: page.items.map(toGroupType) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

/** Adds a user (by username or alias) to a group; adding a member again changes nothing. */
export async function addUserToGroup(
  ctx: RequestContext,
  poolId: string,
  groupName: string,
  username: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    await requireGroup(tx, pool.id, groupName);
    const user = await requireUser(tx, pool, username);
    await tx.groups.addUserToGroup(pool.id, groupName, user.sub);
  });
}

/** Removes a user from a group; removing a non-member changes nothing. */
export async function removeUserFromGroup(
  ctx: RequestContext,
  poolId: string,
  groupName: string,
  username: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    await requireGroup(tx, pool.id, groupName);
    const user = await requireUser(tx, pool, username);
    await tx.groups.removeUserFromGroup(pool.id, groupName, user.sub);
  });
}

export async function listGroupsForUser(
  ctx: RequestContext,
  input: AdminListGroupsForUserRequest,
): Promise<AdminListGroupsForUserResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const user = await requireUser(storage, pool, input.Username);
  const scope = `groups-of-user:${pool.id}:${user.sub}`;
  const page = await readPage(() =>
    storage.groups.listGroupsForUser(
      pool.id,
      user.sub,
      input.Limit || DEFAULT_LIMIT,
      fromToken(input.NextToken, scope),
    ),
  );
  const out: AdminListGroupsForUserResponse = { Groups: page.items.map(toGroupType) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

export async function listUsersInGroup(
  ctx: RequestContext,
  input: ListUsersInGroupRequest,
): Promise<ListUsersInGroupResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const group = await requireGroup(storage, pool.id, input.GroupName);
  const scope = `users-in-group:${pool.id}:${group.name}`;
  const page = await readPage(() =>
    storage.groups.listUsersInGroup(
      pool.id,
      group.name,
      input.Limit || DEFAULT_LIMIT,
      fromToken(input.NextToken, scope),
    ),
  );
  const out: ListUsersInGroupResponse = { Users: page.items.map((u) => toUserType(u)) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}
