import { confirmForgotPassword } from "../../domain/users/recovery.ts";
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(
  "ConfirmForgotPassword",
  async (input, ctx) => {
    await confirmForgotPassword(ctx, input);
    return {};
  },
);
