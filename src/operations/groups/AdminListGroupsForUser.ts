import { listGroupsForUser } from "../../domain/groups/groups.ts";
import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>(
  "AdminListGroupsForUser",
  (input, ctx) => listGroupsForUser(ctx, input),
);
