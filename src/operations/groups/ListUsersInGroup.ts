import { listUsersInGroup } from "../../domain/groups/groups.ts";
import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListUsersInGroupRequest, ListUsersInGroupResponse>(
  "ListUsersInGroup",
  (input, ctx) => listUsersInGroup(ctx, input),
);
