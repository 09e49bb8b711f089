import { forgotPassword } from "../../domain/users/recovery.ts";
import type { ForgotPasswordRequest, ForgotPasswordResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ForgotPasswordRequest, ForgotPasswordResponse>(
  "ForgotPassword",
  (input, ctx) => forgotPassword(ctx, input),
);
