/**
 * Which regions serve a pool: its own (the PRIMARY replica, the pool id's prefix) and the regions of
 * its secondary replicas that exist (INACTIVE or ACTIVE). A secondary region serves the same pool,
 * the same users and the same storage; an INACTIVE one serves administrators only, and an ACTIVE
 * one end users too. A secondary region serves only the operations Cognito documents for it: sign-in
 * and tokens, reads, and the replica's own settings; not user creation, password resets, profile
 * changes or TOTP MFA (OperationNotEnabledException).
 */
import type { CallerKind } from "../caller.ts";
import type { ReplicaRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { OperationNotEnabledException } from "../../generated/exceptions.ts";
import { OPERATION_CATEGORY } from "../limits/categories.ts";

/** A new replica is CREATING this long, then INACTIVE; a deleted one is DELETING this long, then gone. */
export const REPLICA_TRANSITION_MS = 1_000;

/** The replica's status at `now`: CREATING becomes INACTIVE, DELETING becomes gone (undefined). */
export function replicaStatus(replica: ReplicaRecord, now: number): string | undefined {
  const settled = now - replica.updatedAt >= REPLICA_TRANSITION_MS;
  if (replica.status === "CREATING" && settled) return "INACTIVE";
  if (replica.status === "DELETING" && settled) return undefined;
  return replica.status;
}

/** The pool's replica serving `region` (INACTIVE or ACTIVE), if it has one. */
export async function servingReplica(
  db: Reader,
  poolId: string,
  region: string,
  now: number,
): Promise<ReplicaRecord | undefined> {
  const replica = await db.replicas.getReplica(poolId, region);
  if (!replica) return undefined;
  const status = replicaStatus(replica, now);
  return status === "INACTIVE" || status === "ACTIVE" ? { ...replica, status } : undefined;
}

/** The pool's own region: the pool id's prefix (undefined for an id without one). */
export function primaryRegion(poolId: string): string | undefined {
  const at = poolId.indexOf("_");
  return at > 0 ? poolId.slice(0, at) : undefined;
}

/** The categories whose operations a secondary region serves. */
const SECONDARY_CATEGORIES: ReadonlySet<string> = new Set([
  "UserAuthentication",
  "UserToken",
  "ClientAuthentication",
  "UserRead",
  "UserResourceRead",
  "UserList",
  "UserPoolRead",
  "UserPoolResourceRead",
  "UserPoolClientRead",
]);

/** And these operations: the replica's own settings, which a secondary region keeps for itself. */
const SECONDARY_OPERATIONS: ReadonlySet<string> = new Set([
  "UpdateUserPoolReplica",
  "TagResource",
  "UntagResource",
  "SetLogDeliveryConfiguration",
  "GetProvisionedLimit",
  "UpdateProvisionedLimit",
]);

/**
 * Refuses, in a secondary region, what the replica does not serve: every end-user operation while
 * it is INACTIVE, and the operations a secondary replica never serves.
 */
export function checkSecondaryOperation(operation: string, caller: CallerKind, replica: ReplicaRecord): void {
  const category = (OPERATION_CATEGORY as Record<string, string | null | undefined>)[operation];
  const served =
    SECONDARY_OPERATIONS.has(operation) || (category != null && SECONDARY_CATEGORIES.has(category));
  if (!served)
    throw new OperationNotEnabledException(
      `${operation} is not supported in the secondary Region ${replica.region} of user pool ${replica.poolId}.`,
    );
  if (replica.status !== "ACTIVE" && caller !== "admin")
    throw new OperationNotEnabledException(
      `The replica of user pool ${replica.poolId} in ${replica.region} is INACTIVE: it does not accept end-user requests.`,
    );
}

/**
 * The request names `region` for pool `poolId` (its SigV4 scope, or the regional endpoint it was sent
 * to): the pool's own region, or a region serving a replica of it, which this checks the operation
 * against; any other region does not find the pool. Answers the replica, for a secondary region.
 */
export async function checkRequestRegion(
  db: Reader,
  operation: string,
  caller: CallerKind,
  poolId: string,
  region: string,
  now: number,
  notFound: () => Error,
): Promise<ReplicaRecord | undefined> {
  const primary = primaryRegion(poolId);
  if (primary === undefined || primary === region) return undefined;
  const replica = await servingReplica(db, poolId, region, now);
  if (!replica) throw notFound();
  checkSecondaryOperation(operation, caller, replica);
  return replica;
}

/**
 * For the operations whose pool comes with their caller (an app client's, an access token's): the
 * region the request names checked as above, against the caller's pool. An access token sent to a
 * region that has no replica of its pool is left as before (its pool is its issuer's).
 */
export async function checkCallerRegion(
  db: Reader,
  operation: string,
  kind: CallerKind,
  pool: { id: string; region: string } | undefined,
  requestRegion: string | undefined,
  now: number,
  notFound: () => Error,
): Promise<void> {
  if (!pool || requestRegion === undefined || pool.region === requestRegion) return;
  if (kind === "token") {
    const replica = await servingReplica(db, pool.id, requestRegion, now);
    if (replica) checkSecondaryOperation(operation, kind, replica);
    return;
  }
  await checkRequestRegion(db, operation, kind, pool.id, requestRegion, now, notFound);
}
