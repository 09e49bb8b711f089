import { setEnabled } from "../../domain/admin-users.ts";
import type { AdminEnableUserRequest, AdminEnableUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminEnableUserRequest, AdminEnableUserResponse>(
  "AdminEnableUser",
  async (input, ctx) => {
    await setEnabled(ctx, input.UserPoolId, input.Username, true);
    return {};
  },
);
