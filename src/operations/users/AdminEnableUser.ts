import { setEnabled } from "../../domain/users/admin.ts";
import type { AdminEnableUserRequest, AdminEnableUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminEnableUserRequest, AdminEnableUserResponse>(
  "AdminEnableUser",
  async (input, ctx) => {
    await setEnabled(ctx, input.UserPoolId, input.Username, true);
    return {};
  },
);
