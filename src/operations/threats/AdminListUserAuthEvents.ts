import { listUserAuthEvents } from "../../domain/threats/auth-events.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminListUserAuthEvents", { caller: "admin" }, async (input, ctx) =>
  listUserAuthEvents(ctx, input),
);
