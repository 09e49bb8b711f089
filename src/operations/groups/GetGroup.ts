import { getGroup, toGroupType } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetGroup", { caller: "admin" }, async (input, ctx) => ({
  Group: toGroupType(await getGroup(ctx, input.UserPoolId, input.GroupName)),
}));
