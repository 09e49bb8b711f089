import { describeDomain } from "../../domain/hosting/domains.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DescribeUserPoolDomain",
  { caller: "admin" },
  async (input, ctx, caller) => ({
    DomainDescription: await describeDomain(ctx, input.Domain, caller.region),
  }),
);
