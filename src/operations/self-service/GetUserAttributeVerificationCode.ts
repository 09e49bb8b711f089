import { signedInUser } from "../../domain/users/account.ts";
import { getUserAttributeVerificationCode } from "../../domain/users/attribute-verification.ts";
import type {
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse
>("GetUserAttributeVerificationCode", async (input, ctx) => ({
  CodeDeliveryDetails: await getUserAttributeVerificationCode(
    ctx,
    await signedInUser(ctx, input.AccessToken),
    input.AttributeName,
  ),
}));
