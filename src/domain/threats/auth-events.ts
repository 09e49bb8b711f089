/**
 * Auth events: the history threat protection keeps of each user's sign-ins, sign-ups, password
 * changes and recovery requests (AdminListUserAuthEvents), with the feedback on them
 * (AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback). Events are recorded only while the pool's
 * threat protection is AUDIT or ENFORCED, as in Cognito.
 *
 * `recordAuthEvent` is the one function that records an event.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { NotAuthorizedException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import type {
  AdminListUserAuthEventsRequest,
  AdminListUserAuthEventsResponse,
  AuthEventType,
  ChallengeResponseType,
  EventFeedbackType,
  EventResponseType,
  EventRiskType,
  EventType,
  FeedbackValueType,
} from "../../generated/types.ts";
import type { AuthEventRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { wireTime } from "../ids.ts";
import { logUserAuthEvent } from "../logging/log-delivery.ts";
import { requirePool, requireUser } from "../lookups.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { requireAddOn, threatMode } from "./config.ts";
import { signalsOf } from "./context.ts";

/** What one event says; the id and date are given when it is recorded. */
export interface AuthEventInput {
  type: EventType;
  response: EventResponseType;
  risk?: EventRiskType;
  challenges?: ChallengeResponseType[];
  ipAddress?: string;
  userAgent?: string;
  deviceKey?: string;
}

/**
 * Records one auth event of `user` (nothing while the pool's threat protection is OFF) and answers
 * it, or undefined when none was recorded.
 */
export async function recordAuthEvent(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  event: AuthEventInput,
): Promise<AuthEventRecord | undefined> {
  if (threatMode(pool) === "OFF") return undefined;
  const record: AuthEventRecord = {
    poolId: pool.id,
    sub: user.sub,
    eventId: randomUUID(),
    createdAt: ctx.now,
    data: {
      EventType: event.type,
      EventResponse: event.response,
      EventRisk: event.risk ?? { RiskDecision: "NoRisk" },
      ChallengeResponses: event.challenges ?? [],
      EventContextData: {
        ...(event.ipAddress === undefined ? {} : { IpAddress: event.ipAddress }),
        ...(event.userAgent === undefined ? {} : { DeviceName: event.userAgent }),
      },
      ...(event.userAgent === undefined ? {} : { userAgent: event.userAgent }),
      ...(event.deviceKey === undefined ? {} : { deviceKey: event.deviceKey }),
    },
  };
  await ctx.services.storage.transaction((tx) => tx.threats.insertAuthEvent(record));
  await logUserAuthEvent(ctx, pool, {
    event: toAuthEventType(record),
    userSub: user.sub,
    userName: user.username,
    requestId: ctx.requestId,
    hasContextData: false,
  });
  return record;
}

/** Rewrites an event's data (a sign-in that went on: its MFA answered, its tokens issued). */
export async function updateAuthEvent(ctx: RequestContext, event: AuthEventRecord): Promise<void> {
  await ctx.services.storage.transaction((tx) => tx.threats.updateAuthEvent(event));
}

/** The user's newest events (the risk signals read them). */
export async function recentEvents(ctx: RequestContext, pool: PoolRecord, sub: string, limit = 50) {
  return (await ctx.services.storage.threats.listAuthEvents(pool.id, sub, limit)).items;
}

export function toAuthEventType(e: AuthEventRecord): AuthEventType {
  const { userAgent: _agent, deviceKey: _device, ...wire } = e.data;
  return { EventId: e.eventId, CreationDate: wireTime(e.createdAt), ...wire };
}

/** AdminListUserAuthEvents: the user's events, newest first; 60 to a page when MaxResults is 0 or absent. */
export async function listUserAuthEvents(
  ctx: RequestContext,
  input: AdminListUserAuthEventsRequest,
): Promise<AdminListUserAuthEventsResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const user = await requireUser(storage, pool, input.Username);
  requireAddOn(pool);
  const limit = input.MaxResults ? input.MaxResults : 60;
  const scope = `auth-events:${pool.id}:${user.sub}`;
  const after = fromToken(input.NextToken, scope);
  const page = await readPage(() => storage.threats.listAuthEvents(pool.id, user.sub, limit, after));
  return {
    AuthEvents: page.items.map(toAuthEventType),
    ...(page.next ? { NextToken: toToken(page.next, scope) } : {}),
  };
}

/**
 * The token of the links in a notification email: it names one event of one user, signed with the
 * server secret (UpdateAuthEventFeedback checks it).
 */
export function feedbackToken(ctx: RequestContext, event: AuthEventRecord): string {
  return createHmac("sha256", ctx.services.serverSecret)
    .update(`auth-event-feedback\n${event.poolId}\n${event.sub}\n${event.eventId}`)
    .digest("base64url");
}

/**
 * Feedback on an event (AdminUpdateAuthEventFeedback, or UpdateAuthEventFeedback with the token of
 * the event's notification email). The event keeps it (EventFeedback); the risk signals then trust
 * the event's IP address and device (Valid) or treat them as high risk (Invalid).
 */
export async function updateAuthEventFeedback(
  ctx: RequestContext,
  input: {
    UserPoolId: string;
    Username: string;
    EventId: string;
    FeedbackValue: FeedbackValueType;
    FeedbackToken?: string;
  },
  provider: "Admin" | "User",
): Promise<void> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const user = await requireUser(storage, pool, input.Username);
  requireAddOn(pool);
  await storage.transaction(async (tx) => {
    const event = await tx.threats.getAuthEvent(pool.id, input.EventId);
    if (!event || event.sub !== user.sub) throw new ResourceNotFoundException("Auth event not found.");
    if (input.FeedbackToken !== undefined && !sameToken(feedbackToken(ctx, event), input.FeedbackToken))
      throw new NotAuthorizedException("Invalid feedback token.");
    const feedback: EventFeedbackType = {
      FeedbackValue: input.FeedbackValue,
      Provider: provider,
      FeedbackDate: wireTime(ctx.now),
    };
    await tx.threats.updateAuthEvent({ ...event, data: { ...event.data, EventFeedback: feedback } });
  });
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The auth event of a sign-up or a password change (while threat protection is on). */
export async function recordPasswordEvent(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  type: "SignUp" | "PasswordChange",
  compromised: boolean,
): Promise<void> {
  const { ipAddress, userAgent } = signalsOf(ctx, undefined);
  await recordAuthEvent(ctx, pool, user, {
    type,
    response: "Pass",
    risk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: compromised },
    ...(ipAddress === undefined ? {} : { ipAddress }),
    ...(userAgent === undefined ? {} : { userAgent }),
  });
}

/** The auth event of a code requested for recovery or confirmation (ForgotPassword, ResendConfirmationCode). */
export async function recordRequestEvent(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  type: "ForgotPassword" | "ResendCode",
): Promise<void> {
  const { ipAddress, userAgent } = signalsOf(ctx, undefined);
  await recordAuthEvent(ctx, pool, user, {
    type,
    response: "Pass",
    ...(ipAddress === undefined ? {} : { ipAddress }),
    ...(userAgent === undefined ? {} : { userAgent }),
  });
}
