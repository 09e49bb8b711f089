import { userAuthFactors } from "../../domain/users/auth-factors.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetUserAuthFactors",
  { caller: "token" },
  async (_input, ctx, caller) => userAuthFactors(ctx, caller.pool, caller.user),
);
