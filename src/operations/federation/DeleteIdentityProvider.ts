import { deleteIdentityProvider } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteIdentityProvider",
  { caller: "admin" },
  async (input, ctx) => {
    await deleteIdentityProvider(ctx, input.UserPoolId, input.ProviderName);
    return {};
  },
);
