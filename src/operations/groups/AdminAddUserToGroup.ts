import { addUserToGroup } from "../../domain/groups/groups.ts";
import type { AdminAddUserToGroupRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminAddUserToGroupRequest, Record<string, never>>(
  "AdminAddUserToGroup",
  async (input, ctx) => {
    await addUserToGroup(ctx, input.UserPoolId, input.GroupName, input.Username);
    return {};
  },
);
