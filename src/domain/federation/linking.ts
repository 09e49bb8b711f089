/**
 * AdminLinkProviderForUser and AdminDisableProviderForUser, as their API reference pages say.
 *
 * A link names an external identity by provider, attribute name and value, and points at the user
 * the identity signs in as (see federated-sign-in.ts). Errors Cognito is known to answer with are
 * reproduced word for word: "SourceUser is already linked to DestinationUser", "Merging is not
 * currently supported, provide a SourceUser that has not been signed up in order to link",
 * "Invalid SourceUser: Cognito users with a username/password may not be passed in as a
 * SourceUser, only as a DestinationUser".
 */
import type { RequestContext } from "../../context.ts";
import {
  AliasExistsException,
  InvalidParameterException,
  LimitExceededException,
} from "../../generated/exceptions.ts";
import type { ProviderUserIdentifierType } from "../../generated/types.ts";
import type { IdentityProviderRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Transaction } from "../../storage/storage.ts";
import { findAttribute } from "../pools/schema.ts";
import { usernameKey } from "../users/users.ts";
import { COGNITO_SUBJECT, federatedUsername, identityOf } from "./federated-sign-in.ts";
import { identitiesOf, sameIdentity, withIdentities } from "./identities.ts";
import { SOCIAL_TYPES } from "./provider-details.ts";
import { requirePool, requireUser, userNotFound } from "../lookups.ts";

/** The ProviderName that stands for the user pool's own (username and password) users. */
export const COGNITO_PROVIDER = "Cognito";

/** "The maximum number of federated identities linked to a user is five." */
export const MAX_LINKED_IDENTITIES = 5;

interface Named {
  providerName: string;
  attributeName: string;
  attributeValue: string;
}

function named(
  who: "SourceUser" | "DestinationUser" | "User",
  u: ProviderUserIdentifierType,
  needName: boolean,
): Named {
  if (!u.ProviderName) throw new InvalidParameterException(`Invalid ${who}: ProviderName is required.`);
  if (needName && !u.ProviderAttributeName)
    throw new InvalidParameterException(`Invalid ${who}: ProviderAttributeName is required.`);
  if (!u.ProviderAttributeValue)
    throw new InvalidParameterException(`Invalid ${who}: ProviderAttributeValue is required.`);
  return {
    providerName: u.ProviderName,
    attributeName: u.ProviderAttributeName ?? "",
    attributeValue: u.ProviderAttributeValue,
  };
}

async function requireExternalProvider(
  tx: Transaction,
  pool: PoolRecord,
  who: string,
  name: string,
): Promise<IdentityProviderRecord> {
  const idp = await tx.federation.getIdentityProvider(pool.id, name);
  if (!idp)
    throw new InvalidParameterException(
      `Invalid ${who}: the provider ${name} does not exist for User Pool ${pool.id}`,
    );
  return idp;
}

function checkSocialSubject(who: string, idp: IdentityProviderRecord, attributeName: string): void {
  if (SOCIAL_TYPES.has(idp.providerType) && attributeName !== COGNITO_SUBJECT)
    throw new InvalidParameterException(
      `Invalid ${who}: ProviderAttributeName must be ${COGNITO_SUBJECT} for social identity providers.`,
    );
}

/**
 * The DestinationUser: a native user named by username (ProviderName `Cognito`), or a federated
 * user named by its provider and the provider's user id. ProviderAttributeName is ignored.
 */
async function destinationUser(tx: Transaction, pool: PoolRecord, d: Named): Promise<UserRecord> {
  if (d.providerName === COGNITO_PROVIDER) return requireUser(tx, pool, d.attributeValue);
  await requireExternalProvider(tx, pool, "DestinationUser", d.providerName);
  const user = await tx.users.getUser(
    pool.id,
    usernameKey(pool, federatedUsername(pool, d.providerName, d.attributeValue)),
  );
  if (!user) throw userNotFound();
  return user;
}

export async function adminLinkProviderForUser(
  ctx: RequestContext,
  poolId: string,
  destination: ProviderUserIdentifierType,
  source: ProviderUserIdentifierType,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    if (source.ProviderName === COGNITO_PROVIDER)
      throw new InvalidParameterException(
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser",
      );
    const s = named("SourceUser", source, true);
    const d = named("DestinationUser", destination, false);
    const idp = await requireExternalProvider(tx, pool, "SourceUser", s.providerName);
    checkSocialSubject("SourceUser", idp, s.attributeName);
    const user = await destinationUser(tx, pool, d);

    // "All attributes in the DestinationUser profile must be mutable."
    const schema = pool.settings.SchemaAttributes ?? [];
    const immutable = Object.keys(user.attributes).filter((n) => findAttribute(schema, n)?.Mutable === false);
    if (immutable.length > 0)
      throw new InvalidParameterException(
        `Invalid DestinationUser: the user has immutable attributes (${immutable.join(", ")}); all attributes of a DestinationUser must be mutable.`,
      );

    const existing = await tx.federation.getIdentityLink(
      pool.id,
      s.providerName,
      s.attributeName,
      s.attributeValue,
    );
    if (existing?.sub === user.sub)
      throw new InvalidParameterException("SourceUser is already linked to DestinationUser");
    if (existing) throw new AliasExistsException("SourceUser is already linked to another user.");
    if (s.attributeName === COGNITO_SUBJECT) {
      const signedUp = await tx.users.getUser(
        pool.id,
        usernameKey(pool, federatedUsername(pool, s.providerName, s.attributeValue)),
      );
      if (signedUp?.sub === user.sub)
        throw new InvalidParameterException("SourceUser is already linked to DestinationUser");
      if (signedUp)
        throw new InvalidParameterException(
          "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
        );
    }
    const links = await tx.federation.identityLinksOfUser(pool.id, user.sub);
    if (links.length >= MAX_LINKED_IDENTITIES)
      throw new LimitExceededException(
        `The maximum number of federated identities linked to a user is ${MAX_LINKED_IDENTITIES}.`,
      );

    try {
      await tx.federation.insertIdentityLink({
        poolId: pool.id,
        providerName: s.providerName,
        attributeName: s.attributeName,
        attributeValue: s.attributeValue,
        sub: user.sub,
        createdAt: ctx.now,
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError)
        throw new AliasExistsException("SourceUser is already linked to another user.");
      throw e;
    }
    const list = identitiesOf(user).filter((i) => !sameIdentity(i, s.providerName, s.attributeValue));
    list.push(identityOf(idp, s.attributeValue, false, ctx.now));
    await tx.users.updateUser(withIdentities(user, list, ctx.now));
  });
}

/**
 * For a native user (ProviderName `Cognito`, ProviderAttributeName `Cognito_Subject`, the
 * username as value): password sign-in stops working. For an external identity: its link is
 * removed, so its next sign-in creates (or finds) its own federated user. A SAML identity linked
 * by an attribute is named by that attribute until it first signs in, then by `Cognito_Subject`
 * and its subject (the link is rewritten at that sign-in).
 */
export async function adminDisableProviderForUser(
  ctx: RequestContext,
  poolId: string,
  who: ProviderUserIdentifierType,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const u = named("User", who, true);
    if (u.providerName === COGNITO_PROVIDER) {
      if (u.attributeName !== COGNITO_SUBJECT)
        throw new InvalidParameterException(
          `Invalid User: ProviderAttributeName must be ${COGNITO_SUBJECT} for users of the user pool.`,
        );
      const user = await requireUser(tx, pool, u.attributeValue);
      if (!user.passwordSignInDisabled)
        await tx.users.updateUser({ ...user, passwordSignInDisabled: true, updatedAt: ctx.now });
      return;
    }
    const idp = await requireExternalProvider(tx, pool, "User", u.providerName);
    checkSocialSubject("User", idp, u.attributeName);
    const link = await tx.federation.getIdentityLink(
      pool.id,
      u.providerName,
      u.attributeName,
      u.attributeValue,
    );
    if (!link) throw userNotFound();
    await tx.federation.deleteIdentityLink(pool.id, u.providerName, u.attributeName, u.attributeValue);
    const user = await tx.users.getUserBySub(pool.id, link.sub);
    if (!user) return;
    const list = identitiesOf(user).filter((i) => !sameIdentity(i, u.providerName, u.attributeValue));
    await tx.users.updateUser(withIdentities(user, list, ctx.now));
  });
}
