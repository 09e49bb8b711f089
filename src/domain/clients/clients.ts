/** App clients of a user pool: creation, description, update, deletion, listing. */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type {
  CreateUserPoolClientRequest,
  ListUserPoolClientsRequest,
  ListUserPoolClientsResponse,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from "../../generated/types.ts";
import type { ClientRecord, ClientSecretRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { CLIENT_SETTINGS, type ClientSettingsInput, settleClientSettings } from "./settings.ts";
import { customScopes } from "../hosting/resource-servers.ts";
import { newClientId, newClientSecret, wireTime } from "../ids.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { clientNotFound, requireClient, requirePool } from "../lookups.ts";

/** The page size when ListUserPoolClients gives no MaxResults, and the most one page holds. */
const DEFAULT_LIMIT = 60;

/** The wire form of an app client, fields in Cognito's order; `secret` is the client's current secret. */
export function toUserPoolClientType(client: ClientRecord, secret: string | undefined): UserPoolClientType {
  const out: UserPoolClientType = {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
  };
  if (secret !== undefined) out.ClientSecret = secret;
  out.LastModifiedDate = wireTime(client.updatedAt);
  out.CreationDate = wireTime(client.createdAt);
  for (const key of CLIENT_SETTINGS) {
    const value = client.settings[key];
    if (value !== undefined) (out as Record<string, unknown>)[key] = structuredClone(value);
  }
  out.ClientType = client.settings.ClientType ?? "REGULAR";
  return out;
}

/**
 * The secret DescribeUserPoolClient returns as ClientSecret: the oldest one the client still holds
 * (storage lists them oldest first), so it stays the same until that secret is deleted.
 */
export function currentSecret(secrets: readonly ClientSecretRecord[]): ClientSecretRecord | undefined {
  return secrets[0];
}

/** A new secret record, its id `<clientId>--<epoch-create-time in ms>` unique among `existing`. */
export function newSecretRecord(
  client: ClientRecord,
  secret: string,
  now: number,
  existing: readonly ClientSecretRecord[],
): ClientSecretRecord {
  const taken = new Set(existing.map((s) => s.secretId));
  let stamp = now;
  while (taken.has(`${client.clientId}--${stamp}`)) stamp++;
  return {
    poolId: client.poolId,
    clientId: client.clientId,
    secretId: `${client.clientId}--${stamp}`,
    secret,
    createdAt: now,
  };
}

function pickSettings(input: CreateUserPoolClientRequest | UpdateUserPoolClientRequest): ClientSettingsInput {
  const out: ClientSettingsInput = {};
  for (const key of CLIENT_SETTINGS) {
    const value = input[key];
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export async function createClient(
  ctx: RequestContext,
  input: CreateUserPoolClientRequest,
): Promise<UserPoolClientType> {
  if (input.GenerateSecret === true && input.ClientSecret !== undefined)
    throw new InvalidParameterException(
      "You cannot specify both GenerateSecret as true and a ClientSecret value: give one or the other.",
    );
  const secretValue = input.ClientSecret ?? (input.GenerateSecret === true ? newClientSecret() : undefined);
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const settings = settleClientSettings(pickSettings(input), {
      pool,
      hasSecret: secretValue !== undefined,
      action: "creating",
      identityProviders: await identityProviderNames(tx, pool.id),
      customScopes: new Set(await customScopes(tx, pool.id)),
    });
    const client: ClientRecord = {
      poolId: pool.id,
      clientId: ctx.fixedId ?? (await unusedClientId(tx, pool.id)),
      name: input.ClientName,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      settings: { ...settings, ClientType: "REGULAR" },
    };
    await tx.pools.insertClient(client);
    if (secretValue !== undefined)
      await tx.pools.insertClientSecret(newSecretRecord(client, secretValue, ctx.now, []));
    return toUserPoolClientType(client, secretValue);
  });
}

/** The names of every identity provider of the pool. */
async function identityProviderNames(tx: Transaction, poolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let after: string | undefined;
  do {
    const page = await tx.federation.listIdentityProviders(poolId, 60, after);
    for (const idp of page.items) names.add(idp.providerName);
    after = page.next;
  } while (after);
  return names;
}

async function unusedClientId(tx: Transaction, poolId: string): Promise<string> {
  for (;;) {
    const id = newClientId();
    if (!(await tx.pools.getClient(poolId, id))) return id;
  }
}

export async function describeClient(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
): Promise<UserPoolClientType> {
  const storage = ctx.services.storage;
  const client = await requireClient(storage, poolId, clientId);
  const secrets = await storage.pools.listClientSecrets(poolId, clientId);
  return toUserPoolClientType(client, currentSecret(secrets)?.secret);
}

/**
 * Replaces the client's settings: as in Cognito, every setting the request leaves out returns to
 * its default. The name is kept when not given; the client secrets are never touched.
 */
export async function updateClient(
  ctx: RequestContext,
  input: UpdateUserPoolClientRequest,
): Promise<UserPoolClientType> {
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await tx.pools.getClient(pool.id, input.ClientId);
    if (!client) throw clientNotFound(input.ClientId);
    const secrets: ClientSecretRecord[] = await tx.pools.listClientSecrets(client.poolId, client.clientId);
    const settings = settleClientSettings(pickSettings(input), {
      pool,
      hasSecret: secrets.length > 0,
      action: "updating",
      identityProviders: await identityProviderNames(tx, pool.id),
      customScopes: new Set(await customScopes(tx, pool.id)),
    });
    const updated: ClientRecord = {
      ...client,
      name: input.ClientName ?? client.name,
      updatedAt: ctx.now,
      settings: { ...settings, ClientType: client.settings.ClientType ?? "REGULAR" },
    };
    await tx.pools.updateClient(updated);
    return toUserPoolClientType(updated, currentSecret(secrets)?.secret);
  });
}

export async function deleteClient(ctx: RequestContext, poolId: string, clientId: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requireClient(tx, poolId, clientId);
    for (const s of await tx.pools.listClientSecrets(poolId, clientId))
      await tx.pools.deleteClientSecret(poolId, clientId, s.secretId);
    await tx.pools.deleteClient(poolId, clientId);
    // Its managed login branding goes with it (a foreign key); its UI customization is deleted here.
    await tx.hosting.deleteUICustomization(poolId, clientId);
  });
}

export async function listClients(
  ctx: RequestContext,
  input: ListUserPoolClientsRequest,
): Promise<ListUserPoolClientsResponse> {
  const storage = ctx.services.storage;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `clients:${pool.id}`;
  const after = fromToken(input.NextToken, scope);
  // Every client Lanyard creates is a REGULAR one: dynamic client registration does not exist yet.
  if (input.ClientType === "DCR") return { UserPoolClients: [] };
  const page = await readPage(() =>
    storage.pools.listClients(pool.id, input.MaxResults ?? DEFAULT_LIMIT, after),
  );
  const out: ListUserPoolClientsResponse = {
    UserPoolClients: page.items.map((c) => ({
      ClientId: c.clientId,
      UserPoolId: c.poolId,
      ClientName: c.name,
    })),
  };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}
