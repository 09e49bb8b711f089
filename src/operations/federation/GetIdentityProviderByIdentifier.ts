import { getIdentityProviderByIdentifier } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetIdentityProviderByIdentifier",
  { caller: "admin" },
  async (input, ctx) => ({
    IdentityProvider: await getIdentityProviderByIdentifier(ctx, input.UserPoolId, input.IdpIdentifier),
  }),
);
