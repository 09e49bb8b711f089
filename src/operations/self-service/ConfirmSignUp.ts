import { confirmSignUp } from "../../domain/users/sign-up.ts";
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ConfirmSignUpRequest, ConfirmSignUpResponse>(
  "ConfirmSignUp",
  async (input, ctx) => {
    await confirmSignUp(ctx, input);
    return {};
  },
);
