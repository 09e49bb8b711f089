import { createIdentityProvider } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "CreateIdentityProvider",
  { caller: "admin" },
  async (input, ctx) => ({ IdentityProvider: await createIdentityProvider(ctx, input) }),
);
