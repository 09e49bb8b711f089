import { createTerms } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateTerms", { caller: "admin" }, async (input, ctx) => ({
  Terms: await createTerms(ctx, input),
}));
