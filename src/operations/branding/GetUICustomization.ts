import { getUICustomization } from "../../domain/hosting/ui-customization.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetUICustomization", { caller: "admin" }, async (input, ctx) => ({
  UICustomization: await getUICustomization(ctx, input.UserPoolId, input.ClientId),
}));
