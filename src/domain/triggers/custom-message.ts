/**
 * CustomMessage: before a message goes out, the pool's function may rewrite its text. The event
 * carries the code and username as placeholders (`{####}`, `{username}`); the answer's messages
 * must keep the code placeholder and fit Cognito's limits, else the message Cognito would have sent
 * goes out instead (as Cognito does).
 */
import type { CustomMessageTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import type { PoolRecord } from "../../storage/records.ts";
import type { MessageOrigin } from "../messaging/custom-sender.ts";
import { findUser } from "../users/users.ts";
import { baseEvent, hasTrigger, invokeTrigger, unrecognizableOutput } from "./invoke.ts";
import { userAttributes } from "./sign-up.ts";

export type CustomMessageSource = CustomMessageTriggerEvent["triggerSource"];

export const CODE_PARAMETER = "{####}";
export const USERNAME_PARAMETER = "{username}";
/** Cognito's limits on a custom message. */
export const EMAIL_MESSAGE_MAX = 20000;
export const EMAIL_SUBJECT_MAX = 140;
export const SMS_MESSAGE_MAX = 140;

/** The message's purpose as the trigger names it. */
export function customMessageSource(purpose: string): CustomMessageSource | undefined {
  switch (purpose) {
    case "signup":
      return "CustomMessage_SignUp";
    case "resend_code":
      return "CustomMessage_ResendCode";
    case "forgot_password":
      return "CustomMessage_ForgotPassword";
    case "update_attribute":
      return "CustomMessage_UpdateUserAttribute";
    case "verify_attribute":
      return "CustomMessage_VerifyUserAttribute";
    case "invitation":
    case "resend_invitation":
      return "CustomMessage_AdminCreateUser";
    case "authentication":
      return "CustomMessage_Authentication";
    default:
      return undefined;
  }
}

function optionalText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw unrecognizableOutput();
  return v;
}

/**
 * The message as the pool's CustomMessage function writes it, or undefined (no function, or an
 * answer that does not qualify: no code placeholder, over the limits). `code` and `username` fill
 * the placeholders of the answer.
 */
export async function customMessage(
  ctx: RequestContext,
  pool: PoolRecord,
  purpose: string,
  medium: "EMAIL" | "SMS",
  username: string,
  code: string,
  origin: MessageOrigin | undefined,
): Promise<{ subject?: string; body: string } | undefined> {
  if (!hasTrigger(pool, "CustomMessage")) return undefined;
  const source = customMessageSource(purpose);
  if (!source) return undefined;
  const user = await findUser(ctx.services.storage, pool, username);
  const event: CustomMessageTriggerEvent = {
    ...baseEvent(ctx, pool, "CustomMessage", source, user?.username ?? username, origin?.clientId),
    request: {
      userAttributes: user ? userAttributes(user) : {},
      codeParameter: CODE_PARAMETER,
      linkParameter: "{##Click Here##}",
      usernameParameter: source === "CustomMessage_AdminCreateUser" ? USERNAME_PARAMETER : null,
      ...(origin?.clientMetadata ? { clientMetadata: origin.clientMetadata } : {}),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
  const answer = await invokeTrigger(ctx, pool, "CustomMessage", event);
  if (!answer) return undefined;
  const r = answer.response as unknown as Record<string, unknown>;
  // An invitation must carry both the username and the temporary password.
  const placeholders =
    source === "CustomMessage_AdminCreateUser" ? [CODE_PARAMETER, USERNAME_PARAMETER] : [CODE_PARAMETER];
  const qualifies = (text: string) => placeholders.every((p) => text.includes(p));
  const fill = (text: string) =>
    text.replaceAll(CODE_PARAMETER, code).replaceAll(USERNAME_PARAMETER, username);
  if (medium === "SMS") {
    const sms = optionalText(r.smsMessage);
    if (sms === undefined || !qualifies(sms) || sms.length > SMS_MESSAGE_MAX) return undefined;
    return { body: fill(sms) };
  }
  const body = optionalText(r.emailMessage);
  const subject = optionalText(r.emailSubject);
  if (body === undefined || !qualifies(body) || body.length > EMAIL_MESSAGE_MAX) return undefined;
  if (subject !== undefined && subject.length > EMAIL_SUBJECT_MAX) return undefined;
  return { ...(subject === undefined ? {} : { subject }), body: fill(body) };
}
