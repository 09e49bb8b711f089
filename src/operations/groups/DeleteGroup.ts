import { deleteGroup } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteGroup", { caller: "admin" }, async (input, ctx) => {
  await deleteGroup(ctx, input.UserPoolId, input.GroupName);
  return {};
});
