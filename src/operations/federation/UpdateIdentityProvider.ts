import { updateIdentityProvider } from "../../domain/federation/identity-providers.ts";
import type { UpdateIdentityProviderRequest, UpdateIdentityProviderResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UpdateIdentityProviderRequest, UpdateIdentityProviderResponse>(
  "UpdateIdentityProvider",
  async (input, ctx) => ({ IdentityProvider: await updateIdentityProvider(ctx, input) }),
);
