import { adminDeleteUser } from "../../domain/users/admin.ts";
import type { AdminDeleteUserRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminDeleteUserRequest, Record<string, never>>(
  "AdminDeleteUser",
  async (input, ctx) => {
    await adminDeleteUser(ctx, input.UserPoolId, input.Username);
    return {};
  },
);
