import { page } from "../cursor.ts";
/** PostgreSQL: Identity providers, their identifiers and identity links. */
import type { IdentityLinkRecord, IdentityProviderRecord } from "../records.ts";
import { identityLinkFromRow, identityProviderFromRow } from "../rows.ts";
import { DuplicateKeyError, type FederationRepository } from "../storage.ts";
import { PgRepository, seqOf } from "./db.ts";

/** Identity providers with their identifiers, in position order. */
const IDP_SELECT =
  "SELECT p.*, ARRAY(SELECT i.identifier FROM idp_identifiers i WHERE i.pool_id = p.pool_id AND i.provider_name = p.provider_name ORDER BY i.position) AS identifiers FROM identity_providers p";

export class PostgresFederation extends PgRepository implements FederationRepository {
  async getIdentityProvider(poolId: string, providerName: string) {
    const r = await this.one(`${IDP_SELECT} WHERE p.pool_id = $1 AND p.provider_name = $2${this.lock}`, [
      poolId,
      providerName,
    ]);
    return r && identityProviderFromRow(r);
  }
  async getIdentityProviderByIdentifier(poolId: string, identifier: string) {
    const r = await this.one(
      `${IDP_SELECT} JOIN idp_identifiers x ON x.pool_id = p.pool_id AND x.provider_name = p.provider_name WHERE x.pool_id = $1 AND x.identifier = $2`,
      [poolId, identifier],
    );
    return r && identityProviderFromRow(r);
  }
  async listIdentityProviders(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      `${IDP_SELECT} WHERE p.pool_id = $1 AND p.seq > $2 ORDER BY p.seq LIMIT $3`,
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, identityProviderFromRow, (r) => [Number(r.seq)]);
  }
  private async writeIdentifiers(idp: IdentityProviderRecord) {
    await this.run("DELETE FROM idp_identifiers WHERE pool_id = $1 AND provider_name = $2", [
      idp.poolId,
      idp.providerName,
    ]);
    for (const [position, identifier] of idp.idpIdentifiers.entries())
      await this.run(
        "INSERT INTO idp_identifiers (pool_id, identifier, provider_name, position) VALUES ($1, $2, $3, $4)",
        [idp.poolId, identifier, idp.providerName, position],
      );
  }
  async insertIdentityProvider(idp: IdentityProviderRecord) {
    await this.atomically("identity provider exists", async () => {
      await this.run(
        "INSERT INTO identity_providers (pool_id, provider_name, provider_type, provider_details, attribute_mapping, acr_mapping, saml_metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
          idp.poolId,
          idp.providerName,
          idp.providerType,
          JSON.stringify(idp.providerDetails),
          JSON.stringify(idp.attributeMapping),
          idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
          idp.samlMetadata ?? null,
          idp.createdAt,
          idp.updatedAt,
        ],
      );
      await this.writeIdentifiers(idp);
    });
  }
  async updateIdentityProvider(idp: IdentityProviderRecord) {
    await this.atomically("identifier taken", async () => {
      await this.run(
        "UPDATE identity_providers SET provider_details = $1, attribute_mapping = $2, acr_mapping = $3, saml_metadata = $4, updated_at = $5 WHERE pool_id = $6 AND provider_name = $7",
        [
          JSON.stringify(idp.providerDetails),
          JSON.stringify(idp.attributeMapping),
          idp.acrMapping ? JSON.stringify(idp.acrMapping) : null,
          idp.samlMetadata ?? null,
          idp.updatedAt,
          idp.poolId,
          idp.providerName,
        ],
      );
      await this.writeIdentifiers(idp);
    });
  }
  async deleteIdentityProvider(poolId: string, providerName: string) {
    await this.run("DELETE FROM identity_links WHERE pool_id = $1 AND provider_name = $2", [
      poolId,
      providerName,
    ]);
    await this.run("DELETE FROM identity_providers WHERE pool_id = $1 AND provider_name = $2", [
      poolId,
      providerName,
    ]);
  }
  async getIdentityLink(poolId: string, providerName: string, attributeName: string, attributeValue: string) {
    const r = await this.one(
      "SELECT * FROM identity_links WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4",
      [poolId, providerName, attributeName, attributeValue],
    );
    return r && identityLinkFromRow(r);
  }
  async identityLinksOfUser(poolId: string, sub: string) {
    const rows = await this.rows(
      "SELECT * FROM identity_links WHERE pool_id = $1 AND sub = $2 ORDER BY created_at, provider_name, attribute_name, attribute_value",
      [poolId, sub],
    );
    return rows.map(identityLinkFromRow);
  }
  async insertIdentityLink(l: IdentityLinkRecord) {
    const n = await this.run(
      "INSERT INTO identity_links (pool_id, provider_name, attribute_name, attribute_value, sub, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [l.poolId, l.providerName, l.attributeName, l.attributeValue, l.sub, l.createdAt],
    );
    if (n === 0) throw new DuplicateKeyError("identity linked already");
  }
  async deleteIdentityLink(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ) {
    const n = await this.run(
      "DELETE FROM identity_links WHERE pool_id = $1 AND provider_name = $2 AND attribute_name = $3 AND attribute_value = $4",
      [poolId, providerName, attributeName, attributeValue],
    );
    return n > 0;
  }
}
