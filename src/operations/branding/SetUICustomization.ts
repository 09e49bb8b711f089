import { setUICustomization } from "../../domain/hosting/ui-customization.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("SetUICustomization", { caller: "admin" }, async (input, ctx) => ({
  UICustomization: await setUICustomization(ctx, input),
}));
