import { getLogDeliveryConfiguration } from "../../domain/logging/log-delivery.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetLogDeliveryConfiguration",
  { caller: "admin" },
  async (input, ctx) => ({
    LogDeliveryConfiguration: await getLogDeliveryConfiguration(ctx, input.UserPoolId),
  }),
);
