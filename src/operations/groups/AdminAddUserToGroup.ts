import { addUserToGroup } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminAddUserToGroup", { caller: "admin" }, async (input, ctx) => {
  await addUserToGroup(ctx, input.UserPoolId, input.GroupName, input.Username);
  return {};
});
