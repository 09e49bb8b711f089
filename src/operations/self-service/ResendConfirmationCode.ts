import { resendConfirmationCode } from "../../domain/users/sign-up.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ResendConfirmationCode",
  { caller: "client" },
  (input, ctx, caller) => resendConfirmationCode(ctx, caller, input),
);
