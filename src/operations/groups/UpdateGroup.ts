import { toGroupType, updateGroup } from "../../domain/groups/groups.ts";
import type { UpdateGroupRequest, UpdateGroupResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UpdateGroupRequest, UpdateGroupResponse>(
  "UpdateGroup",
  async (input, ctx) => ({ Group: toGroupType(await updateGroup(ctx, input)) }),
);
