import { adminUpdateUserAttributes } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminUpdateUserAttributes",
  { caller: "admin" },
  async (input, ctx) => {
    await adminUpdateUserAttributes(
      ctx,
      input.UserPoolId,
      input.Username,
      input.UserAttributes,
      input.ClientMetadata,
    );
    return {};
  },
);
