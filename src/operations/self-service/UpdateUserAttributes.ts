import { locateSignedIn, signedInUser } from "../../domain/users/account.ts";
import { updateUserAttributes } from "../../domain/users/attribute-updates.ts";
import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(
  "UpdateUserAttributes",
  async (input, ctx) => {
    const caller = await signedInUser(ctx, input.AccessToken);
    const sent = await updateUserAttributes(ctx, locateSignedIn(caller), input.UserAttributes, {
      kind: "user",
      client: caller.client,
    });
    return sent.length > 0 ? { CodeDeliveryDetailsList: sent } : {};
  },
);
