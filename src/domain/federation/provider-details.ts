/**
 * ProviderDetails of an identity provider, per type: what CreateIdentityProvider and
 * UpdateIdentityProvider require, what Lanyard keeps, and what DescribeIdentityProvider shows.
 *
 * Sources: the ProviderDetails reference of CreateIdentityProvider / IdentityProviderType (its
 * "Create or update request" and "Describe response" examples per type) and the errors Cognito
 * answers with ("clientId, clientSecret and authorizeScopes are all required idp details.", "At
 * least one of the MetadataURL or MetadataFile should be provided.").
 *
 * For the social providers Cognito adds the provider's fixed endpoints to the description; Lanyard
 * keeps only what the administrator gave and derives those endpoints when describing, so a
 * description sent back to UpdateIdentityProvider changes nothing.
 */
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { IdentityProviderTypeType } from "../../generated/types.ts";
import { fetchSamlMetadata, parseSamlMetadata } from "./saml-metadata.ts";

export type ProviderType = IdentityProviderTypeType;

export const SOCIAL_TYPES: ReadonlySet<string> = new Set([
  "Google",
  "Facebook",
  "LoginWithAmazon",
  "SignInWithApple",
]);

/**
 * The claim that holds a user's unique id at each provider: Facebook `id`, Google `sub`, Login
 * with Amazon `user_id`, Sign in with Apple `sub`, OIDC `sub`. For SAML it is the assertion's
 * subject (NameID), which the SAML endpoint passes to the federated sign-in as the `NameID` claim.
 */
export const SAML_SUBJECT_CLAIM = "NameID";

export function subjectClaim(type: string): string {
  switch (type) {
    case "Facebook":
      return "id";
    case "LoginWithAmazon":
      return "user_id";
    case "SAML":
      return SAML_SUBJECT_CLAIM;
    default:
      return "sub";
  }
}

/** The AttributeMapping Cognito gives a provider created without one: the username from the subject. */
export function defaultAttributeMapping(type: string): Record<string, string> {
  return type === "SAML" ? {} : { username: subjectClaim(type) };
}

/** Keys Cognito derives for social providers (shown by Describe, never stored). */
function socialEndpoints(type: string, details: Record<string, string>): Record<string, string> {
  switch (type) {
    case "Google":
      return {
        attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
        attributes_url_add_attributes: "true",
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
        oidc_issuer: "https://accounts.google.com",
        token_request_method: "POST",
        token_url: "https://www.googleapis.com/oauth2/v4/token",
      };
    case "LoginWithAmazon":
      return {
        attributes_url: "https://api.amazon.com/user/profile",
        attributes_url_add_attributes: "false",
        authorize_url: "https://www.amazon.com/ap/oa",
        token_request_method: "POST",
        token_url: "https://api.amazon.com/auth/o2/token",
      };
    case "SignInWithApple":
      return {
        attributes_url_add_attributes: "false",
        authorize_url: "https://appleid.apple.com/auth/authorize",
        oidc_issuer: "https://appleid.apple.com",
        token_request_method: "POST",
        token_url: "https://appleid.apple.com/auth/token",
      };
    case "Facebook": {
      const v = details.api_version ? `${details.api_version}/` : "";
      return {
        attributes_url: `https://graph.facebook.com/${v}me?fields=`,
        attributes_url_add_attributes: "true",
        authorize_url: `https://www.facebook.com/${v}dialog/oauth`,
        token_request_method: "GET",
        token_url: `https://graph.facebook.com/${v}oauth/access_token`,
      };
    }
    default:
      return {};
  }
}

const SOCIAL_DERIVED = [
  "attributes_url",
  "attributes_url_add_attributes",
  "authorize_url",
  "oidc_issuer",
  "token_request_method",
  "token_url",
];
const SAML_DERIVED = ["SSORedirectBindingURI", "SLORedirectBindingURI", "ActiveEncryptionCertificate"];
const SAML_BOOLEANS = ["IDPSignout", "IDPInit", "EncryptedResponses"];

export interface SettledDetails {
  details: Record<string, string>;
  /** SAML: the metadata document (MetadataFile, or fetched from MetadataURL). */
  samlMetadata?: string;
}

/** Fetches a MetadataURL; replaceable in tests of the domain. */
export type MetadataFetcher = (url: string) => Promise<string>;

/** The fetcher for the configuration: private addresses only with `allowPrivateMetadataUrls`. */
export function metadataFetcher(allowPrivate: boolean): MetadataFetcher {
  return (url) => fetchSamlMetadata(url, { allowPrivate });
}

function has(details: Record<string, string>, key: string): boolean {
  return typeof details[key] === "string" && details[key] !== "";
}

/**
 * Checks the details a request gives for a provider of `type` and returns what Lanyard keeps.
 * A SAML MetadataURL is fetched here, as Cognito fetches it when the provider is created or
 * updated; an unreachable URL or a document that is not IdP metadata is refused.
 */
export async function settleDetails(
  type: string,
  given: Readonly<Record<string, string>>,
  fetcher: MetadataFetcher = metadataFetcher(false),
): Promise<SettledDetails> {
  const details = { ...given };
  if (SOCIAL_TYPES.has(type)) for (const k of SOCIAL_DERIVED) delete details[k];
  switch (type) {
    case "Google":
    case "Facebook":
    case "LoginWithAmazon":
      if (!has(details, "client_id") || !has(details, "client_secret") || !has(details, "authorize_scopes"))
        throw new InvalidParameterException(
          "clientId, clientSecret and authorizeScopes are all required idp details.",
        );
      return { details };
    case "SignInWithApple":
      if (
        !has(details, "client_id") ||
        !has(details, "private_key") ||
        !has(details, "team_id") ||
        !has(details, "key_id")
      )
        throw new InvalidParameterException(
          "clientId, privateKey, teamId, and keyId are all required idp details.",
        );
      return { details };
    case "OIDC":
      return { details: settleOidc(details) };
    case "SAML":
      return settleSaml(details, fetcher);
    default:
      throw new InvalidParameterException(`Unsupported provider type ${type}.`);
  }
}

function settleOidc(details: Record<string, string>): Record<string, string> {
  if (
    !has(details, "client_id") ||
    !has(details, "authorize_scopes") ||
    !has(details, "oidc_issuer") ||
    !has(details, "attributes_request_method")
  )
    throw new InvalidParameterException(
      "clientId, authorizeScopes, oidcIssuer and attributesRequestMethod are all required idp details.",
    );
  const method = details.attributes_request_method;
  if (method !== "GET" && method !== "POST")
    throw new InvalidParameterException("attributes_request_method must be GET or POST.");
  for (const key of ["oidc_issuer", "authorize_url", "token_url", "attributes_url", "jwks_uri"]) {
    if (details[key] === undefined) continue;
    if (!URL.canParse(details[key]) || !/^https?:/.test(details[key]))
      throw new InvalidParameterException(`${key} must be a URL: ${details[key]}`);
  }
  return details;
}

async function settleSaml(
  details: Record<string, string>,
  fetcher: MetadataFetcher,
): Promise<SettledDetails> {
  for (const k of SAML_DERIVED) delete details[k];
  const url = details.MetadataURL;
  const file = details.MetadataFile;
  if (!url && !file)
    throw new InvalidParameterException(
      "At least one of the MetadataURL or MetadataFile should be provided.",
    );
  if (url && file)
    throw new InvalidParameterException("Only one of the MetadataURL or MetadataFile should be provided.");
  for (const k of SAML_BOOLEANS)
    if (details[k] !== undefined && details[k] !== "true" && details[k] !== "false")
      throw new InvalidParameterException(`${k} must be true or false.`);
  if (details.RequestSigningAlgorithm !== undefined && details.RequestSigningAlgorithm !== "rsa-sha256")
    throw new InvalidParameterException("RequestSigningAlgorithm must be rsa-sha256.");
  let metadata: string;
  if (file) {
    metadata = file;
  } else {
    if (!URL.canParse(url!) || !/^https?:/.test(url!))
      throw new InvalidParameterException(`MetadataURL must be an http or https URL: ${url}`);
    try {
      metadata = await fetcher(url!);
    } catch {
      // One message for every failure (refused address, no answer, HTTP error, too large, too many
      // redirects): a distinct one would tell the caller which hosts and ports answer.
      throw new InvalidParameterException(`Unable to retrieve the SAML metadata from ${url}.`);
    }
  }
  parseSamlMetadata(metadata);
  return { details, samlMetadata: metadata };
}

/** ProviderDetails as DescribeIdentityProvider shows them, keys in order. */
export function describeDetails(
  type: string,
  stored: Readonly<Record<string, string>>,
  samlMetadata: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = { ...stored };
  if (SOCIAL_TYPES.has(type)) Object.assign(out, socialEndpoints(type, stored));
  // Cognito never shows an Apple private key back.
  if (type === "SignInWithApple") delete out.private_key;
  if (type === "OIDC") out.attributes_url_add_attributes ??= "false";
  if (type === "SAML" && samlMetadata) {
    const meta = parseSamlMetadata(samlMetadata);
    if (meta.ssoRedirectUri) out.SSORedirectBindingURI = meta.ssoRedirectUri;
    if (meta.sloRedirectUri) out.SLORedirectBindingURI = meta.sloRedirectUri;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The SAML IdP's entityID: the `issuer` of identities from it. */
export function samlIssuer(samlMetadata: string | undefined): string | null {
  if (!samlMetadata) return null;
  try {
    return parseSamlMetadata(samlMetadata).entityId;
  } catch {
    return null;
  }
}
