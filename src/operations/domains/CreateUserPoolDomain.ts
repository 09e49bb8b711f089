import { createDomain } from "../../domain/hosting/domains.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateUserPoolDomain", { caller: "admin" }, async (input, ctx) =>
  createDomain(ctx, input),
);
