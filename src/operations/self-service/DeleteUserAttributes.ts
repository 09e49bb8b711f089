import { locateSignedIn } from "../../domain/users/account.ts";
import { deleteUserAttributes } from "../../domain/users/attribute-updates.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteUserAttributes",
  { caller: "token" },
  async (input, ctx, caller) => {
    await deleteUserAttributes(ctx, locateSignedIn(caller), input.UserAttributeNames, {
      kind: "user",
      client: caller.client,
    });
    return {};
  },
);
