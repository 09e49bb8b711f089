/** SQLite: Identity providers, their identifiers and identity links. */
import { decodeCursor, page } from "../cursor.ts";
import type { IdentityLinkRecord, IdentityProviderRecord } from "../records.ts";
import { identityLinkFromRow, identityProviderFromRow } from "../rows.ts";
import { DuplicateKeyError, type FederationRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteFederation extends SqliteRepository implements FederationRepository {
  /** A provider row with its identifiers, in position order. */
  private idpFromRow(r: Row): IdentityProviderRecord {
    const identifiers = this.q(
      "SELECT identifier FROM idp_identifiers WHERE pool_id = ? AND provider_name = ? ORDER BY position",
    ).all(r.pool_id as string, r.provider_name as string) as Row[];
    return identityProviderFromRow({ ...r, identifiers: identifiers.map((i) => i.identifier as string) });
  }
  async getIdentityProvider(poolId: string, providerName: string) {
    const r = this.q("SELECT * FROM identity_providers WHERE pool_id = ? AND provider_name = ?").get(
      poolId,
      providerName,
    ) as Row | undefined;
    return r && this.idpFromRow(r);
  }
  async getIdentityProviderByIdentifier(poolId: string, identifier: string) {
    const r = this.q(
      "SELECT p.* FROM idp_identifiers i JOIN identity_providers p ON p.pool_id = i.pool_id AND p.provider_name = i.provider_name WHERE i.pool_id = ? AND i.identifier = ?",
    ).get(poolId, identifier) as Row | undefined;
    return r && this.idpFromRow(r);
  }
  async listIdentityProviders(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q(
      "SELECT * FROM identity_providers WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(poolId, seq, limit + 1) as Row[];
    return page(
      rows,
      limit,
      (r) => this.idpFromRow(r),
      (r) => [Number(r.seq)],
    );
  }
  private writeIdentifiers(idp: IdentityProviderRecord) {
    this.q("DELETE FROM idp_identifiers WHERE pool_id = ? AND provider_name = ?").run(
      idp.poolId,
      idp.providerName,
    );
    idp.idpIdentifiers.forEach((identifier, position) => {
      this.q(
        "INSERT INTO idp_identifiers (pool_id, identifier, provider_name, position) VALUES (?, ?, ?, ?)",
      ).run(idp.poolId, identifier, idp.providerName, position);
    });
  }
  async insertIdentityProvider(idp: IdentityProviderRecord) {
    try {
      this.q(
        "INSERT INTO identity_providers (pool_id, provider_name, provider_type, provider_details, attribute_mapping, acr_mapping, saml_metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        idp.poolId,
        idp.providerName,
        idp.providerType,
        JSON.stringify(idp.providerDetails),
        JSON.stringify(idp.attributeMapping),
        idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
        idp.samlMetadata ?? null,
        idp.createdAt,
        idp.updatedAt,
      );
      this.writeIdentifiers(idp);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identity provider exists");
      throw e;
    }
  }
  async updateIdentityProvider(idp: IdentityProviderRecord) {
    try {
      this.q(
        "UPDATE identity_providers SET provider_details = ?, attribute_mapping = ?, acr_mapping = ?, saml_metadata = ?, updated_at = ? WHERE pool_id = ? AND provider_name = ?",
      ).run(
        JSON.stringify(idp.providerDetails),
        JSON.stringify(idp.attributeMapping),
        idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
        idp.samlMetadata ?? null,
        idp.updatedAt,
        idp.poolId,
        idp.providerName,
      );
      this.writeIdentifiers(idp);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identifier taken");
      throw e;
    }
  }
  async deleteIdentityProvider(poolId: string, providerName: string) {
    this.q("DELETE FROM identity_links WHERE pool_id = ? AND provider_name = ?").run(poolId, providerName);
    this.q("DELETE FROM identity_providers WHERE pool_id = ? AND provider_name = ?").run(
      poolId,
      providerName,
    );
  }
  async getIdentityLink(poolId: string, providerName: string, attributeName: string, attributeValue: string) {
    const r = this.q(
      "SELECT * FROM identity_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?",
    ).get(poolId, providerName, attributeName, attributeValue) as Row | undefined;
    return r && identityLinkFromRow(r);
  }
  async identityLinksOfUser(poolId: string, sub: string) {
    const rows = this.q("SELECT * FROM identity_links WHERE pool_id = ? AND sub = ? ORDER BY created_at").all(
      poolId,
      sub,
    ) as Row[];
    return rows.map(identityLinkFromRow);
  }
  async insertIdentityLink(l: IdentityLinkRecord) {
    try {
      this.q(
        "INSERT INTO identity_links (pool_id, provider_name, attribute_name, attribute_value, sub, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(l.poolId, l.providerName, l.attributeName, l.attributeValue, l.sub, l.createdAt);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("identity linked already");
      throw e;
    }
  }
  async deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ) {
    const r = this.q(
      "DELETE FROM identity_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?",
    ).run(poolId, providerName, attributeName, attributeValue);
    return Number(r.changes) > 0;
  }
}
