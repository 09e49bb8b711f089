import { updateProvisionedLimit } from "../../domain/limits/provisioned.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateProvisionedLimit",
  { caller: "admin" },
  async (input, ctx, caller) => ({
    Limit: await updateProvisionedLimit(ctx, caller.region, input.LimitDefinition, input.RequestedLimitValue),
  }),
);
