/**
 * Client secrets of confidential app clients: up to two at a time, so a secret can be rotated
 * without downtime (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret).
 */
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type { ClientSecretDescriptorType } from "../../generated/types.ts";
import type { ClientSecretRecord } from "../../storage/records.ts";
import { newSecretRecord } from "./clients.ts";
import { newClientSecret, wireTime } from "../ids.ts";
import { requireClient } from "../lookups.ts";

/** The most secrets one app client holds at a time. */
const MAX_CLIENT_SECRETS = 2;

function toDescriptor(s: ClientSecretRecord): ClientSecretDescriptorType {
  return { ClientSecretId: s.secretId, ClientSecretCreateDate: wireTime(s.createdAt) };
}

/**
 * Adds a secret to a confidential client. The value is returned only when Lanyard generated it;
 * a caller-provided value is not echoed back.
 */
export async function addClientSecret(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
  value: string | undefined,
): Promise<ClientSecretDescriptorType> {
  return ctx.services.storage.transaction(async (tx) => {
    const client = await requireClient(tx, poolId, clientId);
    const secrets = await tx.pools.listClientSecrets(poolId, clientId);
    if (secrets.length === 0)
      throw new InvalidParameterException(
        `App client ${clientId} is a public client without a client secret; client secrets can only be added to a confidential client.`,
      );
    if (secrets.length >= MAX_CLIENT_SECRETS)
      throw new LimitExceededException(
        `App client ${clientId} already has the maximum of ${MAX_CLIENT_SECRETS} client secrets; delete one before adding another.`,
      );
    if (value !== undefined && secrets.some((s) => s.secret === value))
      throw new InvalidParameterException(`App client ${clientId} already has this client secret.`);
    const record = newSecretRecord(client, value ?? newClientSecret(), ctx.now, secrets);
    await tx.pools.insertClientSecret(record);
    const out = toDescriptor(record);
    if (value === undefined) out.ClientSecretValue = record.secret;
    return out;
  });
}

/** The client's secrets, oldest first, without their values. */
export async function listClientSecrets(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
): Promise<ClientSecretDescriptorType[]> {
  const storage = ctx.services.storage;
  await requireClient(storage, poolId, clientId);
  return (await storage.pools.listClientSecrets(poolId, clientId)).map(toDescriptor);
}

/** Deletes one secret; the last remaining secret of a client cannot be deleted. */
export async function deleteClientSecret(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
  secretId: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requireClient(tx, poolId, clientId);
    const secrets = await tx.pools.listClientSecrets(poolId, clientId);
    if (!secrets.some((s) => s.secretId === secretId))
      throw new ResourceNotFoundException(
        `Client secret ${secretId} does not exist for app client ${clientId}.`,
      );
    if (secrets.length === 1)
      throw new InvalidParameterException(
        `Client secret ${secretId} is the last remaining secret of app client ${clientId} and cannot be deleted.`,
      );
    await tx.pools.deleteClientSecret(poolId, clientId, secretId);
  });
}
