import { deleteTerms } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteTerms", { caller: "admin" }, async (input, ctx) => {
  await deleteTerms(ctx, input.UserPoolId, input.TermsId);
  return {};
});
