import { signUp } from "../../domain/users/sign-up.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("SignUp", { caller: "client" }, (input, ctx, caller) =>
  signUp(ctx, caller, input),
);
