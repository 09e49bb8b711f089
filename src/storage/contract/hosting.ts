/** What a pool's hosted pages are made of: domains, resource servers, UI customizations, brandings. */
import type {
  BrandingRecord,
  DomainRecord,
  ResourceServerRecord,
  UICustomizationRecord,
} from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface HostingReader {
  /** By its (lower-case) name, across every pool. */
  getDomain(domain: string): Promise<DomainRecord | undefined>;
  /** A pool's domains: at most one prefix and one custom domain. */
  domainsOfPool(poolId: string): Promise<DomainRecord[]>;

  getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined>;
  /** In creation order. */
  listResourceServers(poolId: string, limit: number, after?: string): Promise<Page<ResourceServerRecord>>;
  countResourceServers(poolId: string): Promise<number>;

  /** clientId is an app client's id or `ALL`. */
  getUICustomization(poolId: string, clientId: string): Promise<UICustomizationRecord | undefined>;

  getBranding(poolId: string, brandingId: string): Promise<BrandingRecord | undefined>;
  getBrandingByClient(poolId: string, clientId: string): Promise<BrandingRecord | undefined>;
}

export interface HostingRepository extends HostingReader {
  /** Throws DuplicateKeyError when the domain name is taken (by any pool). */
  insertDomain(domain: DomainRecord): Promise<void>;
  updateDomain(domain: DomainRecord): Promise<void>;
  deleteDomain(domain: string): Promise<void>;

  /** Throws DuplicateKeyError when the pool has a resource server of that identifier. */
  insertResourceServer(server: ResourceServerRecord): Promise<void>;
  updateResourceServer(server: ResourceServerRecord): Promise<void>;
  deleteResourceServer(poolId: string, identifier: string): Promise<void>;

  /** Inserts or replaces the customization of (poolId, clientId). */
  putUICustomization(customization: UICustomizationRecord): Promise<void>;
  deleteUICustomization(poolId: string, clientId: string): Promise<void>;

  /** Throws DuplicateKeyError when the app client has a branding style already. */
  insertBranding(branding: BrandingRecord): Promise<void>;
  updateBranding(branding: BrandingRecord): Promise<void>;
  deleteBranding(poolId: string, brandingId: string): Promise<void>;
}

export const HOSTING = repository<HostingReader, HostingRepository>({
  getDomain: true,
  domainsOfPool: true,
  getResourceServer: true,
  listResourceServers: true,
  countResourceServers: true,
  getUICustomization: true,
  getBranding: true,
  getBrandingByClient: true,
});
