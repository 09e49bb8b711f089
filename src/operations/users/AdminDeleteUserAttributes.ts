import { adminDeleteUserAttributes } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminDeleteUserAttributes",
  { caller: "admin" },
  async (input, ctx) => {
    await adminDeleteUserAttributes(ctx, input.UserPoolId, input.Username, input.UserAttributeNames);
    return {};
  },
);
