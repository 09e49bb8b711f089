import { describeClient } from "../../domain/clients/clients.ts";
import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>(
  "DescribeUserPoolClient",
  async (input, ctx) => ({ UserPoolClient: await describeClient(ctx, input.UserPoolId, input.ClientId) }),
);
