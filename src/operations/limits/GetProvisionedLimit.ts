import { getProvisionedLimit } from "../../domain/limits/provisioned.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetProvisionedLimit",
  { caller: "admin" },
  async (input, ctx, caller) => ({
    Limit: await getProvisionedLimit(ctx, caller.region, input.LimitDefinition),
  }),
);
