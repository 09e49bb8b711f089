import { deletePool } from "../../domain/pools/pools.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteUserPool", { caller: "admin" }, async (input, ctx) => {
  await deletePool(ctx, input.UserPoolId);
  return {};
});
