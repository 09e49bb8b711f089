/** SQLite: domains, resource servers, UI customizations and managed login brandings. */
import { decodeCursor, page } from "../cursor.ts";
import type {
  BrandingRecord,
  DomainRecord,
  ResourceServerRecord,
  UICustomizationRecord,
} from "../records.ts";
import { brandingFromRow, domainFromRow, resourceServerFromRow, uiCustomizationFromRow } from "../rows.ts";
import { DuplicateKeyError, type HostingRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteHosting extends SqliteRepository implements HostingRepository {
  async getDomain(domain: string) {
    const r = this.q("SELECT * FROM domains WHERE domain = ?").get(domain) as Row | undefined;
    return r && domainFromRow(r);
  }
  async domainsOfPool(poolId: string) {
    const rows = this.q("SELECT * FROM domains WHERE pool_id = ? ORDER BY custom, domain").all(
      poolId,
    ) as Row[];
    return rows.map(domainFromRow);
  }
  async insertDomain(d: DomainRecord) {
    try {
      this.q(
        "INSERT INTO domains (domain, pool_id, custom, certificate_arn, security_policy, managed_login_version, cloud_front, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        d.domain,
        d.poolId,
        d.custom ? 1 : 0,
        d.certificateArn ?? null,
        d.securityPolicy ?? null,
        d.managedLoginVersion,
        d.cloudFront,
        d.createdAt,
        d.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("domain taken");
      throw e;
    }
  }
  async updateDomain(d: DomainRecord) {
    this.q(
      "UPDATE domains SET certificate_arn = ?, security_policy = ?, managed_login_version = ?, updated_at = ? WHERE domain = ?",
    ).run(d.certificateArn ?? null, d.securityPolicy ?? null, d.managedLoginVersion, d.updatedAt, d.domain);
  }
  async deleteDomain(domain: string) {
    this.q("DELETE FROM domains WHERE domain = ?").run(domain);
  }

  async getResourceServer(poolId: string, identifier: string) {
    const r = this.q("SELECT * FROM resource_servers WHERE pool_id = ? AND identifier = ?").get(
      poolId,
      identifier,
    ) as Row | undefined;
    return r && resourceServerFromRow(r);
  }
  async listResourceServers(poolId: string, limit: number, after?: string) {
    const seq = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = this.q(
      "SELECT * FROM resource_servers WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(poolId, seq, limit + 1) as Row[];
    return page(rows, limit, resourceServerFromRow, (r) => [Number(r.seq)]);
  }
  async countResourceServers(poolId: string) {
    const r = this.q("SELECT COUNT(*) AS n FROM resource_servers WHERE pool_id = ?").get(poolId) as Row;
    return Number(r.n);
  }
  async insertResourceServer(s: ResourceServerRecord) {
    try {
      this.q(
        "INSERT INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(s.poolId, s.identifier, s.name, JSON.stringify(s.scopes), s.createdAt, s.updatedAt);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("resource server exists");
      throw e;
    }
  }
  async updateResourceServer(s: ResourceServerRecord) {
    this.q(
      "UPDATE resource_servers SET name = ?, scopes = ?, updated_at = ? WHERE pool_id = ? AND identifier = ?",
    ).run(s.name, JSON.stringify(s.scopes), s.updatedAt, s.poolId, s.identifier);
  }
  async deleteResourceServer(poolId: string, identifier: string) {
    this.q("DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?").run(poolId, identifier);
  }

  async getUICustomization(poolId: string, clientId: string) {
    const r = this.q("SELECT * FROM ui_customizations WHERE pool_id = ? AND client_id = ?").get(
      poolId,
      clientId,
    ) as Row | undefined;
    return r && uiCustomizationFromRow(r);
  }
  async putUICustomization(c: UICustomizationRecord) {
    this.q(
      "INSERT INTO ui_customizations (pool_id, client_id, css, image, image_type, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, image = excluded.image, image_type = excluded.image_type, version = excluded.version, updated_at = excluded.updated_at",
    ).run(
      c.poolId,
      c.clientId,
      c.css ?? null,
      c.image ?? null,
      c.imageType ?? null,
      c.version,
      c.createdAt,
      c.updatedAt,
    );
  }

  async deleteUICustomization(poolId: string, clientId: string) {
    this.q("DELETE FROM ui_customizations WHERE pool_id = ? AND client_id = ?").run(poolId, clientId);
  }

  async getBranding(poolId: string, brandingId: string) {
    const r = this.q("SELECT * FROM managed_login_brandings WHERE pool_id = ? AND branding_id = ?").get(
      poolId,
      brandingId,
    ) as Row | undefined;
    return r && brandingFromRow(r);
  }
  async getBrandingByClient(poolId: string, clientId: string) {
    const r = this.q("SELECT * FROM managed_login_brandings WHERE pool_id = ? AND client_id = ?").get(
      poolId,
      clientId,
    ) as Row | undefined;
    return r && brandingFromRow(r);
  }
  async insertBranding(b: BrandingRecord) {
    try {
      this.q(
        "INSERT INTO managed_login_brandings (pool_id, branding_id, client_id, use_cognito_provided_values, settings, assets, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        b.poolId,
        b.brandingId,
        b.clientId,
        b.useCognitoProvidedValues ? 1 : 0,
        b.settings === undefined ? null : JSON.stringify(b.settings),
        JSON.stringify(b.assets),
        b.createdAt,
        b.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("branding exists");
      throw e;
    }
  }
  async updateBranding(b: BrandingRecord) {
    this.q(
      "UPDATE managed_login_brandings SET use_cognito_provided_values = ?, settings = ?, assets = ?, updated_at = ? WHERE pool_id = ? AND branding_id = ?",
    ).run(
      b.useCognitoProvidedValues ? 1 : 0,
      b.settings === undefined ? null : JSON.stringify(b.settings),
      JSON.stringify(b.assets),
      b.updatedAt,
      b.poolId,
      b.brandingId,
    );
  }
  async deleteBranding(poolId: string, brandingId: string) {
    this.q("DELETE FROM managed_login_brandings WHERE pool_id = ? AND branding_id = ?").run(
      poolId,
      brandingId,
    );
  }
}
