import { getGroup, toGroupType } from "../../domain/groups/groups.ts";
import type { GetGroupRequest, GetGroupResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<GetGroupRequest, GetGroupResponse>(
  "GetGroup",
  async (input, ctx) => ({
    Group: toGroupType(await getGroup(ctx, input.UserPoolId, input.GroupName)),
  }),
);
