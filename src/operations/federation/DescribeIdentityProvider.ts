import { describeIdentityProvider } from "../../domain/federation/identity-providers.ts";
import type {
  DescribeIdentityProviderRequest,
  DescribeIdentityProviderResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DescribeIdentityProviderRequest, DescribeIdentityProviderResponse>(
  "DescribeIdentityProvider",
  async (input, ctx) => ({
    IdentityProvider: await describeIdentityProvider(ctx, input.UserPoolId, input.ProviderName),
  }),
);
