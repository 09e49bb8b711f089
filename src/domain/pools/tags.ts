/**
 * Tags on user pools, addressed by the pool's ARN. They are the same tags as CreateUserPool's and
 * UpdateUserPool's UserPoolTags and DescribeUserPool's UserPoolTags (PoolRecord.tags).
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { PoolRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { parsePoolArn } from "../ids.ts";
import { checkNewTagKeys, checkTags } from "./tag-rules.ts";
import { poolNotFound, requirePool } from "../lookups.ts";

/** The pool an ARN names: InvalidParameterException when it names no user pool at all. */
async function poolOfArn(db: Reader, ctx: RequestContext, arn: string): Promise<PoolRecord> {
  const parsed = parsePoolArn(arn);
  if (!parsed)
    throw new InvalidParameterException(
      `Invalid resource ARN: ${arn}. Expected arn:aws:cognito-idp:<region>:<account id>:userpool/<user pool id>.`,
    );
  // A well-formed ARN of another account or region names a pool this service does not hold.
  if (parsed.accountId !== ctx.services.config.accountId) throw poolNotFound(parsed.poolId);
  if (ctx.requestRegion !== undefined && parsed.region !== ctx.requestRegion)
    throw poolNotFound(parsed.poolId);
  const pool = await requirePool(db, parsed.poolId);
  if (pool.region !== parsed.region) throw poolNotFound(parsed.poolId);
  return pool;
}

/** Adds the tags to the pool, replacing the values of keys it already has. */
export async function tagResource(
  ctx: RequestContext,
  arn: string,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  checkNewTagKeys(Object.keys(tags));
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await poolOfArn(tx, ctx, arn);
    const merged = { ...pool.tags, ...tags };
    checkTags(merged);
    await tx.pools.updatePool({ ...pool, tags: merged });
  });
}

/** Removes the keys from the pool; keys it does not have are ignored. */
export async function untagResource(
  ctx: RequestContext,
  arn: string,
  keys: readonly string[],
): Promise<void> {
  const drop = new Set(keys);
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await poolOfArn(tx, ctx, arn);
    const remaining = Object.fromEntries(Object.entries(pool.tags).filter(([k]) => !drop.has(k)));
    await tx.pools.updatePool({ ...pool, tags: remaining });
  });
}

export async function listTags(ctx: RequestContext, arn: string): Promise<Record<string, string>> {
  const pool = await poolOfArn(ctx.services.storage, ctx, arn);
  return { ...pool.tags };
}
