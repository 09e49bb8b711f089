import { locateSignedIn } from "../../domain/users/account.ts";
import { updateUserAttributes } from "../../domain/users/attribute-updates.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateUserAttributes",
  { caller: "token" },
  async (input, ctx, caller) => {
    const sent = await updateUserAttributes(
      ctx,
      locateSignedIn(caller),
      input.UserAttributes,
      { kind: "user", client: caller.client },
      input.ClientMetadata,
    );
    return sent.length > 0 ? { CodeDeliveryDetailsList: sent } : {};
  },
);
