import { resendConfirmationCode } from "../../domain/users/sign-up.ts";
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(
  "ResendConfirmationCode",
  (input, ctx) => resendConfirmationCode(ctx, input),
);
