import { describeIdentityProvider } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeIdentityProvider",
  { caller: "admin" },
  async (input, ctx) => ({
    IdentityProvider: await describeIdentityProvider(ctx, input.UserPoolId, input.ProviderName),
  }),
);
