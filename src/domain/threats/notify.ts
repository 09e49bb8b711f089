/**
 * The notification emails of adaptive authentication (NotifyConfiguration: BlockEmail, MfaEmail,
 * NoActionEmail, From, ReplyTo), sent through the server's delivery to the user's email address.
 * Their templates take Cognito's placeholders: {username}, {ip-address}, {device-name},
 * {login-time}, {city}, {country}, {one-click-link-valid} and {one-click-link-invalid}. The two
 * links carry the event's FeedbackToken (UpdateAuthEventFeedback); they point at Lanyard's
 * feedback endpoint (`/<poolId>/auth-event-feedback`), which records the feedback.
 * Lanyard has no geolocation: {city} and {country} are empty.
 */
import type { RequestContext } from "../../context.ts";
import type { NotifyConfigurationType, NotifyEmailType } from "../../generated/types.ts";
import type { AuthEventRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { feedbackToken } from "./auth-events.ts";

type EmailKind = "BlockEmail" | "MfaEmail" | "NoActionEmail";

const DEFAULTS: Record<EmailKind, NotifyEmailType> = {
  BlockEmail: {
    Subject: "Blocked sign-in attempt",
    TextBody:
      "We blocked an unrecognized sign-in to your account {username} at {login-time} from {device-name}, IP address {ip-address}. If this was you, confirm: {one-click-link-valid} If not, report it: {one-click-link-invalid}",
  },
  MfaEmail: {
    Subject: "New sign-in attempt",
    TextBody:
      "We asked for additional verification on a sign-in to your account {username} at {login-time} from {device-name}, IP address {ip-address}. If this was you: {one-click-link-valid} If not: {one-click-link-invalid}",
  },
  NoActionEmail: {
    Subject: "New sign-in attempt",
    TextBody:
      "We noticed a sign-in to your account {username} at {login-time} from {device-name}, IP address {ip-address}. If this was you: {one-click-link-valid} If not: {one-click-link-invalid}",
  },
};

/** The link of one feedback value for one event. */
export function feedbackLink(
  ctx: RequestContext,
  user: UserRecord,
  event: AuthEventRecord,
  value: "Valid" | "Invalid",
): string {
  const q = new URLSearchParams({
    username: user.username,
    event_id: event.eventId,
    feedback_token: feedbackToken(ctx, event),
    feedback_value: value,
  });
  return `${ctx.services.publicUrl()}/${event.poolId}/auth-event-feedback?${q}`;
}

export async function notifyUser(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  config: NotifyConfigurationType,
  kind: EmailKind,
  event: AuthEventRecord,
): Promise<void> {
  const to = user.attributes.email;
  if (!to) return;
  const template = config[kind] ?? DEFAULTS[kind];
  const values: Record<string, string> = {
    "{username}": user.username,
    "{ip-address}": event.data.EventContextData?.IpAddress ?? "",
    "{device-name}": event.data.EventContextData?.DeviceName ?? "",
    "{login-time}": new Date(event.createdAt).toUTCString(),
    "{city}": "",
    "{country}": "",
    "{one-click-link-valid}": feedbackLink(ctx, user, event, "Valid"),
    "{one-click-link-invalid}": feedbackLink(ctx, user, event, "Invalid"),
  };
  const fill = (text: string) => text.replace(/\{[a-z-]+\}/g, (m) => values[m] ?? m);
  const body = template.HtmlBody ?? template.TextBody ?? DEFAULTS[kind].TextBody!;
  await ctx.services.delivery.send({
    poolId: pool.id,
    username: user.username,
    channel: "EMAIL",
    destination: to,
    subject: fill(template.Subject),
    body: fill(body),
    ...(config.From === undefined ? {} : { from: config.From }),
    ...(config.ReplyTo === undefined ? {} : { replyTo: config.ReplyTo }),
    purpose: `account_takeover_${kind}`,
    code: feedbackToken(ctx, event),
    sentAt: ctx.now,
  });
}
