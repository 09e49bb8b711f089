/** The mapping of hosting's branding to the pages' look (src/http/oauth/branding.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { classicCss, pageBranding } from "../../src/http/oauth/branding.ts";
import { DEFAULT_BRANDING } from "../../src/http/oauth/pages/layout.ts";

const style = (
  settings: unknown,
  assets: { Category: string; ColorMode: string; Extension: string; Bytes?: string }[] = [],
) => ({
  managedLogin: { brandingId: "b", useCognitoProvidedValues: false, settings, assets },
});

test("nothing configured: no branding", () => {
  assert.equal(pageBranding(undefined), undefined);
});

test("the dark scheme takes the dark colours and the dark assets, else the dynamic ones", () => {
  const b = pageBranding(
    style(
      {
        categories: { global: { colorSchemeMode: "DARK" } },
        components: {
          primaryButton: {
            lightMode: { defaults: { backgroundColor: "ffffffff" } },
            darkMode: { defaults: { backgroundColor: "#0A0B0C", textColor: "eeeeeeff" } },
          },
          pageBackground: { darkMode: { color: "000000ff" } },
        },
      },
      [
        { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: "TElHSFQ=" },
        { Category: "FORM_LOGO", ColorMode: "DARK", Extension: "SVG", Bytes: "REFSSw==" },
        { Category: "FAVICON_SVG", ColorMode: "DYNAMIC", Extension: "SVG", Bytes: "SUNP" },
      ],
    ),
  )!;
  assert.equal(b.primaryColor, "#0a0b0c");
  assert.equal(b.onPrimaryColor, "#eeeeeeff");
  assert.equal(b.backgroundColor, "#000000ff");
  assert.equal(b.logoUrl, "data:image/svg+xml;base64,REFSSw==");
  assert.equal(b.faviconUrl, "data:image/svg+xml;base64,SUNP");
});

test("values that are not Cognito colours or base64 are ignored; a disabled background image is not shown", () => {
  const b = pageBranding(
    style(
      {
        components: {
          primaryButton: { lightMode: { defaults: { backgroundColor: "red;}body{x:y", textColor: 7 } } },
          pageBackground: { image: { enabled: false }, lightMode: { color: "url(x)" } },
        },
      },
      [
        { Category: "PAGE_HEADER_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: 'x")' },
        { Category: "PAGE_BACKGROUND", ColorMode: "LIGHT", Extension: "PNG", Bytes: "QkFDSw==" },
      ],
    ),
  )!;
  assert.equal(b.primaryColor, DEFAULT_BRANDING.primaryColor);
  assert.equal(b.onPrimaryColor, DEFAULT_BRANDING.onPrimaryColor);
  assert.equal(b.backgroundColor, DEFAULT_BRANDING.backgroundColor);
  assert.equal(b.logoUrl, undefined);
  assert.equal(b.backgroundImageUrl, undefined);
});

test("UseCognitoProvidedValues: Cognito's look, which is Lanyard's here; the classic logo still shows", () => {
  const b = pageBranding({
    managedLogin: { brandingId: "b", useCognitoProvidedValues: true, assets: [] },
    ui: { version: "1", logo: { type: "jpeg", bytes: Buffer.from("jpg"), path: "/x" } },
  })!;
  assert.equal(b.primaryColor, DEFAULT_BRANDING.primaryColor);
  assert.equal(b.logoUrl, `data:image/jpeg;base64,${Buffer.from("jpg").toString("base64")}`);
});

test("classic CSS: each customizable class also styles the element it names", () => {
  assert.equal(
    classicCss(
      ".submitButton-customizable:hover, .idpButton-customizable { color: red; } /* c */ .logo-customizable{max-width:50%}",
    ),
    '.submitButton-customizable:hover, .idpButton-customizable, button[type="submit"]:not(.secondary):hover { color: red; }  .logo-customizable, header img {max-width:50%}',
  );
});
