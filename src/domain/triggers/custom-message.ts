/**
 * CustomMessage: before a message goes out, the pool's function may rewrite its text. The event
 * carries the code and username as placeholders (`{####}`, `{username}`). An answer without a
 * message (null, as the event comes) leaves Cognito's message as it is. An email message must
 * satisfy the pattern Cognito checks it against (the code placeholder, and only letters, marks,
 * symbols, numbers, punctuation and ASCII white space): one that does not, an empty one included,
 * fails the request with Cognito's InvalidParameterException on `emailBody`. Otherwise an answer
 * that does not qualify (an SMS without the code placeholder, an invitation without the username
 * one, a message over Cognito's limits) is ignored and the usual message goes out.
 */
import type { CustomMessageTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
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

/** The pattern Cognito checks a custom email message against, as its error message shows it. */
const EMAIL_BODY_PATTERN_TEXT =
  "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
/** The same pattern, matched whole; `\s` is Java's: ASCII white space only. */
const EMAIL_BODY_PATTERN =
  /^[\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\v\f\r*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\v\f\r*]*$/u;

function invalidEmailBody(body: string): InvalidParameterException {
  return new InvalidParameterException(
    `1 validation error detected: Value '${body}' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: ${EMAIL_BODY_PATTERN_TEXT}`,
  );
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
  if (body === undefined) return undefined;
  if (!EMAIL_BODY_PATTERN.test(body)) throw invalidEmailBody(body);
  if (!qualifies(body) || body.length > EMAIL_MESSAGE_MAX) return undefined;
  if (subject !== undefined && subject.length > EMAIL_SUBJECT_MAX) return undefined;
  return { ...(subject === undefined ? {} : { subject }), body: fill(body) };
}
