import { signUp } from "../../domain/users/sign-up.ts";
import type { SignUpRequest, SignUpResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<SignUpRequest, SignUpResponse>("SignUp", (input, ctx) =>
  signUp(ctx, input),
);
