/**
 * The one way the domain calls a pool's Lambda trigger: `invokeTrigger(ctx, pool, source, event)`.
 * `source` names the LambdaConfig member; the pool's ARN for it is resolved here and invoked through
 * the configured invokers (src/triggers/). The answer is the event as the function returned it, or
 * undefined when the pool has no function for that trigger. Failures become Cognito's errors:
 *
 * - the function threw: UserLambdaValidationException "<Trigger> failed with error <message>."
 * - no answer (timeout, unreachable, no mapping): UnexpectedLambdaException
 *   "<Trigger> invocation failed due to error <reason>."
 * - an answer that is not an event object: InvalidLambdaResponseException "Unrecognizable lambda output"
 */
import type { RequestContext } from "../../context.ts";
import {
  InvalidLambdaResponseException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
} from "../../generated/exceptions.ts";
import type { LambdaConfigType } from "../../generated/types.ts";
import type { PoolRecord } from "../../storage/records.ts";

/** Cognito's timeout for a trigger function. */
export const TRIGGER_TIMEOUT_MS = 5000;

/** The triggers a pool may name (LambdaConfig's members that hold functions). */
export type TriggerName = Exclude<keyof LambdaConfigType, "KMSKeyID" | "PreTokenGenerationConfig">;

/** `callerContext.awsSdkVersion` when the request named no SDK (the managed login pages, other clients). */
export const UNKNOWN_SDK = "aws-sdk-unknown-unknown";

/** `callerContext.clientId` of an event that no app client caused (AdminCreateUser and the like). */
export const NO_CLIENT_ID = "CLIENT_ID_NOT_APPLICABLE";

/** The function ARN a pool has for a trigger, if any. */
export function triggerArn(pool: PoolRecord, source: TriggerName): string | undefined {
  const config = pool.settings.LambdaConfig;
  if (!config) return undefined;
  switch (source) {
    case "PreTokenGeneration":
      return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration ?? undefined;
    case "CustomEmailSender":
    case "CustomSMSSender":
    case "InboundFederation":
      return config[source]?.LambdaArn ?? undefined;
    default:
      return config[source] ?? undefined;
  }
}

/** The event version of PreTokenGeneration: V1_0 (also for the older PreTokenGeneration member), V2_0, V3_0. */
export function preTokenGenerationVersion(pool: PoolRecord): "1" | "2" | "3" {
  const config = pool.settings.LambdaConfig;
  if (config?.PreTokenGenerationConfig?.LambdaArn) {
    const v = config.PreTokenGenerationConfig.LambdaVersion;
    if (v === "V2_0") return "2";
    if (v === "V3_0") return "3";
  }
  return "1";
}

/** The fields every trigger event starts with (as @types/aws-lambda's BaseTriggerEvent). */
export interface BaseTriggerEvent<T extends string> {
  version: string;
  triggerSource: T;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: object;
  response: object;
}

/** The fields every trigger event starts with. */
export function baseEvent<T extends string>(
  ctx: RequestContext,
  pool: PoolRecord,
  source: TriggerName,
  triggerSource: T,
  userName: string,
  clientId: string | undefined,
): BaseTriggerEvent<T> {
  return {
    version: source === "PreTokenGeneration" ? preTokenGenerationVersion(pool) : "1",
    triggerSource,
    region: pool.region,
    userPoolId: pool.id,
    userName,
    callerContext: { awsSdkVersion: ctx.awsSdkVersion ?? UNKNOWN_SDK, clientId: clientId ?? NO_CLIENT_ID },
    request: {},
    response: {},
  };
}

/** Whether the pool has a function for a trigger. */
export function hasTrigger(pool: PoolRecord, source: TriggerName): boolean {
  return triggerArn(pool, source) !== undefined;
}

/** The error Cognito gives when a function answers with something it cannot read. */
export function unrecognizableOutput(): InvalidLambdaResponseException {
  return new InvalidLambdaResponseException("Unrecognizable lambda output");
}

/**
 * Invokes the pool's function for `source` with `event`; answers the event as the function returned
 * it (an object with a `response` object), or undefined when the pool names no function.
 */
export async function invokeTrigger<E extends { response: object }>(
  ctx: RequestContext,
  pool: PoolRecord,
  source: TriggerName,
  event: E,
): Promise<E | undefined> {
  const arn = triggerArn(pool, source);
  if (arn === undefined) return undefined;
  const outcome = await ctx.services.triggers.invoke(arn, event, {
    timeoutMs: TRIGGER_TIMEOUT_MS,
    requestId: ctx.requestId,
  });
  if (outcome.kind === "error")
    throw new UserLambdaValidationException(`${source} failed with error ${outcome.message}.`);
  if (outcome.kind === "failed")
    throw new UnexpectedLambdaException(`${source} invocation failed due to error ${outcome.reason}.`);
  const result = outcome.result;
  if (typeof result !== "object" || result === null || Array.isArray(result)) throw unrecognizableOutput();
  const response = (result as { response?: unknown }).response;
  if (response === undefined || response === null) return { ...(result as object), response: {} } as E;
  if (typeof response !== "object" || Array.isArray(response)) throw unrecognizableOutput();
  return result as E;
}

/** A response field that must be a boolean when present (autoConfirmUser and the like). */
export function booleanField(response: object, field: string): boolean {
  const v = (response as Record<string, unknown>)[field];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw unrecognizableOutput();
  return v;
}
