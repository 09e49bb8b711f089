import { listIdentityProviders } from "../../domain/federation/identity-providers.ts";
import type { ListIdentityProvidersRequest, ListIdentityProvidersResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListIdentityProvidersRequest, ListIdentityProvidersResponse>(
  "ListIdentityProviders",
  async (input, ctx) => listIdentityProviders(ctx, input),
);
