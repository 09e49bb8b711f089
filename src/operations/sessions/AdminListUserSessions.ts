import { adminListUserSessions } from "../../domain/sessions/manage.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminListUserSessions", { caller: "admin" }, async (input, ctx) =>
  adminListUserSessions(ctx, input),
);
