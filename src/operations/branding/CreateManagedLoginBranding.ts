import { createBranding } from "../../domain/hosting/branding.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "CreateManagedLoginBranding",
  { caller: "admin" },
  async (input, ctx) => ({ ManagedLoginBranding: await createBranding(ctx, input) }),
);
