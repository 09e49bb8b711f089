/**
 * @node-saml/node-saml, loaded with the few types Lanyard uses. Its own declarations reference the
 * DOM library (through @xmldom/xmldom 0.8), which would change the global types of the whole
 * project (fetch, streams), so they are not imported.
 */
import { createRequire } from "node:module";

export interface SamlConfig {
  issuer: string;
  callbackUrl: string;
  idpCert: string | string[];
  entryPoint?: string;
  idpIssuer?: string;
  audience?: string;
  acceptedClockSkewMs?: number;
  wantAuthnResponseSigned?: boolean;
  wantAssertionsSigned?: boolean;
  validateInResponseTo?: "never" | "ifPresent" | "always";
  identifierFormat?: string | null;
  disableRequestedAuthnContext?: boolean;
  logoutUrl?: string;
  logoutCallbackUrl?: string;
  generateUniqueId?: () => string;
  privateKey?: string;
  signatureAlgorithm?: "sha1" | "sha256" | "sha512";
  decryptionPvk?: string;
}

export interface Profile {
  issuer: string;
  nameID: string;
  nameIDFormat: string;
  sessionIndex?: string;
  attributes?: Record<string, unknown>;
  getAssertionXml?(): string;
  getAssertion?(): Record<string, unknown>;
  [name: string]: unknown;
}

export interface SamlInstance {
  getAuthorizeUrlAsync(relayState: string, host: string | undefined, options: object): Promise<string>;
  validatePostResponseAsync(
    container: Record<string, string>,
  ): Promise<{ profile: Profile | null; loggedOut: boolean }>;
  generateServiceProviderMetadata(
    decryptionCert: string | null,
    publicCerts?: string | string[] | null,
  ): string;
  getLogoutUrlAsync(profile: Profile, relayState: string, options: object): Promise<string>;
  validateRedirectAsync(
    query: Record<string, string>,
    originalQuery: string,
  ): Promise<{ profile: Profile | null; loggedOut: boolean }>;
}

type SamlClass = new (config: SamlConfig) => SamlInstance;
let samlClass: SamlClass | undefined;

/**
 * A node-saml SAML instance. The library (with its XML and signature dependencies, about 20 MB of
 * memory) is loaded at the first SAML sign-in or metadata request, not when the server starts.
 */
export function newSaml(config: SamlConfig): SamlInstance {
  samlClass ??= (createRequire(import.meta.url)("@node-saml/node-saml") as { SAML: SamlClass }).SAML;
  return new samlClass(config);
}

type XmlDom = typeof import("@xmldom/xmldom");
let xmldom: XmlDom | undefined;

/** An XML document parsed by @xmldom/xmldom (node-saml's parser), loaded at first use like node-saml. */
export function parseXml(xml: string): ReturnType<InstanceType<XmlDom["DOMParser"]>["parseFromString"]> {
  xmldom ??= createRequire(import.meta.url)("@xmldom/xmldom") as XmlDom;
  return new xmldom.DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
}
