/** Groups and their members. */
import type { GroupRecord, UserRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface GroupsReader {
  getGroup(poolId: string, name: string): Promise<GroupRecord | undefined>;
  listGroups(poolId: string, limit: number, after?: string): Promise<Page<GroupRecord>>;
  /** Groups of one user, by name. */
  listGroupsForUser(
    poolId: string,
    userId: string,
    limit: number,
    after?: string,
  ): Promise<Page<GroupRecord>>;
  listUsersInGroup(
    poolId: string,
    groupName: string,
    limit: number,
    after?: string,
  ): Promise<Page<UserRecord>>;
}

export interface GroupsRepository extends GroupsReader {
  insertGroup(group: GroupRecord): Promise<void>;
  updateGroup(group: GroupRecord): Promise<void>;
  deleteGroup(poolId: string, name: string): Promise<void>;
  /** Returns false when the membership already existed. */
  addUserToGroup(poolId: string, groupName: string, userId: string): Promise<boolean>;
  removeUserFromGroup(poolId: string, groupName: string, userId: string): Promise<boolean>;
}

export const GROUPS = repository<GroupsReader, GroupsRepository>({
  getGroup: true,
  listGroups: true,
  listGroupsForUser: true,
  listUsersInGroup: true,
});
