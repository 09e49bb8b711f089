/**
 * The few facts Lanyard reads from a SAML 2.0 IdP metadata document: the IdP's entityID (the
 * `issuer` of its users' identities), its single sign-on and single logout endpoints for the
 * HTTP-Redirect binding (shown by DescribeIdentityProvider as SSORedirectBindingURI and
 * SLORedirectBindingURI) and its signing certificates (for checking assertions).
 *
 * This is a reader, not a validating XML parser: it looks for the elements by local name, with or
 * without a namespace prefix, which is all a metadata document's consumers need.
 */
import { InvalidParameterException } from "../../generated/exceptions.ts";

export interface SamlMetadata {
  entityId: string;
  ssoRedirectUri?: string;
  ssoPostUri?: string;
  sloRedirectUri?: string;
  signingCertificates: string[];
}

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/** Opening tags of an element (any namespace prefix), with their attribute text. */
function tags(xml: string, localName: string): string[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${localName}(\\s[^>]*)?/?>`, "g");
  return [...xml.matchAll(re)].map((m) => m[1] ?? "");
}

function attribute(tagText: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tagText);
  if (!m) return undefined;
  return decodeEntities(m[2] ?? m[3] ?? "");
}

function decodeEntities(s: string): string {
  return s
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

function invalid(reason: string): InvalidParameterException {
  return new InvalidParameterException(`Invalid SAML metadata: ${reason}`);
}

/** Reads an IdP metadata document; throws InvalidParameterException when it is not one. */
export function parseSamlMetadata(xml: string): SamlMetadata {
  const text = xml.trim();
  if (!text.startsWith("<")) throw invalid("the document is not XML.");
  const entity = tags(text, "EntityDescriptor")[0];
  if (entity === undefined) throw invalid("no EntityDescriptor element.");
  const entityId = attribute(entity, "entityID");
  if (!entityId) throw invalid("the EntityDescriptor has no entityID.");
  const start = text.search(/<(?:[\w.-]+:)?IDPSSODescriptor[\s>]/);
  if (start < 0) throw invalid("no IDPSSODescriptor element.");
  const end = text.search(/<\/(?:[\w.-]+:)?IDPSSODescriptor\s*>/);
  const idp = text.slice(start, end > start ? end : undefined);
  const out: SamlMetadata = { entityId, signingCertificates: [] };
  for (const sso of tags(idp, "SingleSignOnService")) {
    const binding = attribute(sso, "Binding");
    const location = attribute(sso, "Location");
    if (!location) continue;
    if (binding === REDIRECT) out.ssoRedirectUri ??= location;
    if (binding === POST) out.ssoPostUri ??= location;
  }
  if (!out.ssoRedirectUri && !out.ssoPostUri)
    throw invalid("the IDPSSODescriptor has no SingleSignOnService.");
  for (const slo of tags(idp, "SingleLogoutService")) {
    const location = attribute(slo, "Location");
    if (location && attribute(slo, "Binding") === REDIRECT) out.sloRedirectUri ??= location;
  }
  const keyRe = /<(?:[\w.-]+:)?KeyDescriptor(\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?KeyDescriptor\s*>/g;
  for (const m of idp.matchAll(keyRe)) {
    const use = attribute(m[1] ?? "", "use");
    if (use !== undefined && use !== "signing") continue;
    const cert = /<(?:[\w.-]+:)?X509Certificate[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?X509Certificate\s*>/.exec(
      m[2] ?? "",
    );
    if (cert?.[1]) out.signingCertificates.push(cert[1].replace(/\s+/g, ""));
  }
  return out;
}
