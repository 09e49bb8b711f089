import { createIdentityProvider } from "../../domain/federation/identity-providers.ts";
import type { CreateIdentityProviderRequest, CreateIdentityProviderResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<CreateIdentityProviderRequest, CreateIdentityProviderResponse>(
  "CreateIdentityProvider",
  async (input, ctx) => ({ IdentityProvider: await createIdentityProvider(ctx, input) }),
);
