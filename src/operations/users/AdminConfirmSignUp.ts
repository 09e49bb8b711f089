import { adminConfirmSignUp } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminConfirmSignUp", { caller: "admin" }, async (input, ctx) => {
  await adminConfirmSignUp(ctx, input.UserPoolId, input.Username, input.ClientMetadata);
  return {};
});
