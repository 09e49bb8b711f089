import { deleteGroup } from "../../domain/groups/groups.ts";
import type { DeleteGroupRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteGroupRequest, Record<string, never>>(
  "DeleteGroup",
  async (input, ctx) => {
    await deleteGroup(ctx, input.UserPoolId, input.GroupName);
    return {};
  },
);
