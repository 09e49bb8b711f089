import { describeResourceServer } from "../../domain/hosting/resource-servers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeResourceServer",
  { caller: "admin" },
  async (input, ctx) => ({
    ResourceServer: await describeResourceServer(ctx, input.UserPoolId, input.Identifier),
  }),
);
