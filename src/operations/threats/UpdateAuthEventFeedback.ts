import { updateAuthEventFeedback } from "../../domain/threats/auth-events.ts";
import { defineOperation } from "../define.ts";

/** Unsigned: the FeedbackToken of the event's notification email is the proof. */
export const operation = defineOperation(
  "UpdateAuthEventFeedback",
  { caller: "none" },
  async (input, ctx) => {
    await updateAuthEventFeedback(ctx, input, "User");
    return {};
  },
);
