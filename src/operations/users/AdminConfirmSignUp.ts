import { adminConfirmSignUp } from "../../domain/users/admin.ts";
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>(
  "AdminConfirmSignUp",
  async (input, ctx) => {
    await adminConfirmSignUp(ctx, input.UserPoolId, input.Username);
    return {};
  },
);
