import { listTerms } from "../../domain/terms/terms.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListTerms", { caller: "admin" }, (input, ctx) =>
  listTerms(ctx, input),
);
