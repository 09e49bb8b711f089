import { describeRiskConfiguration } from "../../domain/threats/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeRiskConfiguration",
  { caller: "admin" },
  async (input, ctx) => ({
    RiskConfiguration: await describeRiskConfiguration(ctx, input.UserPoolId, input.ClientId),
  }),
);
