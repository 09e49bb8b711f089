import { describeClient } from "../../domain/clients/clients.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeUserPoolClient",
  { caller: "admin" },
  async (input, ctx) => ({ UserPoolClient: await describeClient(ctx, input.UserPoolId, input.ClientId) }),
);
