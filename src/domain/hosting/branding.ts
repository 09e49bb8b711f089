/**
 * Managed login branding styles: CreateManagedLoginBranding, DescribeManagedLoginBranding,
 * DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding; and
 * what the hosted pages show for an app client (brandingOf: this style, and the classic UI
 * customization). One style per app client. Settings is kept and returned as given.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  ManagedLoginBrandingExistsException,
  ResourceNotFoundException,
} from "../../generated/exceptions.ts";
import type {
  AssetType,
  CreateManagedLoginBrandingRequest,
  ManagedLoginBrandingType,
  UpdateManagedLoginBrandingRequest,
} from "../../generated/types.ts";
import type { BrandingAsset, BrandingRecord, UICustomizationRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { requireClient, requirePool } from "../lookups.ts";
import { logoPath, uiCustomizationOf } from "./ui-customization.ts";

/** Categories that take one file type only. */
const CATEGORY_EXTENSION: Readonly<Record<string, string>> = { FAVICON_ICO: "ICO", FAVICON_SVG: "SVG" };

function notFound(id: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Managed login branding ${id} does not exist.`);
}

/** How deeply a Settings document may nest (Cognito's own style documents nest a few levels). */
const MAX_SETTINGS_DEPTH = 64;

/** Refuses a Settings document nested beyond MAX_SETTINGS_DEPTH (measured without recursion). */
function checkSettings(settings: unknown): void {
  const stack: [unknown, number][] = [[settings, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_SETTINGS_DEPTH)
      throw new InvalidParameterException(
        `Settings must not be nested more than ${MAX_SETTINGS_DEPTH} levels deep.`,
      );
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

function checkCognitoValues(use: boolean | undefined, settings: unknown, assets: unknown): void {
  checkSettings(settings);
  if (use === true && (settings !== undefined || assets !== undefined))
    throw new InvalidParameterException(
      "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
    );
}

function settleAssets(assets: readonly AssetType[]): BrandingAsset[] {
  const seen = new Set<string>();
  return assets.map((a) => {
    const key = `${a.Category}/${a.ColorMode}`;
    if (seen.has(key))
      throw new InvalidParameterException(
        `Duplicate asset for Category ${a.Category} and ColorMode ${a.ColorMode}.`,
      );
    seen.add(key);
    const only = CATEGORY_EXTENSION[a.Category];
    if (only !== undefined && a.Extension !== only)
      throw new InvalidParameterException(`Asset of Category ${a.Category} must have the Extension ${only}.`);
    const out: BrandingAsset = { Category: a.Category, ColorMode: a.ColorMode, Extension: a.Extension };
    if (a.Bytes !== undefined) out.Bytes = a.Bytes;
    if (a.ResourceId !== undefined) out.ResourceId = a.ResourceId;
    return out;
  });
}

export function toBrandingType(b: BrandingRecord): ManagedLoginBrandingType {
  const out: ManagedLoginBrandingType = {
    ManagedLoginBrandingId: b.brandingId,
    UserPoolId: b.poolId,
    UseCognitoProvidedValues: b.useCognitoProvidedValues,
  };
  if (b.settings !== undefined) out.Settings = structuredClone(b.settings);
  out.Assets = b.assets.map((a) => ({ ...a }) as AssetType);
  out.CreationDate = wireTime(b.createdAt);
  out.LastModifiedDate = wireTime(b.updatedAt);
  return out;
}

export async function createBranding(
  ctx: RequestContext,
  input: CreateManagedLoginBrandingRequest,
): Promise<ManagedLoginBrandingType> {
  checkCognitoValues(input.UseCognitoProvidedValues, input.Settings, input.Assets);
  const record: BrandingRecord = {
    poolId: input.UserPoolId,
    brandingId: randomUUID(),
    clientId: input.ClientId,
    useCognitoProvidedValues: input.UseCognitoProvidedValues === true,
    assets: settleAssets(input.Assets ?? []),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  if (input.Settings !== undefined) record.settings = structuredClone(input.Settings);
  await ctx.services.storage.transaction(async (tx) => {
    await requireClient(tx, input.UserPoolId, input.ClientId);
    const exists = () =>
      new ManagedLoginBrandingExistsException(
        `A managed login branding style already exists for app client ${input.ClientId}.`,
      );
    if (await tx.hosting.getBrandingByClient(input.UserPoolId, input.ClientId)) throw exists();
    try {
      await tx.hosting.insertBranding(record);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw exists();
      throw e;
    }
  });
  return toBrandingType(record);
}

/**
 * Describe and DescribeByClient. Lanyard has no copy of Cognito's default style, so
 * ReturnMergedResources returns what is stored, as without it.
 */
export async function describeBranding(
  ctx: RequestContext,
  poolId: string,
  brandingId: string,
): Promise<ManagedLoginBrandingType> {
  const { storage } = ctx.services;
  await requirePool(storage, poolId);
  const b = await storage.hosting.getBranding(poolId, brandingId);
  if (!b) throw notFound(brandingId);
  return toBrandingType(b);
}

export async function describeBrandingByClient(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
): Promise<ManagedLoginBrandingType> {
  const { storage } = ctx.services;
  await requireClient(storage, poolId, clientId);
  const b = await storage.hosting.getBrandingByClient(poolId, clientId);
  if (!b)
    throw new ResourceNotFoundException(`Managed login branding for app client ${clientId} does not exist.`);
  return toBrandingType(b);
}

/** Settings and Assets the request gives replace the stored ones; UseCognitoProvidedValues true clears both. */
export async function updateBranding(
  ctx: RequestContext,
  input: UpdateManagedLoginBrandingRequest,
): Promise<ManagedLoginBrandingType> {
  if (input.UserPoolId === undefined)
    throw new InvalidParameterException("UserPoolId is required to update a managed login branding style.");
  if (input.ManagedLoginBrandingId === undefined)
    throw new InvalidParameterException(
      "ManagedLoginBrandingId is required to update a managed login branding style.",
    );
  checkCognitoValues(input.UseCognitoProvidedValues, input.Settings, input.Assets);
  const assets = input.Assets !== undefined ? settleAssets(input.Assets) : undefined;
  const poolId = input.UserPoolId;
  const brandingId = input.ManagedLoginBrandingId;
  return ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, poolId);
    const b = await tx.hosting.getBranding(poolId, brandingId);
    if (!b) throw notFound(brandingId);
    const next: BrandingRecord = { ...b, updatedAt: ctx.now };
    if (input.UseCognitoProvidedValues === true) {
      next.useCognitoProvidedValues = true;
      delete next.settings;
      next.assets = [];
    } else {
      if (input.Settings !== undefined) next.settings = structuredClone(input.Settings);
      if (assets !== undefined) next.assets = assets;
      if (input.UseCognitoProvidedValues === false || input.Settings !== undefined || assets !== undefined)
        next.useCognitoProvidedValues = false;
    }
    await tx.hosting.updateBranding(next);
    return toBrandingType(next);
  });
}

export async function deleteBranding(ctx: RequestContext, poolId: string, brandingId: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, poolId);
    if (!(await tx.hosting.getBranding(poolId, brandingId))) throw notFound(brandingId);
    await tx.hosting.deleteBranding(poolId, brandingId);
  });
}

/** What the hosted pages show for an app client. */
export interface PageBranding {
  /** The hosted UI (classic) customization: the client's own, else the pool's (ClientId ALL). */
  ui?: {
    css?: string;
    /** The logo, with the path (under the server's public URL) it is served at. */
    logo?: { type: "png" | "jpeg"; bytes: Buffer; path: string };
    version: string;
  };
  /** The client's managed login branding style. */
  managedLogin?: {
    brandingId: string;
    useCognitoProvidedValues: boolean;
    settings?: unknown;
    assets: BrandingAsset[];
  };
}

function uiOf(c: UICustomizationRecord): NonNullable<PageBranding["ui"]> {
  const ui: NonNullable<PageBranding["ui"]> = { version: c.version };
  if (c.css !== undefined) ui.css = c.css;
  if (c.image !== undefined && c.imageType !== undefined)
    ui.logo = { type: c.imageType, bytes: Buffer.from(c.image, "base64"), path: logoPath(c) };
  return ui;
}

/** The branding configured for an app client's pages; undefined when nothing is set. */
export async function brandingOf(
  storage: Reader,
  poolId: string,
  clientId: string,
): Promise<PageBranding | undefined> {
  const ui = await uiCustomizationOf(storage, poolId, clientId);
  const b = await storage.hosting.getBrandingByClient(poolId, clientId);
  if (!ui && !b) return undefined;
  const out: PageBranding = {};
  if (ui) out.ui = uiOf(ui);
  if (b) {
    out.managedLogin = {
      brandingId: b.brandingId,
      useCognitoProvidedValues: b.useCognitoProvidedValues,
      assets: b.assets.map((a) => ({ ...a })),
    };
    if (b.settings !== undefined) out.managedLogin.settings = structuredClone(b.settings);
  }
  return out;
}
