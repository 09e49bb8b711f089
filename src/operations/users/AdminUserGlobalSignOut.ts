import { adminUserGlobalSignOut } from "../../domain/users/account.ts";
import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>(
  "AdminUserGlobalSignOut",
  async (input, ctx) => {
    await adminUserGlobalSignOut(ctx, input.UserPoolId, input.Username);
    return {};
  },
);
