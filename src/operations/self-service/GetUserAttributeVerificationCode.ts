import { getUserAttributeVerificationCode } from "../../domain/users/attribute-verification.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetUserAttributeVerificationCode",
  { caller: "token" },
  async (input, ctx, caller) => ({
    CodeDeliveryDetails: await getUserAttributeVerificationCode(
      ctx,
      caller,
      input.AttributeName,
      input.ClientMetadata,
    ),
  }),
);
