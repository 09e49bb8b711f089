/**
 * The session configurations: the pool's (session tracking on or off, and the most token sessions a
 * user may hold) and each app client's (how long it silently reuses a managed login SSO session).
 * Both are replaced whole by their Set operation; never set, they read as Cognito's defaults.
 */
import type { RequestContext } from "../../context.ts";
import {
  FeatureUnavailableInTierException,
  InvalidParameterException,
  OperationNotEnabledException,
} from "../../generated/exceptions.ts";
import type {
  GetUserPoolClientSessionConfigurationResponse,
  GetUserPoolSessionConfigurationResponse,
  SetUserPoolClientSessionConfigurationRequest,
  SetUserPoolSessionConfigurationRequest,
} from "../../generated/types.ts";
import type { PoolRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { requireClient, requirePool } from "../lookups.ts";

export const DEFAULT_MAX_PER_USER = 20;
export const DEFAULT_SSO_VALIDITY_MINUTES = 60;
const MAX_PER_USER = { min: 1, max: 100 };
const SSO_VALIDITY_MINUTES = { min: 0, max: 129_600 };

/** A pool's session tracking as it applies now. */
export interface PoolSessionConfig {
  tracking: boolean;
  maxPerUser: number;
}

export async function poolSessionConfig(db: Reader, poolId: string): Promise<PoolSessionConfig> {
  const s = await db.sessions.getSessionSettings(poolId, "");
  return {
    tracking: s?.UserSessionTracking === "ENABLED",
    maxPerUser: s?.MaxPerUser ?? DEFAULT_MAX_PER_USER,
  };
}

/** How long (minutes since the user's last fresh sign-in) an app client reuses an SSO session. */
export async function clientSsoValidityMinutes(
  db: Reader,
  poolId: string,
  clientId: string,
): Promise<number> {
  const s = await db.sessions.getSessionSettings(poolId, clientId);
  return s?.MaxValidityMinutes ?? DEFAULT_SSO_VALIDITY_MINUTES;
}

/** The refusal of the session operations while the pool does not track sessions. */
export function trackingDisabled(): OperationNotEnabledException {
  return new OperationNotEnabledException("User session tracking is not enabled for this user pool.");
}

/** A range check worded as AWS's validator words it (the SDK's model carries no ranges). */
function checkRange(value: number, range: { min: number; max: number }, path: string): void {
  const constraint =
    value < range.min
      ? `Member must have value greater than or equal to ${range.min}`
      : value > range.max
        ? `Member must have value less than or equal to ${range.max}`
        : undefined;
  if (constraint)
    throw new InvalidParameterException(
      `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`,
    );
}

function requireFeaturePlan(pool: PoolRecord): void {
  if (pool.settings.UserPoolTier === "LITE")
    throw new FeatureUnavailableInTierException(
      "Session management requires a user pool in the Essentials tier or higher.",
    );
}

export async function getPoolSessionConfiguration(
  ctx: RequestContext,
  poolId: string,
): Promise<GetUserPoolSessionConfigurationResponse> {
  const { storage } = ctx.services;
  await requirePool(storage, poolId);
  const config = await poolSessionConfig(storage, poolId);
  return {
    UserPoolId: poolId,
    UserSessionTracking: config.tracking ? "ENABLED" : "DISABLED",
    TokenSession: { MaxPerUser: config.maxPerUser },
  };
}

export async function setPoolSessionConfiguration(
  ctx: RequestContext,
  input: SetUserPoolSessionConfigurationRequest,
): Promise<GetUserPoolSessionConfigurationResponse> {
  const maxPerUser = input.TokenSession!.MaxPerUser!;
  checkRange(maxPerUser, MAX_PER_USER, "tokenSession.maxPerUser");
  await ctx.services.storage.transaction(async (tx) => {
    requireFeaturePlan(await requirePool(tx, input.UserPoolId!));
    await tx.sessions.putSessionSettings(input.UserPoolId!, "", {
      UserSessionTracking: input.UserSessionTracking!,
      MaxPerUser: maxPerUser,
    });
  });
  return {
    UserPoolId: input.UserPoolId!,
    UserSessionTracking: input.UserSessionTracking!,
    TokenSession: { MaxPerUser: maxPerUser },
  };
}

export async function getClientSessionConfiguration(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
): Promise<GetUserPoolClientSessionConfigurationResponse> {
  const { storage } = ctx.services;
  await requireClient(storage, poolId, clientId);
  return {
    UserPoolId: poolId,
    ClientId: clientId,
    SSOSession: { MaxValidityMinutes: await clientSsoValidityMinutes(storage, poolId, clientId) },
  };
}

export async function setClientSessionConfiguration(
  ctx: RequestContext,
  input: SetUserPoolClientSessionConfigurationRequest,
): Promise<GetUserPoolClientSessionConfigurationResponse> {
  const minutes = input.SSOSession!.MaxValidityMinutes!;
  checkRange(minutes, SSO_VALIDITY_MINUTES, "sSOSession.maxValidityMinutes");
  const poolId = input.UserPoolId!;
  const clientId = input.ClientId!;
  await ctx.services.storage.transaction(async (tx) => {
    await requireClient(tx, poolId, clientId);
    requireFeaturePlan(await requirePool(tx, poolId));
    if (!(await poolSessionConfig(tx, poolId)).tracking) throw trackingDisabled();
    await tx.sessions.putSessionSettings(poolId, clientId, { MaxValidityMinutes: minutes });
  });
  return { UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: minutes } };
}
