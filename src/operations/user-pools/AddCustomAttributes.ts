import { addCustomAttributes } from "../../domain/pools/pools.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AddCustomAttributes", { caller: "admin" }, async (input, ctx) => {
  await addCustomAttributes(ctx, input.UserPoolId, input.CustomAttributes);
  return {};
});
