/** Builds the AuthCall of the public (client id) and admin (pool id + client id) operations. */
import type { RequestContext } from "../../context.ts";
import type { AuthCall } from "./types.ts";
import { requireAppClient, requireClient, requirePool } from "../lookups.ts";

export async function publicCall(ctx: RequestContext, clientId: string): Promise<AuthCall> {
  const { pool, client } = await requireAppClient(ctx.services.storage, clientId, ctx.requestRegion);
  return { pool, client, admin: false };
}

export async function adminCall(ctx: RequestContext, poolId: string, clientId: string): Promise<AuthCall> {
  const pool = await requirePool(ctx.services.storage, poolId);
  const client = await requireClient(ctx.services.storage, pool.id, clientId);
  return { pool, client, admin: true };
}
