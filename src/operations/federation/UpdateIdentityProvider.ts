import { updateIdentityProvider } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateIdentityProvider",
  { caller: "admin" },
  async (input, ctx) => ({ IdentityProvider: await updateIdentityProvider(ctx, input) }),
);
