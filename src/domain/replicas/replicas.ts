/**
 * Multi-Region replication (CreateUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica,
 * DeleteUserPoolReplica). A replica is the same pool served in another region from the same storage
 * (regions.ts decides what each region serves); its record keeps its status and its own tags.
 *
 * As the developer guide documents: a pool has at most one secondary replica; it needs the
 * Essentials or Plus feature plan; a new replica is CREATING, then INACTIVE until activated; only an
 * INACTIVE replica can be deleted, from the primary region, and is DELETING, then gone. The pool's
 * own region is its PRIMARY replica, always ACTIVE.
 */
import type { RequestContext } from "../../context.ts";
import {
  FeatureUnavailableInTierException,
  InvalidParameterException,
  LimitExceededException,
  OperationNotEnabledException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type { UserPoolReplicaType } from "../../generated/types.ts";
import type { PoolRecord, ReplicaRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { poolArn } from "../ids.ts";
import { requirePool } from "../lookups.ts";
import { primaryRegion, replicaStatus } from "./regions.ts";

/** Secondary replicas a pool may have ("at most one secondary replica in an additional Region"). */
export const MAX_SECONDARY_REPLICAS = 1;

/** The AWS Regions, by partition: a replica's region must be one of its pool's partition. */
const PARTITIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
  ],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
};

function partitionOf(region: string): string | undefined {
  return Object.keys(PARTITIONS).find((p) => PARTITIONS[p]!.includes(region));
}

function replicaType(ctx: RequestContext, poolId: string, region: string, status: string, role: string) {
  const out: UserPoolReplicaType = {
    RegionName: region,
    Status: status as UserPoolReplicaType["Status"],
    Role: role as UserPoolReplicaType["Role"],
    UserPoolArn: poolArn(region, ctx.services.config.accountId, poolId),
  };
  return out;
}

function secondaryType(ctx: RequestContext, r: ReplicaRecord, status = r.status): UserPoolReplicaType {
  return replicaType(ctx, r.poolId, r.region, status, "SECONDARY");
}

function replicaNotFound(poolId: string, region: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool ${poolId} has no replica in ${region}.`);
}

/** The request must come from the pool's own region, for the operations only it serves. */
function requirePrimary(pool: PoolRecord, callerRegion: string, operation: string): void {
  if (callerRegion !== pool.region)
    throw new OperationNotEnabledException(
      `${operation} must be called in the primary Region ${pool.region} of user pool ${pool.id}.`,
    );
}

/** A replica's region: a known region of the pool's partition, not the pool's own. */
function checkRegionName(pool: PoolRecord, region: string): void {
  if (region === pool.region)
    throw new InvalidParameterException(
      `${region} is the primary Region of user pool ${pool.id}; a replica must be in another Region.`,
    );
  const partition = partitionOf(region);
  if (!partition) throw new InvalidParameterException(`${region} is not a valid AWS Region.`);
  if (partition !== partitionOf(pool.region))
    throw new InvalidParameterException(`${region} is not in the partition of user pool ${pool.id}.`);
}

export async function createReplica(
  ctx: RequestContext,
  callerRegion: string,
  input: { UserPoolId: string; RegionName: string; UserPoolTags?: Record<string, string> },
): Promise<UserPoolReplicaType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  requirePrimary(pool, callerRegion, "CreateUserPoolReplica");
  const tier = pool.settings.UserPoolTier ?? "ESSENTIALS";
  if (tier === "LITE")
    throw new FeatureUnavailableInTierException(
      "Multi-Region replication is not available in the LITE feature plan; use ESSENTIALS or PLUS.",
    );
  checkRegionName(pool, input.RegionName);
  const record: ReplicaRecord = {
    poolId: pool.id,
    region: input.RegionName,
    status: "CREATING",
    tags: { ...input.UserPoolTags },
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await storage.transaction(async (tx) => {
    const existing = await tx.replicas.listReplicas(pool.id);
    const live = existing.filter((r) => replicaStatus(r, ctx.now) !== undefined);
    for (const gone of existing.filter((r) => !live.includes(r)))
      await tx.replicas.deleteReplica(pool.id, gone.region);
    if (live.some((r) => r.region === input.RegionName))
      throw new InvalidParameterException(
        `User pool ${pool.id} already has a replica in ${input.RegionName}.`,
      );
    if (live.length >= MAX_SECONDARY_REPLICAS)
      throw new LimitExceededException(
        `User pool ${pool.id} already has ${live.length} secondary replica; the limit is ${MAX_SECONDARY_REPLICAS}.`,
      );
    try {
      await tx.replicas.insertReplica(record);
    } catch (e) {
      if (e instanceof DuplicateKeyError)
        throw new InvalidParameterException(
          `User pool ${pool.id} already has a replica in ${input.RegionName}.`,
        );
      throw e;
    }
  });
  return secondaryType(ctx, record);
}

export async function listReplicas(
  ctx: RequestContext,
  input: { UserPoolId: string; NextToken?: string },
): Promise<UserPoolReplicaType[]> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  // Every replica fits in one page: no page token is ever issued, so none is valid.
  if (input.NextToken !== undefined) throw new InvalidParameterException("Invalid NextToken.");
  const out: UserPoolReplicaType[] = [];
  for (const r of await storage.replicas.listReplicas(pool.id)) {
    const status = replicaStatus(r, ctx.now);
    if (status) out.push(secondaryType(ctx, r, status));
  }
  out.push(replicaType(ctx, pool.id, primaryRegion(pool.id) ?? pool.region, "ACTIVE", "PRIMARY"));
  return out;
}

export async function updateReplica(
  ctx: RequestContext,
  input: { UserPoolId: string; RegionName: string; Status: string },
): Promise<UserPoolReplicaType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  if (input.RegionName === pool.region)
    throw new InvalidParameterException(
      `${input.RegionName} is the primary Region of user pool ${pool.id}; its status cannot be changed.`,
    );
  return storage.transaction(async (tx) => {
    const r = await tx.replicas.getReplica(pool.id, input.RegionName);
    const status = r && replicaStatus(r, ctx.now);
    if (!r || !status) throw replicaNotFound(pool.id, input.RegionName);
    if (status === "CREATING" || status === "DELETING")
      throw new InvalidParameterException(
        `The replica in ${input.RegionName} is ${status}; its status cannot be changed.`,
      );
    const next: ReplicaRecord = { ...r, status: input.Status, updatedAt: ctx.now };
    await tx.replicas.updateReplica(next);
    return secondaryType(ctx, next);
  });
}

export async function deleteReplica(
  ctx: RequestContext,
  callerRegion: string,
  input: { UserPoolId: string; RegionName: string },
): Promise<UserPoolReplicaType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  requirePrimary(pool, callerRegion, "DeleteUserPoolReplica");
  if (input.RegionName === pool.region)
    throw new InvalidParameterException(
      `${input.RegionName} is the primary Region of user pool ${pool.id}; only secondary replicas can be deleted.`,
    );
  return storage.transaction(async (tx) => {
    const r = await tx.replicas.getReplica(pool.id, input.RegionName);
    const status = r && replicaStatus(r, ctx.now);
    if (!r || !status) throw replicaNotFound(pool.id, input.RegionName);
    if (status !== "INACTIVE")
      throw new InvalidParameterException(
        `The replica in ${input.RegionName} is ${status}: only an INACTIVE replica can be deleted.`,
      );
    const next: ReplicaRecord = { ...r, status: "DELETING", updatedAt: ctx.now };
    await tx.replicas.updateReplica(next);
    return secondaryType(ctx, next);
  });
}
