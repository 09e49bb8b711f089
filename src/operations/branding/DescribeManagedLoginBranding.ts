import { describeBranding } from "../../domain/hosting/branding.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeManagedLoginBranding",
  { caller: "admin" },
  async (input, ctx) => ({
    ManagedLoginBranding: await describeBranding(ctx, input.UserPoolId, input.ManagedLoginBrandingId),
  }),
);
