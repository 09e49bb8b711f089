import { describeBrandingByClient } from "../../domain/hosting/branding.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeManagedLoginBrandingByClient",
  { caller: "admin" },
  async (input, ctx) => ({
    ManagedLoginBranding: await describeBrandingByClient(ctx, input.UserPoolId, input.ClientId),
  }),
);
