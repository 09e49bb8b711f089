import { forgotPassword } from "../../domain/users/recovery.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ForgotPassword", { caller: "client" }, (input, ctx, caller) =>
  forgotPassword(ctx, caller, input),
);
