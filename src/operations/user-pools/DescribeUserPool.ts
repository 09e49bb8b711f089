import { toUserPoolType } from "../../domain/pools/pools.ts";
import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";
import { requirePool } from "../../domain/lookups.ts";

export const operation = defineOperation<DescribeUserPoolRequest, DescribeUserPoolResponse>(
  "DescribeUserPool",
  async (input, ctx) => {
    const pool = await requirePool(ctx.services.storage, input.UserPoolId);
    return { UserPool: toUserPoolType(pool, ctx.services.config.accountId) };
  },
);
