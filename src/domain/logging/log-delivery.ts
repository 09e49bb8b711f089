/**
 * Log delivery: GetLogDeliveryConfiguration and SetLogDeliveryConfiguration, and the two writers the
 * rest of Lanyard calls, `logUserNotification` (a message delivery error) and `logUserAuthEvent`
 * (one threat protection auth event). A configuration is kept and answered exactly as set; its
 * destinations (CloudWatch Logs, S3, Firehose ARNs) are out of Lanyard's reach, so the records go
 * to the local log sink instead (Services.logSink: a file per pool and event source, or stdout).
 */
import type { RequestContext } from "../../context.ts";
import { FeatureUnavailableInTierException, InvalidParameterException } from "../../generated/exceptions.ts";
import type { LogConfigurationType, LogDeliveryConfigurationType } from "../../generated/types.ts";
import type { LogConfigurationRecord, PoolRecord } from "../../storage/records.ts";
import { requirePool } from "../lookups.ts";
import {
  atLevel,
  type EventSource,
  LEVEL_OF,
  type UserAuthEventLog,
  userAuthEventRecord,
  userNotificationRecord,
} from "./records.ts";

export type { UserAuthEventLog } from "./records.ts";

/** The service each destination's ARN must name, with the resource it must start with. */
const DESTINATIONS = {
  CloudWatchLogsConfiguration: { field: "LogGroupArn", arn: /^arn:[^:]+:logs:[^:]*:\d+:log-group:.+$/ },
  S3Configuration: { field: "BucketArn", arn: /^arn:[^:]+:s3:::.+$/ },
  FirehoseConfiguration: { field: "StreamArn", arn: /^arn:[^:]+:firehose:[^:]*:\d+:deliverystream\/.+$/ },
} as const;
type DestinationKey = keyof typeof DESTINATIONS;

function invalid(message: string): InvalidParameterException {
  return new InvalidParameterException(message);
}

/** Checks one LogConfiguration as Cognito does, and answers it as it will be stored and returned. */
function settle(c: LogConfigurationType, pool: PoolRecord): LogConfigurationRecord {
  const source = c.EventSource as EventSource;
  const level = LEVEL_OF[source];
  if (c.LogLevel !== level) throw invalid(`LogLevel for EventSource ${source} must be ${level}.`);
  const given = (Object.keys(DESTINATIONS) as DestinationKey[]).filter((k) => c[k] !== undefined);
  if (given.length !== 1)
    throw invalid(
      `Exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration is required for EventSource ${source}.`,
    );
  const key = given[0]!;
  if (source === "userNotification" && key !== "CloudWatchLogsConfiguration")
    throw invalid("userNotification logs can only be delivered to CloudWatchLogsConfiguration.");
  const { field, arn } = DESTINATIONS[key];
  const value = (c[key] as Record<string, string | undefined>)[field];
  if (value === undefined) throw invalid(`${key}.${field} is required.`);
  if (!arn.test(value)) throw invalid(`${key}.${field} ${value} is not a valid ARN for this destination.`);
  if (source === "userAuthEvents" && pool.settings.UserPoolTier !== "PLUS")
    throw new FeatureUnavailableInTierException(
      "Exporting userAuthEvents logs requires a user pool on the Plus feature plan.",
    );
  return { EventSource: source, LogLevel: level, [key]: { [field]: value } } as LogConfigurationRecord;
}

function toWire(poolId: string, configurations: LogConfigurationRecord[]): LogDeliveryConfigurationType {
  return {
    UserPoolId: poolId,
    LogConfigurations: configurations.map((c) => structuredClone(c) as LogConfigurationType),
  };
}

export async function getLogDeliveryConfiguration(
  ctx: RequestContext,
  poolId: string,
): Promise<LogDeliveryConfigurationType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  const record = await storage.logDelivery.getLogDelivery(pool.id);
  return toWire(pool.id, record?.configurations ?? []);
}

/** Replaces the pool's whole configuration (an empty list turns log export off). */
export async function setLogDeliveryConfiguration(
  ctx: RequestContext,
  poolId: string,
  configurations: readonly LogConfigurationType[],
): Promise<LogDeliveryConfigurationType> {
  const seen = new Set<string>();
  for (const c of configurations) {
    if (seen.has(c.EventSource))
      throw invalid(`Only one LogConfiguration is allowed for EventSource ${c.EventSource}.`);
    seen.add(c.EventSource);
  }
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const settled = configurations.map((c) => settle(c, pool));
    await tx.logDelivery.putLogDelivery({ poolId: pool.id, configurations: settled, updatedAt: ctx.now });
    return toWire(pool.id, settled);
  });
}

/** Writes a record to the sink when the pool exports `source` at the record's level. Never throws. */
async function deliver(
  ctx: RequestContext,
  poolId: string,
  source: EventSource,
  record: () => object,
): Promise<void> {
  const { storage, logSink, logger } = ctx.services;
  try {
    const config = await storage.logDelivery.getLogDelivery(poolId);
    const configured = config?.configurations.find((c) => c.EventSource === source);
    if (!configured || !atLevel(LEVEL_OF[source], configured.LogLevel)) return;
    await logSink.write(poolId, source, record());
  } catch (e) {
    // Delivery of logs is best effort, as in Cognito: a failure costs the record, not the request.
    logger.warn("log delivery failed", {
      requestId: ctx.requestId,
      poolId,
      eventSource: source,
      error: String((e as { code?: unknown }).code ?? (e as Error).name),
    });
  }
}

/**
 * A message (code, temporary password, invitation) that could not be delivered: a `userNotification`
 * ERROR record, when the pool exports them. `details` must name neither the destination nor the code.
 */
export async function logUserNotification(
  ctx: RequestContext,
  poolId: string,
  details: string,
): Promise<void> {
  await deliver(ctx, poolId, "userNotification", () => userNotificationRecord(poolId, ctx.now, details));
}

/**
 * One auth event (threat protection): a `userAuthEvents` INFO record, when the pool exports them.
 * As in Cognito, only pools on the Plus feature plan with threat protection on (AUDIT or ENFORCED)
 * produce these records; for any other pool this does nothing.
 */
export async function logUserAuthEvent(
  ctx: RequestContext,
  pool: PoolRecord,
  log: UserAuthEventLog,
): Promise<void> {
  const mode = pool.settings.UserPoolAddOns?.AdvancedSecurityMode;
  if (pool.settings.UserPoolTier !== "PLUS" || (mode !== "AUDIT" && mode !== "ENFORCED")) return;
  await deliver(ctx, pool.id, "userAuthEvents", () => userAuthEventRecord(pool.id, ctx.now, log));
}
