/**
 * The records of the user pools' log export, in the shapes of Cognito's "Exporting logs from Amazon
 * Cognito user pools": a `userNotification` record (message delivery errors, ERROR level) and a
 * `userAuthEvents` record (threat protection's user activity, INFO level). Every value of a
 * userAuthEvents message is a string, as in Cognito's example; absent values are "".
 */
import type { AuthEventType } from "../../generated/types.ts";

export type EventSource = "userNotification" | "userAuthEvents";
export type LogLevel = "ERROR" | "INFO";

/** The level of each event source's records (Cognito: "log level is exclusive to log type"). */
export const LEVEL_OF: Readonly<Record<EventSource, LogLevel>> = {
  userNotification: "ERROR",
  userAuthEvents: "INFO",
};

/** The `eventSource` value of each event source's records. */
const RECORD_SOURCE: Readonly<Record<EventSource, string>> = {
  userNotification: "USER_NOTIFICATION",
  userAuthEvents: "USER_ACTIVITY",
};

const RANK: Readonly<Record<LogLevel, number>> = { INFO: 1, ERROR: 2 };

/** Whether a record of `level` is written under a configuration of `configured` level. */
export function atLevel(level: LogLevel, configured: string): boolean {
  const floor = RANK[configured as LogLevel];
  return floor !== undefined && RANK[level] >= floor;
}

export interface UserNotificationRecord {
  eventTimestamp: string;
  eventSource: string;
  logLevel: LogLevel;
  message: { details: string };
  logSourceId: { userPoolId: string };
}

/** A message delivery error: `details` says what failed (never the destination or the code). */
export function userNotificationRecord(poolId: string, now: number, details: string): UserNotificationRecord {
  return {
    eventTimestamp: String(now),
    eventSource: RECORD_SOURCE.userNotification,
    logLevel: LEVEL_OF.userNotification,
    message: { details },
    logSourceId: { userPoolId: poolId },
  };
}

/** One auth event as threat protection records it, with who and where it happened. */
export interface UserAuthEventLog {
  event: AuthEventType;
  userSub: string;
  userName: string;
  clientId?: string;
  /** The request that caused the event. */
  requestId?: string;
  /** The identity provider of a federated sign-in. */
  idpName?: string;
  /** Whether the request carried UserContextData / ContextData. */
  hasContextData: boolean;
}

export interface UserAuthEventRecord {
  eventTimestamp: string;
  eventSource: string;
  logLevel: LogLevel;
  message: Record<string, unknown>;
  logSourceId: { userPoolId: string };
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** A time as Cognito's records write `creationDate`: `Wed Jul 17 17:25:55 UTC 2024`. */
export function recordDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The API's RiskDecision as the records write it (Cognito's example: NoRisk is `PASS`). */
const RISK_DECISION: Readonly<Record<string, string>> = {
  NoRisk: "PASS",
  AccountTakeover: "ACCOUNT_TAKEOVER",
  Block: "BLOCK",
};

export function userAuthEventRecord(poolId: string, now: number, log: UserAuthEventLog): UserAuthEventRecord {
  const e = log.event;
  const context = e.EventContextData ?? {};
  const feedback = e.EventFeedback;
  const decision = e.EventRisk?.RiskDecision;
  return {
    eventTimestamp: String(now),
    eventSource: RECORD_SOURCE.userAuthEvents,
    logLevel: LEVEL_OF.userAuthEvents,
    message: {
      version: "1",
      eventId: e.EventId ?? "",
      eventType: e.EventType ?? "",
      userSub: log.userSub,
      userName: log.userName,
      userPoolId: poolId,
      clientId: log.clientId ?? "",
      creationDate: recordDate(e.CreationDate !== undefined ? e.CreationDate * 1000 : now),
      eventResponse: e.EventResponse ?? "",
      riskLevel: e.EventRisk?.RiskLevel ?? "",
      riskDecision: decision === undefined ? "" : (RISK_DECISION[decision] ?? decision),
      challenges: (e.ChallengeResponses ?? []).map((c) => ({
        challengeName: c.ChallengeName ?? "",
        challengeResponse: c.ChallengeResponse ?? "",
      })),
      deviceName: context.DeviceName ?? "",
      ipAddress: context.IpAddress ?? "",
      requestId: log.requestId ?? "",
      idpName: log.idpName ?? "",
      compromisedCredentialDetected: String(e.EventRisk?.CompromisedCredentialsDetected === true),
      city: context.City ?? "",
      country: context.Country ?? "",
      eventFeedbackValue: feedback?.FeedbackValue ?? "",
      eventFeedbackDate: feedback?.FeedbackDate !== undefined ? recordDate(feedback.FeedbackDate * 1000) : "",
      eventFeedbackProvider: feedback?.Provider ?? "",
      hasContextData: String(log.hasContextData),
    },
    logSourceId: { userPoolId: poolId },
  };
}
