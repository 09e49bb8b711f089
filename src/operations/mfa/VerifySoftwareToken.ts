import { verifySoftwareToken } from "../../domain/mfa/software-token.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("VerifySoftwareToken", { caller: "none" }, (input, ctx) =>
  verifySoftwareToken(ctx, input),
);
