import { confirmForgotPassword } from "../../domain/users/recovery.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ConfirmForgotPassword",
  { caller: "client" },
  async (input, ctx, caller) => {
    await confirmForgotPassword(ctx, caller, input);
    return {};
  },
);
