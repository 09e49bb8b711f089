import { describeTerms } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DescribeTerms", { caller: "admin" }, async (input, ctx) => ({
  Terms: await describeTerms(ctx, input.UserPoolId, input.TermsId),
}));
