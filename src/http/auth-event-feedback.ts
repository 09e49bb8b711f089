/**
 * The one-click feedback links of threat protection's notification emails
 * (`{one-click-link-valid}`, `{one-click-link-invalid}`): `GET /<poolId>/auth-event-feedback` with
 * the event's id, its FeedbackToken and the value records the feedback as UpdateAuthEventFeedback
 * does, and answers a short plain-text page.
 */
import { updateAuthEventFeedback } from "../domain/threats/auth-events.ts";
import { AwsError } from "../errors.ts";
import { requestContext } from "./context.ts";
import type { HttpPlugin } from "./plugin.ts";

const POOL_ID = /^([\w-]+)_[0-9a-zA-Z]+$/;

type Query = { username?: string; event_id?: string; feedback_token?: string; feedback_value?: string };

export const authEventFeedback: HttpPlugin = async (app, { services }) => {
  app.get<{ Params: { poolId: string }; Querystring: Query }>(
    "/:poolId/auth-event-feedback",
    async (req, reply) => {
      const { poolId } = req.params;
      const region = POOL_ID.exec(poolId)?.[1];
      const q = req.query;
      const value = q.feedback_value;
      if (
        region === undefined ||
        !q.username ||
        !q.event_id ||
        !q.feedback_token ||
        (value !== "Valid" && value !== "Invalid")
      )
        return reply.code(400).type("text/plain; charset=utf-8").send("This feedback link is not valid.");
      const ctx = requestContext(services, req, { region });
      try {
        await updateAuthEventFeedback(
          ctx,
          {
            UserPoolId: poolId,
            Username: q.username,
            EventId: q.event_id,
            FeedbackToken: q.feedback_token,
            FeedbackValue: value,
          },
          "User",
        );
      } catch (e) {
        if (e instanceof AwsError)
          return reply.code(400).type("text/plain; charset=utf-8").send("This feedback link is not valid.");
        throw e;
      }
      return reply
        .type("text/plain; charset=utf-8")
        .send(
          value === "Valid"
            ? "Thank you: the sign-in is marked as yours."
            : "Thank you: the sign-in is reported as not yours.",
        );
    },
  );
};
