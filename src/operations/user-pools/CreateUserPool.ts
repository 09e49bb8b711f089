import { createPool, toUserPoolType } from "../../domain/pools/pools.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateUserPool", { caller: "admin" }, async (input, ctx) => {
  const pool = await createPool(ctx, input);
  return { UserPool: toUserPoolType(pool, ctx.services.config.accountId) };
});
