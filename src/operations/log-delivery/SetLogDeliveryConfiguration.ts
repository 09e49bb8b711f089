import { setLogDeliveryConfiguration } from "../../domain/logging/log-delivery.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "SetLogDeliveryConfiguration",
  { caller: "admin" },
  async (input, ctx) => ({
    LogDeliveryConfiguration: await setLogDeliveryConfiguration(
      ctx,
      input.UserPoolId,
      input.LogConfigurations,
    ),
  }),
);
