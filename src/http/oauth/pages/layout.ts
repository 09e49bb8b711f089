/**
 * The frame of every managed login page: language, title, the branding (colours, logo, background,
 * favicon, extra CSS) and the small inline stylesheet. Plain server-rendered HTML that works with
 * JavaScript off.
 */
import { type Html, html, raw } from "./html.ts";

/**
 * How the pages look. Lanyard's look by default; a pool's managed login branding will be passed in
 * here once it is stored.
 */
export interface PageBranding {
  /** Buttons and links. */
  primaryColor: string;
  /** Text on primary buttons. */
  onPrimaryColor: string;
  /** The page behind the card. */
  backgroundColor: string;
  /** CSS background-image URL for the page, if any. */
  backgroundImageUrl?: string;
  /** An image URL (https or data:) shown above the form. */
  logoUrl?: string;
  faviconUrl?: string;
  /** Extra CSS appended to the stylesheet. */
  css?: string;
  /** The product name in titles and the header. */
  name: string;
}

export const DEFAULT_BRANDING: PageBranding = {
  primaryColor: "#1d4ed8",
  onPrimaryColor: "#ffffff",
  backgroundColor: "#f3f4f6",
  name: "Lanyard",
};

/** A CSS value is written into the stylesheet: only plain colours and URLs get through. */
function cssColor(value: string, fallback: string): string {
  return /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\([\d\s.,%]+\))$/.test(value) ? value : fallback;
}

function cssUrl(value: string | undefined): string | undefined {
  if (value === undefined || !/^(https:|data:image\/)[^"'()\\\s<>]*$/.test(value)) return undefined;
  return value;
}

function stylesheet(b: PageBranding): string {
  const primary = cssColor(b.primaryColor, DEFAULT_BRANDING.primaryColor);
  const onPrimary = cssColor(b.onPrimaryColor, DEFAULT_BRANDING.onPrimaryColor);
  const background = cssColor(b.backgroundColor, DEFAULT_BRANDING.backgroundColor);
  const image = cssUrl(b.backgroundImageUrl);
  const extra = (b.css ?? "").replace(/<\/?style/gi, "");
  return `
:root { --primary: ${primary}; --on-primary: ${onPrimary}; --bg: ${background}; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827;
  background: var(--bg)${image ? ` url("${image}") center / cover no-repeat` : ""}; }
main { width: 100%; max-width: 24rem; margin: 2rem 1rem; padding: 2rem; background: #fff;
  border-radius: 0.75rem; box-shadow: 0 1px 3px rgba(0,0,0,.12), 0 8px 24px rgba(0,0,0,.06); }
header { text-align: center; margin-bottom: 1.5rem; }
header img { max-height: 4rem; max-width: 100%; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0; }
p { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
input { width: 100%; padding: 0.625rem 0.75rem; font: inherit; color: inherit; background: #fff;
  border: 1px solid #6b7280; border-radius: 0.375rem; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--primary); outline-offset: 2px; }
button { width: 100%; margin-top: 1.5rem; padding: 0.7rem; font: inherit; font-weight: 600; cursor: pointer;
  color: var(--on-primary); background: var(--primary); border: 0; border-radius: 0.375rem; }
button:hover { filter: brightness(1.1); }
button.secondary { margin-top: 0.75rem; color: var(--primary); background: #fff; border: 1px solid var(--primary); }
a { color: var(--primary); }
.hint { font-size: 0.875rem; color: #4b5563; margin-top: 0.25rem; }
.alert { padding: 0.75rem 1rem; border-radius: 0.375rem; margin-bottom: 1rem; border: 1px solid; }
.alert.error { background: #fef2f2; border-color: #b91c1c; color: #7f1d1d; }
.alert.info { background: #eff6ff; border-color: #1d4ed8; color: #1e3a8a; }
.qr { margin: 0 auto 1rem; width: 12rem; }
.qr svg { display: block; width: 100%; height: auto; }
code { font: 600 1rem/1.4 ui-monospace, monospace; word-break: break-all; }
nav { margin-top: 1.5rem; display: flex; flex-direction: column; gap: 0.5rem; text-align: center; font-size: 0.95rem; }
${extra}`;
}

export interface PageOptions {
  title: string;
  lang?: string;
  branding?: PageBranding;
  body: Html;
}

/** A BCP 47 tag, or English. */
function language(lang: string | undefined): string {
  return lang !== undefined && /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/.test(lang) ? lang : "en";
}

export function page({ title, lang, branding = DEFAULT_BRANDING, body }: PageOptions): string {
  const logo = cssUrl(branding.logoUrl);
  const favicon = cssUrl(branding.faviconUrl);
  return html`<!doctype html>
    <html lang="${language(lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} – ${branding.name}</title>
        ${favicon ? html`<link rel="icon" href="${favicon}" />` : ""}
        <style>
          ${raw(stylesheet(branding))}
        </style>
      </head>
      <body>
        <main>
          <header>
            ${logo ? html`<img src="${logo}" alt="${branding.name}" />` : ""}
            <h1>${title}</h1>
          </header>
          ${body}
        </main>
      </body>
    </html> `.text;
}
