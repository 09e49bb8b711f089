import { revokeOwnSession } from "../../domain/sessions/manage.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "RevokeUserSession",
  { caller: "token" },
  async (input, ctx, caller) => {
    await revokeOwnSession(ctx, caller, input.SessionId!, input.RevokeAssociatedSessions);
    return {};
  },
);
