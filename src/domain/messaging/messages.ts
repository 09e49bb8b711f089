/**
 * The messages Lanyard sends, composed from the pool's templates (or Cognito's default texts), and
 * their hand-over to the configured delivery. Messages never go to the logger.
 */
import { audit } from "../audit.ts";
import type { RequestContext } from "../../context.ts";
import type { OutgoingMessage } from "../../delivery/delivery.ts";
import { CodeDeliveryFailureException } from "../../generated/exceptions.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { logUserNotification } from "../logging/log-delivery.ts";
import { type MessageOrigin, sendThroughCustomSender } from "./custom-sender.ts";
import type { Destination } from "./destinations.ts";
import { customMessage } from "../triggers/custom-message.ts";

export interface MessageContent {
  /** Email only. */
  subject?: string;
  body: string;
}

/** Why a code is sent (the Cognito custom-message trigger sources, in Lanyard's words). */
export type CodeMessagePurpose =
  "signup" | "resend_code" | "forgot_password" | "verify_attribute" | "update_attribute";

/** Cognito's verification texts when the pool sets none. */
const VERIFICATION_DEFAULTS = {
  subject: "Your verification code",
  email: "Your verification code is {####}. ",
  sms: "Your verification code is {####}. ",
};

/** Cognito's forgot-password text when the pool sets no verification template. */
const RESET_DEFAULTS = {
  subject: "Your verification code",
  email: "Your password reset code is {####}",
  sms: "Your password reset code is {####}",
};

/** Cognito's invitation texts when the pool sets no InviteMessageTemplate. */
const INVITATION_DEFAULTS = {
  subject: "Your temporary password",
  email: "Your username is {username} and temporary password is {####}. ",
  sms: "Your username is {username} and temporary password is {####}. ",
};

function fill(template: string, values: { code: string; username?: string }): string {
  return template.replace(/\{####\}|\{username\}/g, (p) =>
    p === "{####}" ? values.code : (values.username ?? p),
  );
}

/**
 * A verification or forgot-password code message from the pool's VerificationMessageTemplate.
 * `{username}` is not a placeholder of verification messages (Cognito leaves it as it is).
 */
export function codeMessage(
  pool: PoolRecord,
  purpose: CodeMessagePurpose,
  medium: Destination["medium"],
  code: string,
): MessageContent {
  const t = pool.settings.VerificationMessageTemplate ?? {};
  const defaults = purpose === "forgot_password" ? RESET_DEFAULTS : VERIFICATION_DEFAULTS;
  if (medium === "SMS") return { body: fill(t.SmsMessage ?? defaults.sms, { code }) };
  // DefaultEmailOption CONFIRM_WITH_LINK makes Cognito send EmailMessageByLink / EmailSubjectByLink
  // for sign-up and resent codes, with a link to the pool's domain (/confirmUser). Lanyard has no
  // user pool domain yet, so it sends the code form of the message instead.
  return {
    subject: t.EmailSubject ?? defaults.subject,
    body: fill(t.EmailMessage ?? defaults.email, { code }),
  };
}

/** AdminCreateUser's invitation: `{username}` and `{####}` (the temporary password). */
export function invitationMessage(
  pool: PoolRecord,
  medium: Destination["medium"],
  username: string,
  temporaryPassword: string,
): MessageContent {
  const t = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  const values = { code: temporaryPassword, username };
  if (medium === "SMS") return { body: fill(t.SMSMessage ?? INVITATION_DEFAULTS.sms, values) };
  return {
    subject: t.EmailSubject ?? INVITATION_DEFAULTS.subject,
    body: fill(t.EmailMessage ?? INVITATION_DEFAULTS.email, values),
  };
}

/**
 * Hands a message to the configured delivery. Called after the transaction that stored the code
 * has committed. A delivery that fails is CodeDeliveryFailureException (the state stays committed:
 * the caller can ask for the code again).
 */
export async function sendMessage(
  ctx: RequestContext,
  pool: PoolRecord,
  username: string,
  to: Destination,
  purpose: CodeMessagePurpose | "invitation" | "resend_invitation" | "authentication",
  content: MessageContent,
  code: string,
  origin?: MessageOrigin,
): Promise<void> {
  // A custom sender (CustomEmailSender / CustomSMSSender) sends the message itself.
  if (await sendThroughCustomSender(ctx, pool, username, to, purpose, code, origin)) return;
  // Otherwise the pool's CustomMessage function may write the text.
  const custom = await customMessage(ctx, pool, purpose, to.medium, username, code, origin);
  if (custom)
    content = {
      ...(custom.subject === undefined ? content : { subject: custom.subject }),
      body: custom.body,
    };
  const emailConfig = pool.settings.EmailConfiguration;
  const message: OutgoingMessage = {
    poolId: pool.id,
    username,
    channel: to.medium,
    destination: to.address,
    body: content.body,
    purpose,
    code,
    sentAt: ctx.now,
  };
  if (content.subject !== undefined) message.subject = content.subject;
  if (to.medium === "EMAIL" && emailConfig?.From) message.from = emailConfig.From;
  if (to.medium === "EMAIL" && emailConfig?.ReplyToEmailAddress)
    message.replyTo = emailConfig.ReplyToEmailAddress;
  audit(ctx, "message sent", { poolId: pool.id, username, purpose, channel: to.medium });
  try {
    await ctx.services.delivery.send(message);
  } catch (e) {
    const err = e as { code?: unknown; name?: unknown };
    const error = typeof err.code === "string" ? err.code : String(err.name ?? "Error");
    ctx.services.logger.warn("message delivery failed", {
      requestId: ctx.requestId,
      poolId: pool.id,
      purpose,
      channel: to.medium,
      error,
    });
    await logUserNotification(ctx, pool.id, `${to.medium} message delivery failed (${purpose}): ${error}`);
    throw new CodeDeliveryFailureException("Unable to deliver the message.");
  }
}
