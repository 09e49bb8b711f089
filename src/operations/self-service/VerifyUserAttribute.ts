import { verifyUserAttribute } from "../../domain/users/attribute-verification.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "VerifyUserAttribute",
  { caller: "token" },
  async (input, ctx, caller) => {
    await verifyUserAttribute(ctx, caller, input.AttributeName, input.Code);
    return {};
  },
);
