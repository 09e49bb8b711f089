/**
 * What an app client's pages look like: hosting's branding (brandingOf: the managed login branding
 * style and the classic UI customization) mapped to the pages' PageBranding.
 *
 * - Managed login branding: the colour scheme (`categories.global.colorSchemeMode`, light unless
 *   DARK), the primary button's colours (`components.primaryButton.<mode>.defaults.backgroundColor`
 *   and `textColor`) and the page background's (`components.pageBackground.<mode>.color`), in
 *   Cognito's `RRGGBBAA` hex; the assets of the mode (else DYNAMIC): the logo (FORM_LOGO, else
 *   PAGE_HEADER_LOGO), the favicon (FAVICON_ICO, FAVICON_SVG) and the page background image
 *   (PAGE_BACKGROUND, unless `components.pageBackground.image.enabled` is false), as data: URLs.
 * - Classic UI customization: its CSS appended, each customizable class also applied to the element
 *   of these pages it names (the submit button, the inputs, the labels...), and its logo shown when
 *   the branding style gives none.
 */
import type { Services } from "../../context.ts";
import { brandingOf, type PageBranding as HostedBranding } from "../../domain/hosting/domains.ts";
import { DEFAULT_BRANDING, type PageBranding } from "./pages/layout.ts";

type Asset = NonNullable<HostedBranding["managedLogin"]>["assets"][number];

const MIME: Readonly<Record<string, string>> = {
  ICO: "image/x-icon",
  SVG: "image/svg+xml",
  PNG: "image/png",
  JPEG: "image/jpeg",
  WEBP: "image/webp",
};

/** The pages' elements each class of the classic hosted UI stands for. */
const CLASS_ELEMENTS: Readonly<Record<string, string>> = {
  "background-customizable": "main",
  "banner-customizable": "header",
  "logo-customizable": "header img",
  "label-customizable": "label",
  "inputField-customizable": "input",
  "inputField-customizable:focus": "input:focus",
  "submitButton-customizable": 'button[type="submit"]:not(.secondary)',
  "submitButton-customizable:hover": 'button[type="submit"]:not(.secondary):hover',
  "errorMessage-customizable": ".alert.error",
  "textDescription-customizable": "main p",
};

/** A value at a path of a JSON document, when it is there. */
function at(doc: unknown, ...path: string[]): unknown {
  let value = doc;
  for (const key of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Cognito's `RRGGBB[AA]` (with or without `#`) as a CSS colour; undefined for anything else. */
function colour(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^#?([0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?)$/.exec(value);
  return m ? `#${m[1]!.toLowerCase()}` : undefined;
}

function dataUrl(extension: string, base64: string | undefined): string | undefined {
  const mime = MIME[extension];
  if (!mime || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return `data:${mime};base64,${base64}`;
}

/** The asset of the first category that has one, in the scheme's mode, else DYNAMIC, else any. */
function asset(assets: readonly Asset[], mode: string, categories: string[]): string | undefined {
  for (const category of categories) {
    const of = assets.filter((a) => a.Category === category && a.Bytes !== undefined);
    const chosen = of.find((a) => a.ColorMode === mode) ?? of.find((a) => a.ColorMode === "DYNAMIC") ?? of[0];
    const url = chosen && dataUrl(chosen.Extension, chosen.Bytes);
    if (url) return url;
  }
  return undefined;
}

/** The classic CSS (already checked by SetUICustomization) with each class's element added to its rule. */
export function classicCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(\s*)([^{}\s][^{}]*)\{/g, (_, space: string, selectors: string) => {
      const list = selectors.split(",").map((s) => s.trim());
      const elements = list.flatMap((s) => {
        const element = CLASS_ELEMENTS[s.slice(1)];
        return element === undefined ? [] : [element];
      });
      return `${space}${[...list, ...elements].join(", ")} {`;
    });
}

/** The pages' branding for what hosting stores; undefined when nothing is set. */
export function pageBranding(hosted: HostedBranding | undefined): PageBranding | undefined {
  if (!hosted) return undefined;
  const out: PageBranding = { ...DEFAULT_BRANDING };
  const style = hosted.managedLogin;
  if (style && !style.useCognitoProvidedValues) {
    const s = style.settings;
    const dark = at(s, "categories", "global", "colorSchemeMode") === "DARK";
    const mode = dark ? "darkMode" : "lightMode";
    const primary = colour(at(s, "components", "primaryButton", mode, "defaults", "backgroundColor"));
    const onPrimary = colour(at(s, "components", "primaryButton", mode, "defaults", "textColor"));
    const background = colour(at(s, "components", "pageBackground", mode, "color"));
    if (primary) out.primaryColor = primary;
    if (onPrimary) out.onPrimaryColor = onPrimary;
    if (background) out.backgroundColor = background;
    const colorMode = dark ? "DARK" : "LIGHT";
    const logo = asset(style.assets, colorMode, ["FORM_LOGO", "PAGE_HEADER_LOGO"]);
    const favicon = asset(style.assets, colorMode, ["FAVICON_ICO", "FAVICON_SVG"]);
    const image =
      at(s, "components", "pageBackground", "image", "enabled") === false
        ? undefined
        : asset(style.assets, colorMode, ["PAGE_BACKGROUND"]);
    if (logo) out.logoUrl = logo;
    if (favicon) out.faviconUrl = favicon;
    if (image) out.backgroundImageUrl = image;
  }
  const ui = hosted.ui;
  if (ui?.css) out.css = classicCss(ui.css);
  if (ui?.logo && out.logoUrl === undefined)
    out.logoUrl = `data:image/${ui.logo.type};base64,${ui.logo.bytes.toString("base64")}`;
  return out;
}

/** The branding of an app client's pages. */
export async function clientBranding(
  services: Services,
  poolId: string,
  clientId: string,
): Promise<PageBranding | undefined> {
  return pageBranding(await brandingOf(services.storage, poolId, clientId));
}
