import { associateSoftwareToken } from "../../domain/mfa/software-token.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AssociateSoftwareToken", { caller: "none" }, (input, ctx) =>
  associateSoftwareToken(ctx, input),
);
