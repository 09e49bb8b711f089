import { requirePool, requireUser } from "../../domain/lookups.ts";
import { userAuthFactors } from "../../domain/users/auth-factors.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminGetUserAuthFactors",
  { caller: "admin" },
  async (input, ctx) => {
    const { storage } = ctx.services;
    const pool = await requirePool(storage, input.UserPoolId);
    const user = await requireUser(storage, pool, input.Username);
    return userAuthFactors(ctx, pool, user);
  },
);
