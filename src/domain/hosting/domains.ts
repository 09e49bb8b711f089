/**
 * User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain and
 * DeleteUserPoolDomain, and the lookup of the pool a hosted page's Host names (poolOfHost).
 *
 * A pool has at most one prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) and one custom
 * domain (a name of the administrator's, with an ACM certificate). Domain names are unique across
 * the server. The pool's `Domain` and `CustomDomain` (DescribeUserPool) follow them.
 */
import { createHash } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
  DomainDescriptionType,
  SecurityPolicyType,
  UpdateUserPoolDomainRequest,
  UpdateUserPoolDomainResponse,
} from "../../generated/types.ts";
import type { DomainRecord, PoolRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader, type Transaction } from "../../storage/storage.ts";
import { requirePool } from "../lookups.ts";

/** A DNS label, the whole of a prefix domain (Cognito's own wording quotes it). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_WORDS = ["aws", "amazon", "cognito"] as const;
const MANAGED_LOGIN_VERSIONS: ReadonlySet<number> = new Set([1, 2]);

/** The host of a prefix domain: `<prefix>.auth.<region>.amazoncognito.com`, or `.localhost` for browsers on loopback. */
const PREFIX_HOST = /^([a-z0-9-]+)\.auth\.([a-z0-9-]+)\.(?:amazoncognito\.com|localhost)$/;

export interface HostedPool {
  poolId: string;
  /** The Domain CreateUserPoolDomain named: the prefix, or the custom domain. */
  domain: string;
  custom: boolean;
  managedLoginVersion: number;
}

function noSuchDomain(): InvalidParameterException {
  return new InvalidParameterException("No such domain or user pool exists.");
}

function checkPrefix(prefix: string): void {
  if (!LABEL.test(prefix))
    throw new InvalidParameterException(
      "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
    );
  for (const word of RESERVED_WORDS)
    if (prefix.includes(word))
      throw new InvalidParameterException(`Domain cannot contain reserved word: ${word}`);
}

function checkCustomDomain(name: string): void {
  const labels = name.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    throw new InvalidParameterException(`The custom domain ${name} is not a valid domain name.`);
  if (name.endsWith(".amazoncognito.com"))
    throw new InvalidParameterException(
      `The custom domain ${name} cannot be a subdomain of amazoncognito.com.`,
    );
}

function checkVersion(version: number | undefined): void {
  if (version !== undefined && !MANAGED_LOGIN_VERSIONS.has(version))
    throw new InvalidParameterException("ManagedLoginVersion must be 1 or 2.");
}

/** A stable CloudFront distribution name for a domain (`d` and 13 base-36 characters). */
function cloudFrontOf(domain: string): string {
  const digest = createHash("sha256").update(`cloudfront:${domain}`).digest();
  return `d${BigInt(`0x${digest.subarray(0, 10).toString("hex")}`)
    .toString(36)
    .padStart(13, "0")
    .slice(0, 13)}.cloudfront.net`;
}

/** yyyyMMddHHmmss of an instant, the form of DomainDescription's Version. */
function versionOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** Writes the pool's Domain / CustomDomain after its domains changed. */
async function syncPool(tx: Transaction, pool: PoolRecord, now: number): Promise<void> {
  const domains = await tx.hosting.domainsOfPool(pool.id);
  const settings = { ...pool.settings };
  const prefix = domains.find((d) => !d.custom);
  const custom = domains.find((d) => d.custom);
  if (prefix) settings.Domain = prefix.domain;
  else delete settings.Domain;
  if (custom) settings.CustomDomain = custom.domain;
  else delete settings.CustomDomain;
  await tx.pools.updatePool({ ...pool, settings, updatedAt: now });
}

function response(d: DomainRecord): CreateUserPoolDomainResponse & UpdateUserPoolDomainResponse {
  const out: CreateUserPoolDomainResponse = {};
  if (d.custom) out.CloudFrontDomain = d.cloudFront;
  out.ManagedLoginVersion = d.managedLoginVersion;
  return out;
}

export async function createDomain(
  ctx: RequestContext,
  input: CreateUserPoolDomainRequest,
): Promise<CreateUserPoolDomainResponse> {
  const { storage } = ctx.services;
  await requirePool(storage, input.UserPoolId);
  const custom = input.CustomDomainConfig !== undefined;
  const name = input.Domain;
  if (custom) checkCustomDomain(name);
  else checkPrefix(name);
  checkVersion(input.ManagedLoginVersion);
  const record: DomainRecord = {
    domain: name,
    poolId: input.UserPoolId,
    custom,
    managedLoginVersion: input.ManagedLoginVersion ?? 1,
    cloudFront: cloudFrontOf(name),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  if (input.CustomDomainConfig) {
    record.certificateArn = input.CustomDomainConfig.CertificateArn;
    if (input.CustomDomainConfig.SecurityPolicy !== undefined)
      record.securityPolicy = input.CustomDomainConfig.SecurityPolicy;
  }
  await storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const existing = await tx.hosting.domainsOfPool(pool.id);
    if (existing.some((d) => d.custom === custom))
      throw new InvalidParameterException("User pool already has a domain configured.");
    try {
      await tx.hosting.insertDomain(record);
    } catch (e) {
      if (e instanceof DuplicateKeyError)
        throw new InvalidParameterException("Domain already associated with another user pool.");
      throw e;
    }
    await syncPool(tx, pool, ctx.now);
  });
  return response(record);
}

/** DescribeUserPoolDomain: an unknown domain (or one of another region's pool) describes as `{}`. */
export async function describeDomain(
  ctx: RequestContext,
  name: string,
  region: string,
): Promise<DomainDescriptionType> {
  const { storage } = ctx.services;
  const d = await storage.hosting.getDomain(name);
  if (!d) return {};
  const pool = await storage.pools.getPool(d.poolId);
  if (!pool || pool.region !== region) return {};
  const out: DomainDescriptionType = {
    UserPoolId: d.poolId,
    AWSAccountId: ctx.services.config.accountId,
    Domain: d.domain,
    S3Bucket: `aws-cognito-prod-${pool.region}-assets`,
    CloudFrontDistribution: d.cloudFront,
    Version: versionOf(d.updatedAt),
    Status: "ACTIVE",
  };
  if (d.custom) {
    out.CustomDomainConfig = { CertificateArn: d.certificateArn! };
    if (d.securityPolicy !== undefined)
      out.CustomDomainConfig.SecurityPolicy = d.securityPolicy as SecurityPolicyType;
  }
  out.ManagedLoginVersion = d.managedLoginVersion;
  return out;
}

async function requireDomainOf(db: Reader, poolId: string, name: string): Promise<DomainRecord> {
  const d = await db.hosting.getDomain(name);
  if (!d || d.poolId !== poolId) throw noSuchDomain();
  return d;
}

export async function updateDomain(
  ctx: RequestContext,
  input: UpdateUserPoolDomainRequest,
): Promise<UpdateUserPoolDomainResponse> {
  checkVersion(input.ManagedLoginVersion);
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const d = await requireDomainOf(tx, pool.id, input.Domain);
    const next: DomainRecord = { ...d, updatedAt: ctx.now };
    if (input.CustomDomainConfig) {
      if (!d.custom)
        throw new InvalidParameterException("CustomDomainConfig can be updated only for a custom domain.");
      next.certificateArn = input.CustomDomainConfig.CertificateArn;
      if (input.CustomDomainConfig.SecurityPolicy !== undefined)
        next.securityPolicy = input.CustomDomainConfig.SecurityPolicy;
    }
    if (input.ManagedLoginVersion !== undefined) next.managedLoginVersion = input.ManagedLoginVersion;
    await tx.hosting.updateDomain(next);
    return response(next);
  });
}

export async function deleteDomain(ctx: RequestContext, poolId: string, name: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    await requireDomainOf(tx, pool.id, name);
    await tx.hosting.deleteDomain(name);
    await syncPool(tx, pool, ctx.now);
  });
}

/** `Host` without its port and trailing dot, lower-cased. */
function bareHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h; // an IPv6 literal is never a domain of a pool
  const colon = h.lastIndexOf(":");
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

/**
 * The pool whose domain `host` is (a request's Host header: any case, with or without a port): a
 * prefix domain as `<prefix>.auth.<region>.amazoncognito.com` or `<prefix>.auth.<region>.localhost`
 * (in the pool's region), or a custom domain by its name. At most two indexed lookups.
 */
export async function poolOfHost(storage: Reader, host: string): Promise<HostedPool | undefined> {
  const name = bareHost(host);
  const m = PREFIX_HOST.exec(name);
  if (m) {
    const d = await storage.hosting.getDomain(m[1]!);
    if (d && !d.custom) {
      const pool = await storage.pools.getPool(d.poolId);
      if (pool && pool.region === m[2]) return hosted(d);
    }
  }
  const d = await storage.hosting.getDomain(name);
  return d && d.custom ? hosted(d) : undefined;
}

function hosted(d: DomainRecord): HostedPool {
  return { poolId: d.poolId, domain: d.domain, custom: d.custom, managedLoginVersion: d.managedLoginVersion };
}

export { customScopes } from "./resource-servers.ts";
export { brandingOf, type PageBranding } from "./branding.ts";
