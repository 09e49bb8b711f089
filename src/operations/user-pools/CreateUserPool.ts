import { createPool, toUserPoolType } from "../../domain/pools/pools.ts";
import type { CreateUserPoolRequest, CreateUserPoolResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<CreateUserPoolRequest, CreateUserPoolResponse>(
  "CreateUserPool",
  async (input, ctx) => {
    const pool = await createPool(ctx, input);
    return { UserPool: toUserPoolType(pool, ctx.services.config.accountId) };
  },
);
