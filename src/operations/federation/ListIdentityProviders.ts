import { listIdentityProviders } from "../../domain/federation/identity-providers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListIdentityProviders", { caller: "admin" }, async (input, ctx) =>
  listIdentityProviders(ctx, input),
);
