/** Builds the AuthCall of the public (app client caller) and admin (pool id + client id) operations. */
import type { RequestContext } from "../../context.ts";
import type { ClientCaller } from "../caller.ts";
import type { AuthCall } from "./types.ts";
import { requireClient, requirePool } from "../lookups.ts";

/** The sign-in of an unsigned operation, by the app client the protocol resolved. */
export function publicCall(caller: ClientCaller): AuthCall {
  return { pool: caller.pool, client: caller.client, admin: false };
}

/** The sign-in of a signed admin operation: the pool and the client its input names. */
export async function adminCall(ctx: RequestContext, poolId: string, clientId: string): Promise<AuthCall> {
  const pool = await requirePool(ctx.services.storage, poolId);
  const client = await requireClient(ctx.services.storage, pool.id, clientId);
  return { pool, client, admin: true };
}
