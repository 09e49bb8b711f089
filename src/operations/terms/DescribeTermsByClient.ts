import { describeTermsByClient } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeTermsByClient",
  { caller: "admin" },
  async (input, ctx) => ({
    Terms: await describeTermsByClient(ctx, input.UserPoolId, input.ClientId, input.TermsName),
  }),
);
