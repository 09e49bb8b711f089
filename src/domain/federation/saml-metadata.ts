/**
 * The few facts Lanyard reads from a SAML 2.0 IdP metadata document: the IdP's entityID (the
 * `issuer` of its users' identities), its single sign-on and single logout endpoints for the
 * HTTP-Redirect binding (shown by DescribeIdentityProvider as SSORedirectBindingURI and
 * SLORedirectBindingURI) and its signing certificates (for checking assertions).
 *
 * This is a reader, not a validating XML parser: it looks for the elements by local name, with or
 * without a namespace prefix, which is all a metadata document's consumers need.
 */
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
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

/** Largest metadata document accepted, the most redirects followed, and the time allowed in all. */
export const METADATA_LIMITS = { maxBytes: 1024 * 1024, maxRedirects: 3, timeoutMs: 5000 } as const;

/** Address ranges that are not on the public internet: loopback, private, link-local, reserved. */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  NON_PUBLIC.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 127], // :: and ::1
  ["64:ff9b::", 96], // NAT64, reaches IPv4 behind it
  ["100::", 64],
  ["2001::", 32], // Teredo
  ["2001:db8::", 32],
  ["2002::", 16], // 6to4, embeds any IPv4 address
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  NON_PUBLIC.addSubnet(net, bits, "ipv6");

/** True when an IP address is on the public internet (IPv4-mapped IPv6 counts as its IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface MetadataFetchOptions {
  /** Loopback, private and link-local addresses are allowed (configuration `allowPrivateMetadataUrls`). */
  allowPrivate: boolean;
  /** Replaces the address policy (tests). */
  isAllowedAddress?: (address: string) => boolean;
}

/** Every failure to fetch reads the same, so the fetch cannot probe which hosts and ports answer. */
export class MetadataFetchError extends Error {}

/**
 * Fetches a SAML MetadataURL: http or https only; the host name is resolved and every address it
 * resolves to must be public (unless `allowPrivate`), and the connection goes to the address that
 * was checked; at most METADATA_LIMITS.maxRedirects redirects, each hop checked again; at most
 * METADATA_LIMITS.maxBytes; METADATA_LIMITS.timeoutMs for the whole fetch. Any failure throws
 * MetadataFetchError, whose message never says what failed.
 */
export async function fetchSamlMetadata(url: string, options: MetadataFetchOptions): Promise<string> {
  const allowed =
    options.isAllowedAddress ?? (options.allowPrivate ? () => true : (a: string) => isPublicAddress(a));
  const signal = AbortSignal.timeout(METADATA_LIMITS.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; hop <= METADATA_LIMITS.maxRedirects; hop++) {
      const answer = await fetchOnce(new URL(current), allowed, signal);
      if (answer.location === undefined) return answer.body;
      current = new URL(answer.location, current).href;
    }
  } catch {
    // fall through: one error for every failure
  }
  throw new MetadataFetchError("the metadata could not be fetched");
}

async function resolveChecked(
  host: string,
  allowed: (a: string) => boolean,
  signal: AbortSignal,
): Promise<LookupAddress> {
  const name = host.replace(/^\[|\]$/g, "");
  // The resolver cannot be cancelled: race it against the fetch's time limit.
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new Error("timeout"));
    signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true });
  });
  aborted.catch(() => {});
  const addresses = isIP(name)
    ? [{ address: name, family: isIP(name) }]
    : await Promise.race([lookup(name, { all: true }), aborted]);
  if (addresses.length === 0 || !addresses.every((a) => allowed(a.address)))
    throw new Error("address refused");
  return addresses[0]!;
}

function fetchOnce(
  url: URL,
  allowed: (a: string) => boolean,
  signal: AbortSignal,
): Promise<{ body: string; location?: string }> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new Error("scheme"));
  // node:http is imported when first needed: importing it as a module loads Node's fetch
  // implementation with it (its WebSocket export), several MB that an idle server does not need.
  const plain = url.protocol === "http:" ? import("node:http") : undefined;
  return Promise.all([resolveChecked(url.hostname, allowed, signal), plain]).then(
    ([checked, http]) =>
      new Promise((resolve, reject) => {
        const send = http ? http.request : httpsRequest;
        const req = send(
          url,
          {
            signal,
            headers: { accept: "application/samlmetadata+xml, application/xml, text/xml, */*" },
            // Connect to the address just checked, never to a second answer of the resolver.
            lookup: (_host, opts, done) => {
              if ((opts as { all?: boolean }).all) done(null, [checked]);
              else done(null, checked.address, checked.family);
            },
          },
          (res) => {
            const status = res.statusCode ?? 0;
            if (status >= 300 && status < 400 && res.headers.location) {
              res.resume();
              return resolve({ body: "", location: res.headers.location });
            }
            const declared = Number(res.headers["content-length"]);
            if (status < 200 || status >= 300 || declared > METADATA_LIMITS.maxBytes) {
              res.destroy();
              return reject(new Error("status"));
            }
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (chunk: Buffer) => {
              size += chunk.length;
              if (size > METADATA_LIMITS.maxBytes) res.destroy(new Error("too large"));
              else chunks.push(chunk);
            });
            res.on("end", () => resolve({ body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end();
      }),
  );
}
