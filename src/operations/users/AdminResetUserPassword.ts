import { adminResetUserPassword } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminResetUserPassword",
  { caller: "admin" },
  async (input, ctx) => {
    await adminResetUserPassword(ctx, input.UserPoolId, input.Username, input.ClientMetadata);
    return {};
  },
);
