/**
 * The hosted UI (classic) branding: SetUICustomization and GetUICustomization. A customization
 * belongs to one app client, or to the pool (ClientId `ALL`), which every app client without one
 * of its own uses. Each SetUICustomization replaces both the CSS and the logo.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { SetUICustomizationRequest, UICustomizationType } from "../../generated/types.ts";
import type { UICustomizationRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { requireClient, requirePool } from "../lookups.ts";

export const ALL_CLIENTS = "ALL";
/** The developer guide's limit on the logo. */
export const MAX_LOGO_BYTES = 100 * 1024;

/** The CSS classes (with their pseudo-classes) the hosted UI lets administrators style. */
export const CUSTOMIZABLE_CLASSES: ReadonlySet<string> = new Set([
  "background-customizable",
  "banner-customizable",
  "errorMessage-customizable",
  "idpButton-customizable",
  "idpButton-customizable:hover",
  "idpDescription-customizable",
  "inputField-customizable",
  "inputField-customizable:focus",
  "label-customizable",
  "legalText-customizable",
  "logo-customizable",
  "passwordCheck-notValid-customizable",
  "passwordCheck-valid-customizable",
  "socialButton-customizable",
  "submitButton-customizable",
  "submitButton-customizable:hover",
  "textDescription-customizable",
]);

const FORBIDDEN = [/@import/i, /@supports/i, /@page/i, /@media/i];
const SCRIPT = [/javascript:/i, /expression\s*\(/i, /<\s*\/?\s*script/i, /behaviou?r\s*:/i];

function invalidCss(detail: string): InvalidParameterException {
  return new InvalidParameterException(`The CSS is not valid: ${detail}`);
}

/** Refuses CSS outside what the hosted UI takes: rules on its classes only, no at-rules or script. */
export function checkCss(css: string): void {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  for (const re of FORBIDDEN)
    if (re.test(text)) throw invalidCss("@import, @supports, @page and @media statements are not allowed.");
  for (const re of SCRIPT) if (re.test(text)) throw invalidCss("JavaScript is not allowed.");
  if (text.includes("@")) throw invalidCss("at-rules are not allowed.");
  let rest = text;
  for (;;) {
    const open = rest.indexOf("{");
    if (open < 0) {
      if (rest.trim() !== "" || rest.includes("}")) throw invalidCss("a declaration block is not closed.");
      return;
    }
    const close = rest.indexOf("}", open);
    if (close < 0 || rest.slice(open + 1, close).includes("{"))
      throw invalidCss("a declaration block is not closed.");
    const selectors = rest
      .slice(0, open)
      .split(",")
      .map((s) => s.trim());
    for (const selector of selectors) {
      if (!selector.startsWith(".") || !CUSTOMIZABLE_CLASSES.has(selector.slice(1)))
        throw invalidCss(`${selector === "" ? "an empty selector" : selector} is not a customizable class.`);
    }
    rest = rest.slice(close + 1);
  }
}

/** The logo's type from its first bytes, or InvalidParameterException. */
export function logoType(image: Buffer): "png" | "jpeg" {
  if (image.length > MAX_LOGO_BYTES)
    throw new InvalidParameterException("The image file must not be larger than 100 KB.");
  if (image.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "png";
  if (image.length >= 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return "jpeg";
  throw new InvalidParameterException("The image file must be a PNG or JPEG image.");
}

/** Where Lanyard serves the logo (src/http/ui-assets.ts). */
export function logoPath(c: UICustomizationRecord): string {
  return `/${c.poolId}/ui-customization/${c.clientId}/${c.version}/logo.${c.imageType === "png" ? "png" : "jpg"}`;
}

function toWire(c: UICustomizationRecord, publicUrl: string): UICustomizationType {
  const out: UICustomizationType = { UserPoolId: c.poolId, ClientId: c.clientId };
  if (c.image !== undefined) out.ImageUrl = publicUrl + logoPath(c);
  if (c.css !== undefined) out.CSS = c.css;
  out.CSSVersion = c.version;
  out.LastModifiedDate = wireTime(c.updatedAt);
  out.CreationDate = wireTime(c.createdAt);
  return out;
}

/** The app client's own customization, else the pool's. */
async function effective(
  db: Reader,
  poolId: string,
  clientId: string,
): Promise<UICustomizationRecord | undefined> {
  if (clientId !== ALL_CLIENTS) {
    const own = await db.hosting.getUICustomization(poolId, clientId);
    if (own) return own;
  }
  return db.hosting.getUICustomization(poolId, ALL_CLIENTS);
}

export async function setUICustomization(
  ctx: RequestContext,
  input: SetUICustomizationRequest,
): Promise<UICustomizationType> {
  const clientId = input.ClientId ?? ALL_CLIENTS;
  if (input.CSS !== undefined) checkCss(input.CSS);
  const image =
    input.ImageFile !== undefined && input.ImageFile !== ""
      ? Buffer.from(input.ImageFile, "base64")
      : undefined;
  const imageType = image ? logoType(image) : undefined;
  const record = await ctx.services.storage.transaction(async (tx) => {
    if (clientId === ALL_CLIENTS) await requirePool(tx, input.UserPoolId);
    else await requireClient(tx, input.UserPoolId, clientId);
    if ((await tx.hosting.domainsOfPool(input.UserPoolId)).length === 0)
      throw new InvalidParameterException(
        "There has to be an existing domain associated with this user pool",
      );
    const current = await tx.hosting.getUICustomization(input.UserPoolId, clientId);
    const next: UICustomizationRecord = {
      poolId: input.UserPoolId,
      clientId,
      version: String(ctx.now),
      createdAt: current?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    };
    if (input.CSS !== undefined && input.CSS !== "") next.css = input.CSS;
    if (image && imageType) {
      next.image = image.toString("base64");
      next.imageType = imageType;
    }
    await tx.hosting.putUICustomization(next);
    return next;
  });
  return toWire(record, ctx.services.publicUrl());
}

export async function getUICustomization(
  ctx: RequestContext,
  poolId: string,
  clientId: string | undefined,
): Promise<UICustomizationType> {
  const { storage } = ctx.services;
  const id = clientId ?? ALL_CLIENTS;
  if (id === ALL_CLIENTS) await requirePool(storage, poolId);
  else await requireClient(storage, poolId, id);
  const c = await effective(storage, poolId, id);
  return c ? toWire(c, ctx.services.publicUrl()) : { UserPoolId: poolId, ClientId: id };
}

/** What the hosted UI (classic) shows for an app client: its CSS and logo, or the pool's. */
export async function uiCustomizationOf(
  storage: Reader,
  poolId: string,
  clientId: string,
): Promise<UICustomizationRecord | undefined> {
  return effective(storage, poolId, clientId);
}
