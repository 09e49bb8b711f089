import { deleteIdentityProvider } from "../../domain/federation/identity-providers.ts";
import type { DeleteIdentityProviderRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteIdentityProviderRequest, Record<string, never>>(
  "DeleteIdentityProvider",
  async (input, ctx) => {
    await deleteIdentityProvider(ctx, input.UserPoolId, input.ProviderName);
    return {};
  },
);
