import { deleteSelf } from "../../domain/users/account.ts";
import type { DeleteUserRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteUserRequest, Record<string, never>>(
  "DeleteUser",
  async (input, ctx) => {
    await deleteSelf(ctx, input.AccessToken);
    return {};
  },
);
