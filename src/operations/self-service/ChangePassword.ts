import { changePassword } from "../../domain/users/account.ts";
import type { ChangePasswordRequest, ChangePasswordResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ChangePasswordRequest, ChangePasswordResponse>(
  "ChangePassword",
  async (input, ctx) => {
    await changePassword(ctx, input.AccessToken, input.PreviousPassword, input.ProposedPassword);
    return {};
  },
);
