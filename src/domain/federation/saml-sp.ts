/**
 * The user pool as a SAML 2.0 service provider (SP) of its SAML identity providers: its metadata
 * (entity id `urn:amazon:cognito:sp:<poolId>`, the assertion consumer service
 * `/saml2/idpresponse`, the pool's certificate for signed requests and encrypted assertions), the
 * AuthnRequest by HTTP-Redirect (signed when the provider's RequestSigningAlgorithm is set), and
 * the check of the IdP's response (POST binding) before the federated sign-in.
 *
 * XML signatures, decryption and the assertion's conditions are checked by @node-saml/node-saml
 * (xml-crypto, xml-encryption): the response's (or else the assertion's) signature against the
 * certificates of the provider's metadata, the audience, NotBefore/NotOnOrAfter with
 * SAML_CLOCK_SKEW_MS. Lanyard checks what it keeps itself: the Destination, the InResponseTo
 * against the AuthnRequests it sent (each answered once), the issuer, and the replay of an
 * assertion.
 *
 * The state between the AuthnRequest and the response (the app's authorization request, the
 * provider) is kept in the single-use store of authorization codes under a key no code hash can
 * take (`saml-request:` and a hash of the request's id and the binding of the browser that started
 * the sign-in, so that only that browser can finish it), and redeemed by the response; so is each assertion
 * id, until it expires, so that a second use is recognised.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { safeEqual } from "../../crypto/secret-hash.ts";
import type { RequestContext } from "../../context.ts";
import { selfSignedCertificate } from "../../crypto/x509.ts";
import type { IdentityProviderRecord, PoolRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";
import { SAML_SUBJECT_CLAIM } from "./provider-details.ts";
import { newSaml, parseXml, type Profile, type SamlConfig, type SamlInstance } from "./node-saml.ts";
import { parseSamlMetadata } from "./saml-metadata.ts";
import type { FederatedClaims } from "./federated-sign-in.ts";
import type { StartInput } from "./pending.ts";
import { OAuthError } from "../oauth/errors.ts";

/** How far the IdP's clock may be from ours when NotBefore / NotOnOrAfter are checked. */
export const SAML_CLOCK_SKEW_MS = 5 * 60_000;
/** How long an AuthnRequest waits for its response. */
export const SAML_REQUEST_LIFETIME_MS = 10 * 60_000;
/** The largest SAMLResponse /saml2/idpresponse accepts (characters), as Cognito documents. */
export const SAML_RESPONSE_MAX_CHARS = 100_000;

const REQUEST_KEY = "saml-request:";
const ASSERTION_KEY = "saml-assertion:";

/** The key of a pending AuthnRequest: its id, in the browser (binding) that started the sign-in. */
function requestKey(requestId: string, binding: string): string {
  return REQUEST_KEY + createHash("sha256").update(`${requestId}\n${binding}`).digest("base64url");
}

export function spEntityId(poolId: string): string {
  return `urn:amazon:cognito:sp:${poolId}`;
}

/**
 * The SP's endpoints under `base`: the origin the request came to, that is the server's public URL,
 * or the pool's domain (prefix or custom) when the request came through it.
 */
export function acsUrl(base: string): string {
  return `${base.replace(/\/$/, "")}/saml2/idpresponse`;
}

export function sloUrl(base: string): string {
  return `${base.replace(/\/$/, "")}/saml2/logout`;
}

function pem(kind: "CERTIFICATE", base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${kind}-----\n${lines.join("\n")}\n-----END ${kind}-----\n`;
}

/** The pool's SAML key: its ID-token signing key, whose certificate GetSigningCertificate gives. */
async function poolKey(
  ctx: RequestContext,
  pool: PoolRecord,
): Promise<{ privateKeyPem: string; certPem: string }> {
  const key = await ctx.services.keys.signingKey(pool.id, "id", ctx.now);
  const cert = selfSignedCertificate(key.privateKey, key.publicKey, pool.id, new Date(pool.createdAt));
  return {
    privateKeyPem: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    certPem: pem("CERTIFICATE", cert),
  };
}

function isTrue(details: Readonly<Record<string, string>>, key: string): boolean {
  return details[key] === "true";
}

/** A node-saml service provider for one identity provider of the pool. */
async function serviceProvider(
  ctx: RequestContext,
  base: string,
  pool: PoolRecord,
  idp: IdentityProviderRecord,
  requestId?: string,
  alwaysSign = false,
): Promise<SamlInstance> {
  const meta = parseSamlMetadata(idp.samlMetadata ?? "");
  const key = await poolKey(ctx, pool);
  const config: SamlConfig = {
    issuer: spEntityId(pool.id),
    callbackUrl: acsUrl(base),
    idpCert:
      meta.signingCertificates.length > 0 ? meta.signingCertificates.map((c) => pem("CERTIFICATE", c)) : "-",
    idpIssuer: meta.entityId,
    audience: spEntityId(pool.id),
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    // The response, or else its assertion, must carry a valid signature (an assertion inside a
    // validly signed response is covered by the response's signature).
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    validateInResponseTo: "never",
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    logoutCallbackUrl: sloUrl(base),
  };
  const entry = meta.ssoRedirectUri ?? meta.ssoPostUri;
  if (entry) config.entryPoint = entry;
  if (meta.sloRedirectUri) config.logoutUrl = meta.sloRedirectUri;
  if (requestId !== undefined) config.generateUniqueId = () => requestId;
  if (alwaysSign || idp.providerDetails.RequestSigningAlgorithm === "rsa-sha256") {
    config.privateKey = key.privateKeyPem;
    config.signatureAlgorithm = "sha256";
  }
  if (isTrue(idp.providerDetails, "EncryptedResponses")) config.decryptionPvk = key.privateKeyPem;
  return newSaml(config);
}

/**
 * The SP metadata of the pool, its endpoints under `base`: signing certificate always, encryption
 * certificate when asked.
 */
export async function spMetadata(ctx: RequestContext, pool: PoolRecord, base: string): Promise<string> {
  const key = await poolKey(ctx, pool);
  const sp = newSaml({
    issuer: spEntityId(pool.id),
    callbackUrl: acsUrl(base),
    idpCert: key.certPem,
    identifierFormat: null,
    logoutCallbackUrl: sloUrl(base),
    privateKey: key.privateKeyPem,
    decryptionPvk: key.privateKeyPem,
  });
  return sp.generateServiceProviderMetadata(key.certPem, key.certPem);
}

/** What an AuthnRequest sent to the IdP waits with: the app's request and the provider. */
interface PendingRequest {
  params: Params;
  providerName: string;
}

/**
 * Starts SP-initiated sign-in: keeps the authorization request (single use, SAML_REQUEST_LIFETIME_MS)
 * and answers the IdP's HTTP-Redirect URL carrying the AuthnRequest.
 */
export async function startSamlSignIn(
  ctx: RequestContext,
  { provider: idp, params, binding, baseUrl }: StartInput,
): Promise<string> {
  const pool = await ctx.services.storage.pools.getPool(idp.poolId);
  if (!pool) throw new OAuthError("invalid_request", "Login option is not available. Please try another one");
  const requestId = `_${randomBytes(20).toString("hex")}`;
  const pending: PendingRequest = { params: { ...params }, providerName: idp.providerName };
  await ctx.services.storage.transaction((tx) =>
    tx.oauth.insertAuthorizationCode({
      codeHash: requestKey(requestId, binding),
      poolId: pool.id,
      clientId: params.client_id ?? "",
      grant: { ...pending },
      createdAt: ctx.now,
      expiresAt: ctx.now + SAML_REQUEST_LIFETIME_MS,
    }),
  );
  const sp = await serviceProvider(ctx, baseUrl, pool, idp, requestId);
  const relayState = randomBytes(16).toString("base64url");
  return sp.getAuthorizeUrlAsync(relayState, undefined, {});
}

/** A SAML response Lanyard refuses: shown on the error page, no user made. */
export class SamlResponseError extends Error {}

/** The root element's facts Lanyard checks itself. */
function responseFacts(xml: string): { destination?: string; inResponseTo?: string; issuer?: string } {
  let doc;
  try {
    doc = parseXml(xml);
  } catch {
    throw new SamlResponseError("The SAML response is not XML.");
  }
  const root = doc.documentElement;
  if (!root || root.localName !== "Response")
    throw new SamlResponseError("The SAML response is not a Response.");
  const out: { destination?: string; inResponseTo?: string; issuer?: string } = {};
  const destination = root.getAttribute("Destination");
  if (destination) out.destination = destination;
  const inResponseTo = root.getAttribute("InResponseTo");
  if (inResponseTo) out.inResponseTo = inResponseTo;
  for (let n = root.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as unknown as { localName: string }).localName === "Issuer")
      out.issuer = (n.textContent ?? "").trim();
  return out;
}

/**
 * Whether a SAMLResponse answers an AuthnRequest (has an InResponseTo), so that it needs the
 * binding of the browser that sent that request; an IdP-initiated response does not.
 */
export function answersRequest(samlResponse: string | undefined): boolean {
  if (!samlResponse || samlResponse.length > SAML_RESPONSE_MAX_CHARS) return false;
  try {
    return responseFacts(Buffer.from(samlResponse, "base64").toString("utf8")).inResponseTo !== undefined;
  } catch {
    return false;
  }
}

function assertionId(profile: Profile): string | undefined {
  const xml = profile.getAssertionXml?.();
  if (!xml) return undefined;
  const doc = parseXml(xml);
  return doc.documentElement?.getAttribute("ID") ?? undefined;
}

function assertionExpiry(profile: Profile, now: number): number {
  const assertion = profile.getAssertion?.() as
    { Assertion?: { Conditions?: { $?: { NotOnOrAfter?: string } }[] } } | undefined;
  const notOnOrAfter = assertion?.Assertion?.Conditions?.[0]?.$?.NotOnOrAfter;
  const at = notOnOrAfter ? Date.parse(notOnOrAfter) : NaN;
  return (Number.isFinite(at) ? Math.max(at, now) : now + 60 * 60_000) + SAML_CLOCK_SKEW_MS;
}

/** The claims of a checked assertion: its attributes by name, and the subject as NameID. */
function claimsOf(profile: Profile): FederatedClaims {
  const claims: Record<string, unknown> = {};
  const attributes = profile.attributes as Record<string, unknown> | undefined;
  if (attributes) for (const [k, v] of Object.entries(attributes)) claims[k] = v;
  claims[SAML_SUBJECT_CLAIM] = profile.nameID;
  return claims;
}

export interface CheckedSamlResponse {
  /** The app's authorization request parameters (from the AuthnRequest, or IdP-initiated RelayState). */
  params: Params;
  poolId: string;
  idp: IdentityProviderRecord;
  claims: FederatedClaims;
  /** The IdP's session, for sign-out. */
  nameID: string;
  nameIDFormat: string;
  sessionIndex?: string;
}

/**
 * Checks a SAMLResponse posted to /saml2/idpresponse and answers what it signs in. Throws
 * SamlResponseError for every refused response. `binding` is the posting browser's: a response to
 * an AuthnRequest is accepted only from the browser that started that sign-in.
 */
export async function checkSamlResponse(
  ctx: RequestContext,
  base: string,
  samlResponse: string | undefined,
  relayState: string | undefined,
  binding: string | undefined,
  idpInitiated: (
    relayState: string | undefined,
  ) => Promise<{ poolId: string; idp: IdentityProviderRecord; params: Params }>,
): Promise<CheckedSamlResponse> {
  if (!samlResponse) throw new SamlResponseError("The SAMLResponse is missing.");
  if (samlResponse.length > SAML_RESPONSE_MAX_CHARS)
    throw new SamlResponseError("The SAMLResponse is too large.");
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  const facts = responseFacts(xml);
  if (facts.destination !== undefined && facts.destination !== acsUrl(base))
    throw new SamlResponseError("The SAML response's Destination is not this endpoint.");

  const { storage } = ctx.services;
  let poolId: string;
  let idp: IdentityProviderRecord | undefined;
  let params: Params;
  if (facts.inResponseTo !== undefined) {
    const inResponseTo = facts.inResponseTo;
    const record =
      binding === undefined
        ? undefined
        : await storage.transaction((tx) =>
            tx.oauth.redeemAuthorizationCode(requestKey(inResponseTo, binding), ctx.now),
          );
    if (!record)
      throw new SamlResponseError("The SAML response answers no pending sign-in request of this browser.");
    const pending = record.grant as unknown as PendingRequest;
    poolId = record.poolId;
    params = pending.params;
    idp = await storage.federation.getIdentityProvider(poolId, pending.providerName);
    if (!idp) throw new SamlResponseError("The identity provider no longer exists.");
  } else {
    ({ poolId, idp, params } = await idpInitiated(relayState));
    if (!isTrue(idp.providerDetails, "IDPInit"))
      throw new SamlResponseError("The identity provider does not allow IdP-initiated sign-in.");
  }
  if (idp.providerType !== "SAML")
    throw new SamlResponseError("The identity provider is not a SAML provider.");
  const pool = await storage.pools.getPool(poolId);
  if (!pool) throw new SamlResponseError("The user pool no longer exists.");
  if (facts.issuer !== undefined && facts.issuer !== parseSamlMetadata(idp.samlMetadata ?? "").entityId)
    throw new SamlResponseError("The SAML response comes from another issuer.");

  const sp = await serviceProvider(ctx, base, pool, idp);
  let profile: Profile | null;
  try {
    ({ profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (e) {
    throw new SamlResponseError(
      `The SAML response was refused: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!profile) throw new SamlResponseError("The SAML response signs nobody in.");
  if (isTrue(idp.providerDetails, "EncryptedResponses") && !/<(?:[\w.-]+:)?EncryptedAssertion[\s>]/.test(xml))
    throw new SamlResponseError("The identity provider must encrypt its assertions.");

  const id = assertionId(profile);
  if (!id) throw new SamlResponseError("The SAML assertion has no ID.");
  // Each assertion id is redeemed once: the first use inserts and redeems it, a second finds it
  // redeemed (the insert of a second use fails on the existing key, and is ignored).
  const key = `${ASSERTION_KEY}${pool.id}:${id}`;
  try {
    await storage.transaction((tx) =>
      tx.oauth.insertAuthorizationCode({
        codeHash: key,
        poolId: pool.id,
        clientId: params.client_id ?? "",
        grant: {},
        createdAt: ctx.now,
        expiresAt: assertionExpiry(profile, ctx.now),
      }),
    );
  } catch {
    // already there: the redemption below tells
  }
  const first = await storage.transaction((tx) => tx.oauth.redeemAuthorizationCode(key, ctx.now));
  if (!first) throw new SamlResponseError("The SAML assertion was used before.");
  const out: CheckedSamlResponse = {
    params,
    poolId: pool.id,
    idp,
    claims: claimsOf(profile),
    nameID: profile.nameID,
    nameIDFormat: profile.nameIDFormat,
  };
  if (profile.sessionIndex !== undefined) out.sessionIndex = profile.sessionIndex;
  return out;
}

/** How long the browser keeps the SAML session it signed in with (for sign-out). */
export const SAML_SESSION_LIFETIME_MS = 60 * 60_000;
const LOGOUT_KEY = "saml-logout:";

/** The IdP session a SAML sign-in made: what a LogoutRequest names. */
export interface SamlSession {
  poolId: string;
  providerName: string;
  nameID: string;
  nameIDFormat: string;
  sessionIndex?: string;
}

function sessionMac(ctx: RequestContext, payload: string): string {
  return createHmac("sha256", ctx.services.serverSecret)
    .update(`saml-session\n${payload}`)
    .digest("base64url");
}

/** The cookie value of a SAML session: signed under the server secret, valid for the hour. */
export function samlSessionValue(ctx: RequestContext, session: SamlSession): string {
  const encoded = Buffer.from(JSON.stringify({ ...session, e: ctx.now + SAML_SESSION_LIFETIME_MS })).toString(
    "base64url",
  );
  return `${encoded}.${sessionMac(ctx, encoded)}`;
}

export function samlSessionOf(
  ctx: RequestContext,
  poolId: string,
  value: string | undefined,
): SamlSession | undefined {
  if (!value) return undefined;
  const [encoded, mac] = value.split(".");
  if (!encoded || !mac || !safeEqual(sessionMac(ctx, encoded), mac)) return undefined;
  try {
    const s = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as SamlSession & { e: number };
    return s.poolId === poolId && s.e > ctx.now ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SAML sign-out (IDPSignout): when the session's provider has IDPSignout on and a single logout
 * endpoint, answers the IdP's HTTP-Redirect URL carrying a LogoutRequest (signed when
 * RequestSigningAlgorithm is set) and keeps where the browser goes once the IdP answers at
 * /saml2/logout; undefined when the provider does not sign out.
 */
export async function startSamlLogout(
  ctx: RequestContext,
  base: string,
  session: SamlSession,
  location: string,
): Promise<string | undefined> {
  const { storage } = ctx.services;
  const idp = await storage.federation.getIdentityProvider(session.poolId, session.providerName);
  const pool = await storage.pools.getPool(session.poolId);
  if (!idp || !pool || idp.providerType !== "SAML" || !isTrue(idp.providerDetails, "IDPSignout"))
    return undefined;
  if (!parseSamlMetadata(idp.samlMetadata ?? "").sloRedirectUri) return undefined;
  const requestId = `_${randomBytes(20).toString("hex")}`;
  await storage.transaction((tx) =>
    tx.oauth.insertAuthorizationCode({
      codeHash: LOGOUT_KEY + requestId,
      poolId: pool.id,
      clientId: "",
      grant: { location, providerName: idp.providerName },
      createdAt: ctx.now,
      expiresAt: ctx.now + SAML_REQUEST_LIFETIME_MS,
    }),
  );
  // Cognito signs every sign-out request with the pool's signing certificate.
  const sp = await serviceProvider(ctx, base, pool, idp, requestId, true);
  const profile: Profile = {
    issuer: parseSamlMetadata(idp.samlMetadata ?? "").entityId,
    nameID: session.nameID,
    nameIDFormat: session.nameIDFormat,
  };
  if (session.sessionIndex !== undefined) profile.sessionIndex = session.sessionIndex;
  return sp.getLogoutUrlAsync(profile, randomBytes(16).toString("base64url"), {});
}

/**
 * The IdP's LogoutResponse at /saml2/logout (HTTP-POST, as Cognito requires): it must answer a
 * LogoutRequest Lanyard sent (once), be signed by that provider and report success; answers where
 * the browser goes next.
 */
export async function finishSamlLogout(
  ctx: RequestContext,
  base: string,
  samlResponse: string | undefined,
): Promise<string> {
  if (!samlResponse) throw new SamlResponseError("The SAMLResponse is missing.");
  if (samlResponse.length > SAML_RESPONSE_MAX_CHARS)
    throw new SamlResponseError("The SAMLResponse is too large.");
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (!root || root.localName !== "LogoutResponse")
    throw new SamlResponseError("The SAML message is not a LogoutResponse.");
  const inResponseTo = root.getAttribute("InResponseTo");
  if (!inResponseTo) throw new SamlResponseError("The LogoutResponse answers no request.");
  const { storage } = ctx.services;
  const record = await storage.transaction((tx) =>
    tx.oauth.redeemAuthorizationCode(LOGOUT_KEY + inResponseTo, ctx.now),
  );
  if (!record) throw new SamlResponseError("The LogoutResponse answers no pending sign-out.");
  const pending = record.grant as { location: string; providerName: string };
  const idp = await storage.federation.getIdentityProvider(record.poolId, pending.providerName);
  const pool = await storage.pools.getPool(record.poolId);
  if (!idp || !pool) throw new SamlResponseError("The identity provider no longer exists.");
  const sp = await serviceProvider(ctx, base, pool, idp);
  let loggedOut: boolean;
  try {
    ({ loggedOut } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (e) {
    throw new SamlResponseError(
      `The LogoutResponse was refused: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const status = doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:protocol", "StatusCode")[0];
  if (!loggedOut || status?.getAttribute("Value") !== "urn:oasis:names:tc:SAML:2.0:status:Success")
    throw new SamlResponseError("The identity provider did not sign the user out.");
  return pending.location;
}
