/**
 * The lookups every operation starts with, and their not-found errors as Cognito words them: the
 * pool, the app client (by pool, or by client id alone as the unauthenticated operations name it),
 * the user (by username or alias).
 */
import { ResourceNotFoundException, UserNotFoundException } from "../generated/exceptions.ts";
import type { ClientRecord, PoolRecord, UserRecord } from "../storage/records.ts";
import type { Reader } from "../storage/storage.ts";
import type { ClientCaller } from "./caller.ts";
import { servingReplica } from "./replicas/regions.ts";
import { findUser } from "./users/users.ts";

export function poolNotFound(poolId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
}

export function clientNotFound(clientId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
}

export function userNotFound(): UserNotFoundException {
  return new UserNotFoundException("User does not exist.");
}

export async function requirePool(db: Reader, poolId: string): Promise<PoolRecord> {
  const pool = await db.pools.getPool(poolId);
  if (!pool) throw poolNotFound(poolId);
  return pool;
}

/** The pool's app client, or ResourceNotFoundException (for the pool first, then the client). */
export async function requireClient(db: Reader, poolId: string, clientId: string): Promise<ClientRecord> {
  await requirePool(db, poolId);
  const client = await db.pools.getClient(poolId, clientId);
  if (!client) throw clientNotFound(clientId);
  return client;
}

/**
 * The client and its pool, or ResourceNotFoundException as Cognito words it. `region` is the region
 * the request names (RequestContext.requestRegion): a client of another region's pool is not found.
 * The protocol layer resolves the caller of every `client` operation with it.
 */
export async function requireAppClient(
  db: Reader,
  clientId: string,
  region: string | undefined,
): Promise<ClientCaller> {
  const client = await db.pools.getClientById(clientId);
  if (!client) throw clientNotFound(clientId);
  const pool = await requirePool(db, client.poolId);
  if (
    region !== undefined &&
    pool.region !== region &&
    !(await servingReplica(db, pool.id, region, Date.now()))
  )
    throw clientNotFound(clientId);
  return { kind: "client", pool, client };
}

export async function requireUser(db: Reader, pool: PoolRecord, name: string): Promise<UserRecord> {
  const user = await findUser(db, pool, name);
  if (!user) throw userNotFound();
  return user;
}
