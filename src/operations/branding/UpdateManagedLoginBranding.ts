import { updateBranding } from "../../domain/hosting/branding.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateManagedLoginBranding",
  { caller: "admin" },
  async (input, ctx) => ({ ManagedLoginBranding: await updateBranding(ctx, input) }),
);
