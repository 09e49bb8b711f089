import { getIdentityProviderByIdentifier } from "../../domain/federation/identity-providers.ts";
import type {
  GetIdentityProviderByIdentifierRequest,
  GetIdentityProviderByIdentifierResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<
  GetIdentityProviderByIdentifierRequest,
  GetIdentityProviderByIdentifierResponse
>("GetIdentityProviderByIdentifier", async (input, ctx) => ({
  IdentityProvider: await getIdentityProviderByIdentifier(ctx, input.UserPoolId, input.IdpIdentifier),
}));
