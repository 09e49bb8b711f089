/**
 * Resource servers and their custom scopes: CreateResourceServer, DescribeResourceServer,
 * UpdateResourceServer, DeleteResourceServer and ListResourceServers. A custom scope is
 * `<identifier>/<scopeName>`; app clients may allow it (AllowedOAuthScopes) once it exists.
 */
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type {
  CreateResourceServerRequest,
  ListResourceServersRequest,
  ListResourceServersResponse,
  ResourceServerScopeType,
  ResourceServerType,
  UpdateResourceServerRequest,
} from "../../generated/types.ts";
import type { ResourceServerRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader } from "../../storage/storage.ts";
import { requirePool } from "../lookups.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";

/** Cognito's quota of resource servers per user pool. */
export const MAX_RESOURCE_SERVERS = 25;
const DEFAULT_PAGE = 50;

function notFound(identifier: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Resource server ${identifier} does not exist.`);
}

function settleScopes(scopes: readonly ResourceServerScopeType[] | undefined): ResourceServerScopeType[] {
  const seen = new Set<string>();
  for (const s of scopes ?? []) {
    if (seen.has(s.ScopeName))
      throw new InvalidParameterException(`Duplicate scope name ${s.ScopeName} in the resource server.`);
    seen.add(s.ScopeName);
  }
  return (scopes ?? []).map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription }));
}

export function toResourceServerType(s: ResourceServerRecord): ResourceServerType {
  return {
    UserPoolId: s.poolId,
    Identifier: s.identifier,
    Name: s.name,
    Scopes: s.scopes.map((x) => ({ ...x })),
  };
}

export async function createResourceServer(
  ctx: RequestContext,
  input: CreateResourceServerRequest,
): Promise<ResourceServerType> {
  const scopes = settleScopes(input.Scopes);
  const record: ResourceServerRecord = {
    poolId: input.UserPoolId,
    identifier: input.Identifier,
    name: input.Name,
    scopes,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const taken = () =>
      new InvalidParameterException(`${input.Identifier} already exists in user pool ${pool.id}.`);
    if (await tx.hosting.getResourceServer(pool.id, input.Identifier)) throw taken();
    if ((await tx.hosting.countResourceServers(pool.id)) >= MAX_RESOURCE_SERVERS)
      throw new LimitExceededException(
        `The user pool ${pool.id} has reached its limit of ${MAX_RESOURCE_SERVERS} resource servers.`,
      );
    try {
      await tx.hosting.insertResourceServer(record);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw taken();
      throw e;
    }
  });
  return toResourceServerType(record);
}

export async function describeResourceServer(
  ctx: RequestContext,
  poolId: string,
  identifier: string,
): Promise<ResourceServerType> {
  const { storage } = ctx.services;
  await requirePool(storage, poolId);
  const s = await storage.hosting.getResourceServer(poolId, identifier);
  if (!s) throw notFound(identifier);
  return toResourceServerType(s);
}

/** Replaces the name and the scopes (a request without Scopes leaves none). */
export async function updateResourceServer(
  ctx: RequestContext,
  input: UpdateResourceServerRequest,
): Promise<ResourceServerType> {
  const scopes = settleScopes(input.Scopes);
  return ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const s = await tx.hosting.getResourceServer(input.UserPoolId, input.Identifier);
    if (!s) throw notFound(input.Identifier);
    const next: ResourceServerRecord = { ...s, name: input.Name, scopes, updatedAt: ctx.now };
    await tx.hosting.updateResourceServer(next);
    return toResourceServerType(next);
  });
}

export async function deleteResourceServer(
  ctx: RequestContext,
  poolId: string,
  identifier: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, poolId);
    if (!(await tx.hosting.getResourceServer(poolId, identifier))) throw notFound(identifier);
    await tx.hosting.deleteResourceServer(poolId, identifier);
  });
}

export async function listResourceServers(
  ctx: RequestContext,
  input: ListResourceServersRequest,
): Promise<ListResourceServersResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `resource-servers:${pool.id}`;
  const after = fromToken(input.NextToken, scope);
  const page = await readPage(() =>
    storage.hosting.listResourceServers(pool.id, input.MaxResults || DEFAULT_PAGE, after),
  );
  const out: ListResourceServersResponse = { ResourceServers: page.items.map(toResourceServerType) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

/** Every custom scope of the pool, `<identifier>/<scopeName>`, in resource server creation order. */
export async function customScopes(storage: Reader, poolId: string): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  do {
    const page = await storage.hosting.listResourceServers(poolId, MAX_RESOURCE_SERVERS, after);
    for (const s of page.items) for (const scope of s.scopes) out.push(`${s.identifier}/${scope.ScopeName}`);
    after = page.next;
  } while (after);
  return out;
}
