/**
 * Threat protection's settings: the pool's mode (UserPoolAddOns: OFF, AUDIT, ENFORCED; custom
 * authentication's own mode in AdvancedSecurityAdditionalFlows), and the risk configurations of
 * SetRiskConfiguration (the pool's, and an app client's own, which replaces the pool's for that
 * client as a whole).
 */
import { BlockList, isIP } from "node:net";
import type { RequestContext } from "../../context.ts";
import {
  FeatureUnavailableInTierException,
  InvalidParameterException,
  UserPoolAddOnNotEnabledException,
} from "../../generated/exceptions.ts";
import type {
  RiskConfigurationType,
  RiskExceptionConfigurationType,
  SetRiskConfigurationRequest,
} from "../../generated/types.ts";
import type { PoolRecord, PoolSettings, RiskConfigurationRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { requireClient, requirePool } from "../lookups.ts";

export type ThreatMode = "OFF" | "AUDIT" | "ENFORCED";

/** The pool's threat protection mode for its standard sign-ins (password, SRP, USER_AUTH). */
export function threatMode(pool: PoolRecord): ThreatMode {
  return pool.settings.UserPoolAddOns?.AdvancedSecurityMode ?? "OFF";
}

/**
 * CreateUserPool and UpdateUserPool: threat protection (AUDIT or ENFORCED, also for custom
 * authentication) needs the Plus feature plan.
 */
export function checkAddOnsTier(settings: PoolSettings): void {
  const addOns = settings.UserPoolAddOns;
  const on =
    (addOns?.AdvancedSecurityMode ?? "OFF") !== "OFF" ||
    addOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode;
  if (on && settings.UserPoolTier !== "PLUS")
    throw new FeatureUnavailableInTierException(
      "Threat protection (UserPoolAddOns) requires a user pool in the Plus tier.",
    );
}

/** The operations of threat protection refuse a pool whose add-on is OFF. */
export function requireAddOn(pool: PoolRecord): void {
  if (threatMode(pool) === "OFF")
    throw new UserPoolAddOnNotEnabledException(
      "Advanced security features are not enabled for this user pool.",
    );
}

/** The pool's own configuration is kept under this client id; DescribeRiskConfiguration shows it as "ALL". */
const POOL_WIDE = "";

/** The configuration a sign-in through `clientId` follows: the client's own, else the pool's. */
export async function effectiveRiskConfiguration(
  db: Reader,
  poolId: string,
  clientId: string | undefined,
): Promise<RiskConfigurationRecord["config"]> {
  const own = clientId === undefined ? undefined : await db.threats.getRiskConfiguration(poolId, clientId);
  return (own ?? (await db.threats.getRiskConfiguration(poolId, POOL_WIDE)))?.config ?? {};
}

function wire(
  poolId: string,
  record: RiskConfigurationRecord | undefined,
  clientId?: string,
): RiskConfigurationType {
  return {
    UserPoolId: poolId,
    ClientId: record && record.clientId !== POOL_WIDE ? record.clientId : (clientId ?? "ALL"),
    ...record?.config,
    ...(record ? { LastModifiedDate: wireTime(record.updatedAt) } : {}),
  };
}

/** DescribeRiskConfiguration: the client's own configuration, else the pool's (ClientId "ALL"). */
export async function describeRiskConfiguration(
  ctx: RequestContext,
  poolId: string,
  clientId: string | undefined,
): Promise<RiskConfigurationType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  if (clientId !== undefined) await requireClient(storage, poolId, clientId);
  requireAddOn(pool);
  const own =
    clientId === undefined ? undefined : await storage.threats.getRiskConfiguration(poolId, clientId);
  const record = own ?? (await storage.threats.getRiskConfiguration(poolId, POOL_WIDE));
  return wire(poolId, record);
}

/**
 * SetRiskConfiguration: replaces the configuration of the pool (no ClientId) or of one app client.
 * A request with none of the three parts resets it: the pool's to the defaults, a client's to the
 * pool's.
 */
export async function setRiskConfiguration(
  ctx: RequestContext,
  input: SetRiskConfigurationRequest,
): Promise<RiskConfigurationType> {
  const config: RiskConfigurationRecord["config"] = {};
  if (input.AccountTakeoverRiskConfiguration)
    config.AccountTakeoverRiskConfiguration = structuredClone(input.AccountTakeoverRiskConfiguration);
  if (input.CompromisedCredentialsRiskConfiguration)
    config.CompromisedCredentialsRiskConfiguration = structuredClone(
      input.CompromisedCredentialsRiskConfiguration,
    );
  if (input.RiskExceptionConfiguration) {
    checkRanges(input.RiskExceptionConfiguration);
    config.RiskExceptionConfiguration = structuredClone(input.RiskExceptionConfiguration);
  }
  const clientId = input.ClientId ?? POOL_WIDE;
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    if (input.ClientId !== undefined) await requireClient(tx, input.UserPoolId, input.ClientId);
    requireAddOn(pool);
    if (Object.keys(config).length === 0) {
      await tx.threats.deleteRiskConfiguration(pool.id, clientId);
      return wire(pool.id, undefined, input.ClientId);
    }
    const record: RiskConfigurationRecord = { poolId: pool.id, clientId, config, updatedAt: ctx.now };
    await tx.threats.putRiskConfiguration(record);
    return wire(pool.id, record);
  });
}

/** Each range must be an IPv4 or IPv6 address range in CIDR notation. */
function checkRanges(e: RiskExceptionConfigurationType): void {
  for (const [field, list] of [
    ["BlockedIPRangeList", e.BlockedIPRangeList],
    ["SkippedIPRangeList", e.SkippedIPRangeList],
  ] as const)
    for (const range of list ?? [])
      if (parseCidr(range) === undefined)
        throw new InvalidParameterException(`${field} contains an invalid CIDR range: ${range}`);
}

function parseCidr(range: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const slash = range.indexOf("/");
  if (slash < 0) return undefined;
  const address = range.slice(0, slash);
  const bits = range.slice(slash + 1);
  const version = isIP(address);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** Whether `ip` lies in one of the CIDR ranges. */
export function inRanges(ip: string | undefined, ranges: readonly string[] | undefined): boolean {
  if (ip === undefined || !ranges?.length) return false;
  const version = isIP(ip);
  if (version === 0) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const c = parseCidr(range);
    if (c) list.addSubnet(c.address, c.prefix, c.family);
  }
  return list.check(ip, version === 4 ? "ipv4" : "ipv6");
}
