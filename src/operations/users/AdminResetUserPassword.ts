import { adminResetUserPassword } from "../../domain/users/admin.ts";
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(
  "AdminResetUserPassword",
  async (input, ctx) => {
    await adminResetUserPassword(ctx, input.UserPoolId, input.Username);
    return {};
  },
);
