/** Identity providers, their identifiers, and the links of federated identities to users. */
import type { IdentityLinkRecord, IdentityProviderRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface FederationReader {
  getIdentityProvider(poolId: string, providerName: string): Promise<IdentityProviderRecord | undefined>;
  /** The provider that lists `identifier` among its IdpIdentifiers. */
  getIdentityProviderByIdentifier(
    poolId: string,
    identifier: string,
  ): Promise<IdentityProviderRecord | undefined>;
  listIdentityProviders(poolId: string, limit: number, after?: string): Promise<Page<IdentityProviderRecord>>;
  getIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ): Promise<IdentityLinkRecord | undefined>;
  identityLinksOfUser(poolId: string, sub: string): Promise<IdentityLinkRecord[]>;
}

export interface FederationRepository extends FederationReader {
  /** Throws DuplicateKeyError when the provider name or one of its identifiers is taken in the pool. */
  insertIdentityProvider(idp: IdentityProviderRecord): Promise<void>;
  /** Throws DuplicateKeyError when one of its identifiers is taken by another provider. */
  updateIdentityProvider(idp: IdentityProviderRecord): Promise<void>;
  /** Deletes the provider and its links. */
  deleteIdentityProvider(poolId: string, providerName: string): Promise<void>;
  /** Throws DuplicateKeyError when the identity is linked already. */
  insertIdentityLink(link: IdentityLinkRecord): Promise<void>;
  deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ): Promise<boolean>;
}

export const FEDERATION = repository<FederationReader, FederationRepository>({
  getIdentityProvider: true,
  getIdentityProviderByIdentifier: true,
  listIdentityProviders: true,
  getIdentityLink: true,
  identityLinksOfUser: true,
});
