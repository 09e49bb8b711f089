import { deletePool } from "../../domain/pools/pools.ts";
import type { DeleteUserPoolRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteUserPoolRequest, Record<string, never>>(
  "DeleteUserPool",
  async (input, ctx) => {
    await deletePool(ctx, input.UserPoolId);
    return {};
  },
);
