import { adminDeleteUser } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminDeleteUser", { caller: "admin" }, async (input, ctx) => {
  await adminDeleteUser(ctx, input.UserPoolId, input.Username);
  return {};
});
