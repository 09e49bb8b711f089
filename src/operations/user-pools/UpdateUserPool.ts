import { updatePool } from "../../domain/pools/pools.ts";
import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UpdateUserPoolRequest, UpdateUserPoolResponse>(
  "UpdateUserPool",
  async (input, ctx) => {
    await updatePool(ctx, input);
    return {};
  },
);
