import { changePassword } from "../../domain/users/account.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ChangePassword",
  { caller: "token" },
  async (input, ctx, caller) => {
    await changePassword(ctx, caller, input.PreviousPassword, input.ProposedPassword);
    return {};
  },
);
