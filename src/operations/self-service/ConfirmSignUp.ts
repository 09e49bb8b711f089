import { confirmSignUp } from "../../domain/users/sign-up.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ConfirmSignUp",
  { caller: "client" },
  async (input, ctx, caller) => ({ Session: await confirmSignUp(ctx, caller, input) }),
);
