import { toUserPoolType } from "../../domain/pools/pools.ts";
import { defineOperation } from "../define.ts";
import { requirePool } from "../../domain/lookups.ts";

export const operation = defineOperation("DescribeUserPool", { caller: "admin" }, async (input, ctx) => {
  const pool = await requirePool(ctx.services.storage, input.UserPoolId);
  return { UserPool: toUserPoolType(pool, ctx.services.config.accountId) };
});
