/**
 * A user pool's identity providers: CreateIdentityProvider, DescribeIdentityProvider,
 * UpdateIdentityProvider, DeleteIdentityProvider, ListIdentityProviders and
 * GetIdentityProviderByIdentifier.
 *
 * Behaviour measured against Cognito (and reproduced here): a provider created without an
 * AttributeMapping maps `username` from the provider's subject claim; the create and update
 * responses list IdpIdentifiers only when the request gave them, Describe always does; an update
 * keeps every member the request leaves out, and an empty map or list clears it; List shows
 * names, types and dates only, never ProviderDetails.
 */
import type { RequestContext } from "../../context.ts";
import {
  DuplicateProviderException,
  InvalidParameterException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type {
  CreateIdentityProviderRequest,
  IdentityProviderType,
  ListIdentityProvidersRequest,
  ListIdentityProvidersResponse,
  UpdateIdentityProviderRequest,
} from "../../generated/types.ts";
import type { IdentityProviderRecord, PoolRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader, type Transaction } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import {
  defaultAttributeMapping,
  describeDetails,
  type MetadataFetcher,
  metadataFetcher,
  SOCIAL_TYPES,
  settleDetails,
} from "./provider-details.ts";
import { requirePool } from "../lookups.ts";

/** ProviderName values that name the user pool itself (app clients' COGNITO, the linking APIs' Cognito). */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["cognito"]);

const ACR_LEVELS: ReadonlySet<string> = new Set(["Level1", "Level2", "Level3", "Level4"]);

export function providerNotFound(name: string, poolId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Identity provider ${name} for tenantId ${poolId} does not exist.`);
}

export async function requireProvider(
  db: Reader,
  pool: PoolRecord,
  name: string,
): Promise<IdentityProviderRecord> {
  const idp = await db.federation.getIdentityProvider(pool.id, name);
  if (!idp) throw providerNotFound(name, pool.id);
  return idp;
}

function checkName(name: string, type: string): void {
  if (RESERVED_NAMES.has(name.toLowerCase()))
    throw new InvalidParameterException(`Provider name ${name} is reserved by Amazon Cognito.`);
  // A social provider is named after its type; no other provider may take a social name.
  if ((SOCIAL_TYPES.has(type) || SOCIAL_TYPES.has(name)) && name !== type)
    throw new InvalidParameterException(`Provider ${name} cannot be of type ${type}.`);
}

/** AttributeMapping keys are user pool attributes (or `username`); the pool must have them. */
function checkMapping(pool: PoolRecord, mapping: Readonly<Record<string, string>>): void {
  const names = new Set((pool.settings.SchemaAttributes ?? []).map((a) => a.Name!));
  const invalid = Object.keys(mapping).filter(
    (k) => k !== "username" && (!names.has(k) || k === "sub" || k === "identities"),
  );
  if (invalid.length > 0)
    throw new InvalidParameterException(`AttributeMapping contains invalid mapping: [${invalid.join(", ")}]`);
}

function checkAcr(type: string, acr: Readonly<Record<string, string>> | undefined): void {
  if (acr === undefined || Object.keys(acr).length === 0) return;
  if (type !== "OIDC")
    throw new InvalidParameterException("AcrMapping is supported only for OIDC identity providers.");
  const bad = Object.keys(acr).filter((k) => !ACR_LEVELS.has(k));
  if (bad.length > 0)
    throw new InvalidParameterException(
      `AcrMapping keys must be Level1, Level2, Level3 or Level4: [${bad.join(", ")}]`,
    );
}

function checkIdentifiers(list: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of list) {
    if (seen.has(id)) throw new InvalidParameterException(`Duplicate IdpIdentifier ${id}.`);
    seen.add(id);
  }
}

/** Refuses an identifier another provider of the pool already has. */
async function claimIdentifiers(
  tx: Transaction,
  pool: PoolRecord,
  providerName: string,
  list: readonly string[],
): Promise<void> {
  for (const id of list) {
    const owner = await tx.federation.getIdentityProviderByIdentifier(pool.id, id);
    if (owner && owner.providerName !== providerName)
      throw new DuplicateProviderException(`Identifier ${id} already exists for tenant ${pool.id}.`);
  }
}

/** The wire form. `withIdentifiers`: Describe always lists them; Create and Update only when asked. */
export function toIdentityProviderType(
  idp: IdentityProviderRecord,
  withIdentifiers: boolean,
): IdentityProviderType {
  const out: IdentityProviderType = {
    UserPoolId: idp.poolId,
    ProviderName: idp.providerName,
    ProviderType: idp.providerType as IdentityProviderType["ProviderType"],
    ProviderDetails: describeDetails(idp.providerType, idp.providerDetails, idp.samlMetadata),
    AttributeMapping: { ...idp.attributeMapping },
  };
  if (withIdentifiers) out.IdpIdentifiers = [...idp.idpIdentifiers];
  if (idp.acrMapping) out.AcrMapping = { ...idp.acrMapping };
  out.LastModifiedDate = wireTime(idp.updatedAt);
  out.CreationDate = wireTime(idp.createdAt);
  return out;
}

export async function createIdentityProvider(
  ctx: RequestContext,
  input: CreateIdentityProviderRequest,
  fetcher?: MetadataFetcher,
): Promise<IdentityProviderType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  checkName(input.ProviderName, input.ProviderType);
  const mapping = input.AttributeMapping ?? defaultAttributeMapping(input.ProviderType);
  checkMapping(pool, mapping);
  checkAcr(input.ProviderType, input.AcrMapping);
  const identifiers = input.IdpIdentifiers ?? [];
  checkIdentifiers(identifiers);
  if (await storage.federation.getIdentityProvider(pool.id, input.ProviderName))
    throw duplicate(input.ProviderName, pool.id);
  // Settled outside the transaction: a SAML MetadataURL is fetched over the network.
  const fetch = fetcher ?? metadataFetcher(ctx.services.config.allowPrivateMetadataUrls);
  const settled = await settleDetails(input.ProviderType, input.ProviderDetails, fetch);
  const idp: IdentityProviderRecord = {
    poolId: pool.id,
    providerName: input.ProviderName,
    providerType: input.ProviderType,
    providerDetails: settled.details,
    attributeMapping: { ...mapping },
    idpIdentifiers: [...identifiers],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  if (input.AcrMapping && Object.keys(input.AcrMapping).length > 0) idp.acrMapping = { ...input.AcrMapping };
  if (settled.samlMetadata !== undefined) idp.samlMetadata = settled.samlMetadata;
  await storage.transaction(async (tx) => {
    await requirePool(tx, pool.id);
    if (await tx.federation.getIdentityProvider(pool.id, idp.providerName))
      throw duplicate(idp.providerName, pool.id);
    await claimIdentifiers(tx, pool, idp.providerName, identifiers);
    try {
      await tx.federation.insertIdentityProvider(idp);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw duplicate(idp.providerName, pool.id);
      throw e;
    }
  });
  return toIdentityProviderType(idp, input.IdpIdentifiers !== undefined);
}

function duplicate(name: string, poolId: string): DuplicateProviderException {
  return new DuplicateProviderException(`${name} already exists for tenant ${poolId}.`);
}

export async function describeIdentityProvider(
  ctx: RequestContext,
  poolId: string,
  name: string,
): Promise<IdentityProviderType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  return toIdentityProviderType(await requireProvider(storage, pool, name), true);
}

export async function updateIdentityProvider(
  ctx: RequestContext,
  input: UpdateIdentityProviderRequest,
  fetcher?: MetadataFetcher,
): Promise<IdentityProviderType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const current = await storage.federation.getIdentityProvider(pool.id, input.ProviderName);
  if (!current) throw updateNotFound(input.ProviderName, pool.id);
  if (input.AttributeMapping !== undefined) checkMapping(pool, input.AttributeMapping);
  checkAcr(current.providerType, input.AcrMapping);
  if (input.IdpIdentifiers !== undefined) checkIdentifiers(input.IdpIdentifiers);
  const settled =
    input.ProviderDetails !== undefined
      ? await settleDetails(
          current.providerType,
          input.ProviderDetails,
          fetcher ?? metadataFetcher(ctx.services.config.allowPrivateMetadataUrls),
        )
      : undefined;
  const updated = await storage.transaction(async (tx) => {
    // Re-read inside the transaction: members this request leaves out keep their latest value.
    const latest = await tx.federation.getIdentityProvider(pool.id, input.ProviderName);
    if (!latest) throw updateNotFound(input.ProviderName, pool.id);
    const next: IdentityProviderRecord = { ...latest, updatedAt: ctx.now };
    if (settled) {
      next.providerDetails = settled.details;
      if (settled.samlMetadata !== undefined) next.samlMetadata = settled.samlMetadata;
    }
    if (input.AttributeMapping !== undefined) next.attributeMapping = { ...input.AttributeMapping };
    if (input.IdpIdentifiers !== undefined) {
      await claimIdentifiers(tx, pool, latest.providerName, input.IdpIdentifiers);
      next.idpIdentifiers = [...input.IdpIdentifiers];
    }
    if (input.AcrMapping !== undefined) {
      if (Object.keys(input.AcrMapping).length > 0) next.acrMapping = { ...input.AcrMapping };
      else delete next.acrMapping;
    }
    try {
      await tx.federation.updateIdentityProvider(next);
    } catch (e) {
      if (e instanceof DuplicateKeyError)
        throw new DuplicateProviderException(`An IdpIdentifier already exists for tenant ${pool.id}.`);
      throw e;
    }
    return next;
  });
  return toIdentityProviderType(updated, input.IdpIdentifiers !== undefined);
}

function updateNotFound(name: string, poolId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Identity provider ${name} in User Pool ${poolId} does not exist.`);
}

/**
 * Deletes the provider and every link to it. App clients that listed it among their
 * SupportedIdentityProviders stop listing it.
 */
export async function deleteIdentityProvider(
  ctx: RequestContext,
  poolId: string,
  name: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    await requireProvider(tx, pool, name);
    let after: string | undefined;
    do {
      const page = await tx.pools.listClients(pool.id, 60, after);
      for (const client of page.items) {
        const listed = client.settings.SupportedIdentityProviders;
        if (!listed?.includes(name)) continue;
        const rest = listed.filter((p) => p !== name);
        const settings = { ...client.settings };
        if (rest.length > 0) settings.SupportedIdentityProviders = rest;
        else delete settings.SupportedIdentityProviders;
        await tx.pools.updateClient({ ...client, settings, updatedAt: ctx.now });
      }
      after = page.next;
    } while (after);
    await tx.federation.deleteIdentityProvider(pool.id, name);
  });
}

export async function listIdentityProviders(
  ctx: RequestContext,
  input: ListIdentityProvidersRequest,
): Promise<ListIdentityProvidersResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `idps:${pool.id}`;
  const after = fromToken(input.NextToken, scope);
  const page = await readPage(() =>
    storage.federation.listIdentityProviders(pool.id, input.MaxResults || 60, after),
  );
  const out: ListIdentityProvidersResponse = {
    Providers: page.items.map((idp) => ({
      ProviderName: idp.providerName,
      ProviderType: idp.providerType as IdentityProviderType["ProviderType"],
      LastModifiedDate: wireTime(idp.updatedAt),
      CreationDate: wireTime(idp.createdAt),
    })),
  };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

export async function getIdentityProviderByIdentifier(
  ctx: RequestContext,
  poolId: string,
  identifier: string,
): Promise<IdentityProviderType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  const idp = await storage.federation.getIdentityProviderByIdentifier(pool.id, identifier);
  if (!idp)
    throw new ResourceNotFoundException(
      `Identity provider with identifier ${identifier} for tenantId ${pool.id} does not exist.`,
    );
  return toIdentityProviderType(idp, true);
}
