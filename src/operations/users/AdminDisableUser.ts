import { setEnabled } from "../../domain/users/admin.ts";
import type { AdminDisableUserRequest, AdminDisableUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminDisableUserRequest, AdminDisableUserResponse>(
  "AdminDisableUser",
  async (input, ctx) => {
    await setEnabled(ctx, input.UserPoolId, input.Username, false);
    return {};
  },
);
