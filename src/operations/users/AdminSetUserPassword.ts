import { adminSetUserPassword } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminSetUserPassword", { caller: "admin" }, async (input, ctx) => {
  await adminSetUserPassword(ctx, input.UserPoolId, input.Username, input.Password, input.Permanent === true);
  return {};
});
