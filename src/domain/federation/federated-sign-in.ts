/**
 * "A user of identity provider P, with claims C, signs in": the one place that turns an external
 * identity into a user of the pool and tokens. The OAuth2 / SAML endpoints call it once they have
 * verified the provider's response; `POST /_lanyard/federated-sign-in` (test only, opt-in) calls it
 * directly.
 *
 * The claims are the provider's, by name: the ID token or user-info claims of an OIDC or social
 * provider, the attributes of a SAML assertion. The subject (the user's id at the provider) is
 * read from the claim Cognito reads: Facebook `id`, Google `sub`, Login with Amazon `user_id`, Sign
 * in with Apple `sub`, OIDC `sub`, and for SAML the assertion's subject (NameID), passed as the
 * `NameID` claim (see SAML_SUBJECT_CLAIM).
 *
 * The user is found as Cognito finds it (Linking federated users, Amazon Cognito Developer Guide):
 * 1. a user the identity was linked to (AdminLinkProviderForUser), by `Cognito_Subject` and the
 *    subject, or by another claim named in the link (a SAML attribute) whose value matches; a
 *    link found by such a claim is rewritten to `Cognito_Subject` and the subject, so once the
 *    identity has signed in it is named by its subject (AdminDisableProviderForUser's second SAML
 *    scenario);
 * 2. else the federated user `<ProviderName>_<subject>` (status EXTERNAL_PROVIDER), created at the
 *    identity's first sign-in with an `identities` attribute naming it.
 * Either way the provider's AttributeMapping is applied to the user's attributes: to the claims
 * the pool's InboundFederation function answered, when it has one and answered any.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import type { AuthenticationResultType } from "../../generated/types.ts";
import type {
  ClientRecord,
  IdentityLinkRecord,
  IdentityProviderRecord,
  PoolRecord,
  UserRecord,
} from "../../storage/records.ts";
import { DuplicateKeyError, type Transaction } from "../../storage/storage.ts";
import { newSub } from "../ids.ts";
import { checkAttribute, findAttribute } from "../pools/schema.ts";
import { issueTokens } from "../tokens/issuer.ts";
import { usernameKey } from "../users/users.ts";
import { type Identity, identitiesOf, sameIdentity, withIdentities } from "./identities.ts";
import { samlIssuer, subjectClaim } from "./provider-details.ts";
import { userDisabled } from "../errors.ts";
import { hasTrigger } from "../triggers/invoke.ts";
import {
  asStringMap,
  type IdpAttributes,
  inboundFederation,
  type InboundProviderType,
} from "../triggers/inbound-federation.ts";
import { applyPreSignUp, type PreSignUpAnswer, preSignUp } from "../triggers/sign-up.ts";

export const COGNITO_SUBJECT = "Cognito_Subject";

export type FederatedClaims = Readonly<Record<string, unknown>>;

/** A claim as an attribute value: strings as they are, booleans and numbers as text. */
function claimText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.length > 0) return value.map((v) => claimText(v) ?? "").join(",");
  return undefined;
}

/**
 * The username Cognito gives a federated user: `<ProviderName>_<subject>`. Pools that compare
 * usernames case-insensitively keep it in lower case, as Cognito does.
 */
export function federatedUsername(pool: PoolRecord, providerName: string, subject: string): string {
  const name = `${providerName}_${subject}`;
  return pool.settings.UsernameConfiguration?.CaseSensitive === false ? name.toLowerCase() : name;
}

export function identityOf(
  idp: IdentityProviderRecord,
  userId: string,
  primary: boolean,
  now: number,
): Identity {
  return {
    userId,
    providerName: idp.providerName,
    providerType: idp.providerType,
    issuer: idp.providerType === "SAML" ? samlIssuer(idp.samlMetadata) : null,
    primary,
    dateCreated: now,
  };
}

/** The pool attributes the provider's AttributeMapping gives values to from these claims. */
function mappedAttributes(idp: IdentityProviderRecord, claims: FederatedClaims): Map<string, string> {
  const out = new Map<string, string>();
  for (const [attribute, claim] of Object.entries(idp.attributeMapping)) {
    if (attribute === "username") continue;
    const value = claimText(claims[claim]);
    if (value !== undefined) out.set(attribute, value);
  }
  return out;
}

/**
 * Applies mapped attributes to a user. An existing user's immutable attributes keep the value they
 * were created with.
 */
function applyMapping(
  pool: PoolRecord,
  user: UserRecord,
  mapped: ReadonlyMap<string, string>,
  creating: boolean,
) {
  const schema = pool.settings.SchemaAttributes ?? [];
  const attributes = { ...user.attributes };
  for (const [name, value] of mapped) {
    const attr = findAttribute(schema, name);
    if (!creating && attr?.Mutable === false) continue;
    checkAttribute(schema, name, value, "create");
    attributes[name] = value;
  }
  return attributes;
}

/** The values of a claim (a SAML attribute may have several). */
function claimValues(claim: unknown): string[] {
  const values = Array.isArray(claim) ? claim.map(claimText) : [claimText(claim)];
  return values.filter((v): v is string => v !== undefined);
}

/**
 * Finds the link of this identity: by its subject, or by one of its claims named in a link not
 * yet used (AdminLinkProviderForUser with a SAML attribute). Each is one keyed lookup, whatever
 * the number of links.
 */
async function findLink(
  tx: Transaction,
  idp: IdentityProviderRecord,
  subject: string,
  claims: FederatedClaims,
  now: number,
): Promise<IdentityLinkRecord | undefined> {
  const direct = await tx.federation.getIdentityLink(idp.poolId, idp.providerName, COGNITO_SUBJECT, subject);
  if (direct) return direct;
  let byClaim: IdentityLinkRecord | undefined;
  search: for (const [name, claim] of Object.entries(claims)) {
    if (name === COGNITO_SUBJECT) continue;
    for (const value of claimValues(claim)) {
      byClaim = await tx.federation.getIdentityLink(idp.poolId, idp.providerName, name, value);
      if (byClaim) break search;
    }
  }
  if (!byClaim) return undefined;
  // From now on the identity is named by its subject.
  await tx.federation.deleteIdentityLink(
    idp.poolId,
    idp.providerName,
    byClaim.attributeName,
    byClaim.attributeValue,
  );
  const rewritten: IdentityLinkRecord = {
    ...byClaim,
    attributeName: COGNITO_SUBJECT,
    attributeValue: subject,
  };
  await tx.federation.insertIdentityLink(rewritten);
  const user = await tx.users.getUserBySub(idp.poolId, byClaim.sub);
  if (user) {
    const list = identitiesOf(user).map((i) =>
      sameIdentity(i, idp.providerName, byClaim.attributeValue) ? { ...i, userId: subject } : i,
    );
    await tx.users.updateUser(withIdentities(user, list, now));
  }
  return rewritten;
}

/**
 * The claims to sign in with after the pool's InboundFederation function, if it has one: the
 * function's `userAttributesToMap` in place of the provider's claims, but always with the
 * subject the provider's verified answer names (the function changes attributes, not who signs
 * in). `raw` is the provider's answer in parts (the OIDC endpoints give them); without it the
 * claims are the ID token's (SAML: the assertion's).
 */
async function afterInboundFederation(
  ctx: RequestContext,
  pool: PoolRecord,
  providerName: string,
  claims: FederatedClaims,
  clientId: string | undefined,
  raw: IdpAttributes | undefined,
): Promise<FederatedClaims> {
  if (!hasTrigger(pool, "InboundFederation")) return claims;
  const idp = await ctx.services.storage.federation.getIdentityProvider(pool.id, providerName);
  if (!idp) return claims;
  const key = subjectClaim(idp.providerType);
  const subject = claimText(claims[key]);
  if (!subject) return claims;
  // A SAML assertion's attributes, without its subject (the NameID, which the userName carries).
  const { [key]: _subject, ...rest } = claims;
  void _subject;
  const attributes: IdpAttributes =
    raw ??
    (idp.providerType === "SAML" ? { samlResponse: asStringMap(rest) } : { idToken: asStringMap(claims) });
  const replaced = await inboundFederation(
    ctx,
    pool,
    federatedUsername(pool, providerName, subject),
    clientId,
    providerName,
    idp.providerType as InboundProviderType,
    attributes,
  );
  return replaced ? { ...replaced, [key]: claims[key] } : claims;
}

/**
 * Resolves the user an external identity signs in as (creating the federated user at its first
 * sign-in) and applies the provider's attribute mapping, after the pool's InboundFederation
 * function. Throws NotAuthorizedException for a disabled user.
 */
export async function resolveFederatedUser(
  ctx: RequestContext,
  pool: PoolRecord,
  providerName: string,
  providerClaims: FederatedClaims,
  clientId?: string,
  raw?: IdpAttributes,
): Promise<UserRecord> {
  const claims = await afterInboundFederation(ctx, pool, providerName, providerClaims, clientId, raw);
  let user: UserRecord;
  let approved: PreSignUpAnswer | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      user = await resolveOnce(ctx, pool, providerName, claims, approved);
      break;
    } catch (e) {
      // A new federated user: the pool's PreSignUp function (PreSignUp_ExternalProvider) decides
      // first, outside the transaction; then the user is made.
      if (e instanceof NeedsPreSignUp && approved === undefined) {
        approved = await preSignUp(
          ctx,
          pool,
          "PreSignUp_ExternalProvider",
          { username: e.username, attributes: e.attributes },
          clientId,
          undefined,
          undefined,
        );
        continue;
      }
      // Two first sign-ins of one identity at once: the other created the user; sign in as it.
      if (!(e instanceof DuplicateKeyError) || attempt > 2) throw e;
    }
  }
  if (!user.enabled) throw userDisabled();
  return user;
}

/** A new federated user is about to be made and the pool has a PreSignUp function. */
class NeedsPreSignUp extends Error {
  readonly username: string;
  readonly attributes: Record<string, string>;
  constructor(username: string, attributes: Record<string, string>) {
    super("PreSignUp first");
    this.username = username;
    this.attributes = attributes;
  }
}

function resolveOnce(
  ctx: RequestContext,
  pool: PoolRecord,
  providerName: string,
  claims: FederatedClaims,
  approved: PreSignUpAnswer | undefined,
): Promise<UserRecord> {
  return ctx.services.storage.transaction(async (tx) => {
    const idp = await tx.federation.getIdentityProvider(pool.id, providerName);
    if (!idp)
      throw new ResourceNotFoundException(
        `Identity provider ${providerName} for tenantId ${pool.id} does not exist.`,
      );
    const key = subjectClaim(idp.providerType);
    const subject = claimText(claims[key]);
    if (!subject) throw new InvalidParameterException(`The claims of ${providerName} have no ${key}.`);
    const mapped = mappedAttributes(idp, claims);

    const link = await findLink(tx, idp, subject, claims, ctx.now);
    const linked = link ? await tx.users.getUserBySub(pool.id, link.sub) : undefined;
    if (linked) {
      let list = identitiesOf(linked);
      if (!list.some((i) => sameIdentity(i, providerName, subject)))
        list = [...list, identityOf(idp, subject, false, ctx.now)];
      const next = withIdentities(linked, list, ctx.now);
      next.attributes = applyMapping(pool, next, mapped, false);
      await tx.users.updateUser(next);
      return next;
    }

    const username = federatedUsername(pool, providerName, subject);
    const existing = await tx.users.getUser(pool.id, usernameKey(pool, username));
    if (existing) {
      const next = {
        ...existing,
        attributes: applyMapping(pool, existing, mapped, false),
        updatedAt: ctx.now,
      };
      await tx.users.updateUser(next);
      return next;
    }
    const created: UserRecord = {
      poolId: pool.id,
      username,
      usernameKey: usernameKey(pool, username),
      sub: newSub(),
      status: "EXTERNAL_PROVIDER",
      enabled: true,
      attributes: {},
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    created.attributes = applyMapping(pool, created, mapped, true);
    const missing = (pool.settings.SchemaAttributes ?? [])
      .filter((a) => a.Required && a.Name !== "sub" && created.attributes[a.Name!] === undefined)
      .map((a) => `${a.Name}: The attribute is required`);
    if (missing.length > 0)
      throw new InvalidParameterException(`Invalid user attributes: ${missing.join(", ")}`);
    if (approved === undefined && hasTrigger(pool, "PreSignUp"))
      throw new NeedsPreSignUp(username, { ...created.attributes });
    if (approved) applyPreSignUp(created, approved);
    created.attributes.identities = JSON.stringify([identityOf(idp, subject, true, ctx.now)]);
    await tx.users.insertUser(created);
    return created;
  });
}

export interface FederatedSignInOptions {
  /** The scope of the access token (OAuth grants); the API scope by default. */
  scope?: string;
}

/** Resolves the user (see resolveFederatedUser) and issues their tokens. */
export async function federatedSignIn(
  ctx: RequestContext,
  pool: PoolRecord,
  client: ClientRecord,
  providerName: string,
  claims: FederatedClaims,
  options: FederatedSignInOptions = {},
): Promise<AuthenticationResultType> {
  if (!(client.settings.SupportedIdentityProviders ?? []).includes(providerName))
    throw new InvalidParameterException(
      `The provider ${providerName} is not a supported identity provider of client ${client.clientId}.`,
    );
  const user = await resolveFederatedUser(ctx, pool, providerName, claims, client.clientId);
  const req: Parameters<typeof issueTokens>[1] = {
    pool,
    client,
    user,
    authTime: ctx.now,
    withRefreshToken: true,
  };
  if (options.scope !== undefined) req.scope = options.scope;
  return issueTokens(ctx, req);
}
