import { updatePool } from "../../domain/pools/pools.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateUserPool", { caller: "admin" }, async (input, ctx) => {
  await updatePool(ctx, input);
  return {};
});
