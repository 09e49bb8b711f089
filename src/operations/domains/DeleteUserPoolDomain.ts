import { deleteDomain } from "../../domain/hosting/domains.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteUserPoolDomain", { caller: "admin" }, async (input, ctx) => {
  await deleteDomain(ctx, input.UserPoolId, input.Domain);
  return {};
});
