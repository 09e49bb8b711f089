import { signedInUser } from "../../domain/users/account.ts";
import { verifyUserAttribute } from "../../domain/users/attribute-verification.ts";
import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<VerifyUserAttributeRequest, VerifyUserAttributeResponse>(
  "VerifyUserAttribute",
  async (input, ctx) => {
    await verifyUserAttribute(
      ctx,
      await signedInUser(ctx, input.AccessToken),
      input.AttributeName,
      input.Code,
    );
    return {};
  },
);
