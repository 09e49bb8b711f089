import { adminSetUserPassword } from "../../domain/users/admin.ts";
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>(
  "AdminSetUserPassword",
  async (input, ctx) => {
    await adminSetUserPassword(
      ctx,
      input.UserPoolId,
      input.Username,
      input.Password,
      input.Permanent === true,
    );
    return {};
  },
);
