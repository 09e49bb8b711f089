import { updateAuthEventFeedback } from "../../domain/threats/auth-events.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminUpdateAuthEventFeedback",
  { caller: "admin" },
  async (input, ctx) => {
    await updateAuthEventFeedback(ctx, input, "Admin");
    return {};
  },
);
