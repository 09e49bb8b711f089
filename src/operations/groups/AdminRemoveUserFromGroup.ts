import { removeUserFromGroup } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminRemoveUserFromGroup",
  { caller: "admin" },
  async (input, ctx) => {
    await removeUserFromGroup(ctx, input.UserPoolId, input.GroupName, input.Username);
    return {};
  },
);
