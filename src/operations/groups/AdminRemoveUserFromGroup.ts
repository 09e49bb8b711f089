import { removeUserFromGroup } from "../../domain/groups/groups.ts";
import type { AdminRemoveUserFromGroupRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminRemoveUserFromGroupRequest, Record<string, never>>(
  "AdminRemoveUserFromGroup",
  async (input, ctx) => {
    await removeUserFromGroup(ctx, input.UserPoolId, input.GroupName, input.Username);
    return {};
  },
);
