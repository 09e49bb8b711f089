import { setEnabled } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminDisableUser", { caller: "admin" }, async (input, ctx) => {
  await setEnabled(ctx, input.UserPoolId, input.Username, false);
  return {};
});
