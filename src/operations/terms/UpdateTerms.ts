import { updateTerms } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateTerms", { caller: "admin" }, async (input, ctx) => ({
  Terms: await updateTerms(ctx, input),
}));
