import { updateDomain } from "../../domain/hosting/domains.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateUserPoolDomain", { caller: "admin" }, async (input, ctx) =>
  updateDomain(ctx, input),
);
