import { adminUserGlobalSignOut } from "../../domain/users/account.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminUserGlobalSignOut",
  { caller: "admin" },
  async (input, ctx) => {
    await adminUserGlobalSignOut(ctx, input.UserPoolId, input.Username);
    return {};
  },
);
