import { listOwnSessions } from "../../domain/sessions/manage.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ListUserSessions",
  { caller: "token" },
  async (input, ctx, caller) => listOwnSessions(ctx, caller, input.NextToken),
);
