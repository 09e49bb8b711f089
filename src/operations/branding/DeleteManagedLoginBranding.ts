import { deleteBranding } from "../../domain/hosting/branding.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteManagedLoginBranding",
  { caller: "admin" },
  async (input, ctx) => {
    await deleteBranding(ctx, input.UserPoolId, input.ManagedLoginBrandingId);
    return {};
  },
);
