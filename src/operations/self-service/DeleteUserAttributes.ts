import { locateSignedIn, signedInUser } from "../../domain/users/account.ts";
import { deleteUserAttributes } from "../../domain/users/attribute-updates.ts";
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(
  "DeleteUserAttributes",
  async (input, ctx) => {
    const caller = await signedInUser(ctx, input.AccessToken);
    await deleteUserAttributes(ctx, locateSignedIn(caller), input.UserAttributeNames, {
      kind: "user",
      client: caller.client,
    });
    return {};
  },
);
