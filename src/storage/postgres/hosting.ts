/** PostgreSQL: domains, resource servers, UI customizations and managed login brandings. */
import { page } from "../cursor.ts";
import type {
  BrandingRecord,
  DomainRecord,
  ResourceServerRecord,
  UICustomizationRecord,
} from "../records.ts";
import { brandingFromRow, domainFromRow, resourceServerFromRow, uiCustomizationFromRow } from "../rows.ts";
import { DuplicateKeyError, type HostingRepository } from "../storage.ts";
import { PgRepository, seqOf } from "./db.ts";

export class PostgresHosting extends PgRepository implements HostingRepository {
  async getDomain(domain: string) {
    const r = await this.one(`SELECT * FROM domains WHERE domain = $1${this.lock}`, [domain]);
    return r && domainFromRow(r);
  }
  async domainsOfPool(poolId: string) {
    const rows = await this.rows("SELECT * FROM domains WHERE pool_id = $1 ORDER BY custom, domain", [
      poolId,
    ]);
    return rows.map(domainFromRow);
  }
  async insertDomain(d: DomainRecord) {
    const n = await this.run(
      "INSERT INTO domains (domain, pool_id, custom, certificate_arn, security_policy, managed_login_version, cloud_front, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
      [
        d.domain,
        d.poolId,
        d.custom ? 1 : 0,
        d.certificateArn ?? null,
        d.securityPolicy ?? null,
        d.managedLoginVersion,
        d.cloudFront,
        d.createdAt,
        d.updatedAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("domain taken");
  }
  async updateDomain(d: DomainRecord) {
    await this.run(
      "UPDATE domains SET certificate_arn = $1, security_policy = $2, managed_login_version = $3, updated_at = $4 WHERE domain = $5",
      [d.certificateArn ?? null, d.securityPolicy ?? null, d.managedLoginVersion, d.updatedAt, d.domain],
    );
  }
  async deleteDomain(domain: string) {
    await this.run("DELETE FROM domains WHERE domain = $1", [domain]);
  }

  async getResourceServer(poolId: string, identifier: string) {
    const r = await this.one(
      `SELECT * FROM resource_servers WHERE pool_id = $1 AND identifier = $2${this.lock}`,
      [poolId, identifier],
    );
    return r && resourceServerFromRow(r);
  }
  async listResourceServers(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM resource_servers WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, resourceServerFromRow, (r) => [Number(r.seq)]);
  }
  async countResourceServers(poolId: string) {
    const r = await this.one("SELECT COUNT(*) AS n FROM resource_servers WHERE pool_id = $1", [poolId]);
    return Number(r?.n ?? 0);
  }
  async insertResourceServer(s: ResourceServerRecord) {
    const n = await this.run(
      "INSERT INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      [s.poolId, s.identifier, s.name, JSON.stringify(s.scopes), s.createdAt, s.updatedAt],
    );
    if (n === 0) throw new DuplicateKeyError("resource server exists");
  }
  async updateResourceServer(s: ResourceServerRecord) {
    await this.run(
      "UPDATE resource_servers SET name = $1, scopes = $2, updated_at = $3 WHERE pool_id = $4 AND identifier = $5",
      [s.name, JSON.stringify(s.scopes), s.updatedAt, s.poolId, s.identifier],
    );
  }
  async deleteResourceServer(poolId: string, identifier: string) {
    await this.run("DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2", [
      poolId,
      identifier,
    ]);
  }

  async getUICustomization(poolId: string, clientId: string) {
    const r = await this.one(
      `SELECT * FROM ui_customizations WHERE pool_id = $1 AND client_id = $2${this.lock}`,
      [poolId, clientId],
    );
    return r && uiCustomizationFromRow(r);
  }
  async putUICustomization(c: UICustomizationRecord) {
    await this.run(
      "INSERT INTO ui_customizations (pool_id, client_id, css, image, image_type, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, image = excluded.image, image_type = excluded.image_type, version = excluded.version, updated_at = excluded.updated_at",
      [
        c.poolId,
        c.clientId,
        c.css ?? null,
        c.image ?? null,
        c.imageType ?? null,
        c.version,
        c.createdAt,
        c.updatedAt,
      ],
    );
  }

  async deleteUICustomization(poolId: string, clientId: string) {
    await this.run("DELETE FROM ui_customizations WHERE pool_id = $1 AND client_id = $2", [poolId, clientId]);
  }

  async getBranding(poolId: string, brandingId: string) {
    const r = await this.one(
      `SELECT * FROM managed_login_brandings WHERE pool_id = $1 AND branding_id = $2${this.lock}`,
      [poolId, brandingId],
    );
    return r && brandingFromRow(r);
  }
  async getBrandingByClient(poolId: string, clientId: string) {
    const r = await this.one(
      `SELECT * FROM managed_login_brandings WHERE pool_id = $1 AND client_id = $2${this.lock}`,
      [poolId, clientId],
    );
    return r && brandingFromRow(r);
  }
  async insertBranding(b: BrandingRecord) {
    const n = await this.run(
      "INSERT INTO managed_login_brandings (pool_id, branding_id, client_id, use_cognito_provided_values, settings, assets, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
      [
        b.poolId,
        b.brandingId,
        b.clientId,
        b.useCognitoProvidedValues ? 1 : 0,
        b.settings === undefined ? null : JSON.stringify(b.settings),
        JSON.stringify(b.assets),
        b.createdAt,
        b.updatedAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("branding exists");
  }
  async updateBranding(b: BrandingRecord) {
    await this.run(
      "UPDATE managed_login_brandings SET use_cognito_provided_values = $1, settings = $2, assets = $3, updated_at = $4 WHERE pool_id = $5 AND branding_id = $6",
      [
        b.useCognitoProvidedValues ? 1 : 0,
        b.settings === undefined ? null : JSON.stringify(b.settings),
        JSON.stringify(b.assets),
        b.updatedAt,
        b.poolId,
        b.brandingId,
      ],
    );
  }
  async deleteBranding(poolId: string, brandingId: string) {
    await this.run("DELETE FROM managed_login_brandings WHERE pool_id = $1 AND branding_id = $2", [
      poolId,
      brandingId,
    ]);
  }
}
