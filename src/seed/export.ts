/**
 * `lanyard export [--pool ID]...`: the pools as a seed file (format.ts), which `lanyard --seed`
 * applies on another Lanyard (SQLite or PostgreSQL, another server secret). Resources are read
 * through the operation table (the Describe/Get/List operations, so the file holds what the API
 * shows); users straight from the storage, with what no operation shows: their password hashes
 * and SRP verifiers, subs, MFA settings, devices and linked identities.
 *
 * TOTP secrets are sealed at rest under the server secret, which the other Lanyard does not have:
 * they are opened here and sealed again under the seed key (`--seed-key`, AES-256-GCM, bound to the
 * pool and username) into `Mfa.Totp.SealedSecret`; `--seed` with the same key opens them and
 * seals them under its own server secret. Without a seed key no TOTP secret leaves the server:
 * those users' authenticator MFA is dropped from the file (and counted in the warnings).
 */
import { createRequestContext, type Services } from "../context.ts";
import { KeySealer } from "../crypto/key-wrap.ts";
import { openTotpSecret } from "../domain/mfa/user-mfa.ts";
import { SHAPES } from "../generated/shapes.ts";
import type { SchemaAttributeType } from "../generated/types.ts";
import type { PoolRecord, UserRecord } from "../storage/records.ts";
import { totpBinding } from "./users.ts";
import { callOperation } from "./call.ts";
import { regionsToList } from "./regions.ts";
import type { SeedClient, SeedFile, SeedMfa, SeedPool, SeedUser } from "./format.ts";

export interface ExportOptions {
  /** Only these pools; default every pool of every region that has one. */
  poolIds?: string[];
  seedKey?: Buffer;
}

export interface ExportResult {
  seed: SeedFile;
  users: number;
  warnings: string[];
}

function membersOf(shape: string, input: object, skip: readonly string[] = []): Record<string, unknown> {
  const s = SHAPES[shape];
  if (s?.type !== "structure") throw new Error(`${shape} is not a structure`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input))
    if (k in s.members && v !== undefined && !skip.includes(k)) out[k] = v;
  return out;
}

const regionOf = (poolId: string) => poolId.slice(0, poolId.indexOf("_"));

async function all<T>(page: (after?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const p = await page(after);
    out.push(...p.items);
    after = p.next;
  } while (after);
  return out;
}

/** The schema as CreateUserPool takes it: the custom attributes, and the standard ones made required. */
function schemaOf(attributes: readonly SchemaAttributeType[]): SchemaAttributeType[] {
  const out: SchemaAttributeType[] = [];
  for (const a of attributes) {
    if (!a.Name) continue;
    if (a.Name.startsWith("custom:")) out.push({ ...a, Name: a.Name.slice("custom:".length) });
    else if (a.Required && a.Name !== "sub") out.push(a);
  }
  return out;
}

/**
 * The username as AdminCreateUser would take it: in pools that sign in with email or phone, the
 * user is stored under its sub and created with its email or phone number.
 */
function givenUsername(pool: PoolRecord, u: UserRecord): string {
  if (u.username !== u.sub) return u.username;
  for (const attr of pool.settings.UsernameAttributes ?? []) {
    const value = u.attributes[attr];
    if (value !== undefined) return value;
  }
  return u.username;
}

class Exporter {
  readonly warnings: string[] = [];
  users = 0;
  private readonly s: Services;
  private readonly sealer: KeySealer | undefined;
  private droppedTotp = 0;

  constructor(services: Services, seedKey: Buffer | undefined) {
    this.s = services;
    this.sealer = seedKey ? new KeySealer(seedKey) : undefined;
  }

  async pool(record: PoolRecord): Promise<SeedPool> {
    const id = record.id;
    const region = { region: regionOf(id) };
    const U = { UserPoolId: id };
    const { UserPool: described = {} } = await callOperation(this.s, "DescribeUserPool", U, region);
    const pool: Record<string, unknown> = {
      Id: id,
      PoolName: described.Name,
      ...membersOf("CreateUserPoolRequest", described, ["Schema", "PoolName", "MfaConfiguration"]),
    };
    const schema = schemaOf(described.SchemaAttributes ?? []);
    if (schema.length > 0) pool.Schema = schema;
    const mfa = await callOperation(this.s, "GetUserPoolMfaConfig", U, region);
    pool.mfaConfig = membersOf("SetUserPoolMfaConfigRequest", mfa);

    const servers = (await callOperation(this.s, "ListResourceServers", { ...U, MaxResults: 50 }, region))
      .ResourceServers;
    if (servers?.length)
      pool.resourceServers = servers.map((r) => membersOf("CreateResourceServerRequest", r, ["UserPoolId"]));

    const idps = await all((after) => this.s.storage.federation.listIdentityProviders(id, 60, after));
    if (idps.length)
      pool.identityProviders = await Promise.all(
        idps.map(async (p) => {
          const { IdentityProvider: d = {} } = await callOperation(
            this.s,
            "DescribeIdentityProvider",
            { ...U, ProviderName: p.providerName },
            region,
          );
          return membersOf("CreateIdentityProviderRequest", d, ["UserPoolId"]);
        }),
      );

    const groups = await all((after) => this.s.storage.groups.listGroups(id, 60, after));
    if (groups.length)
      pool.groups = groups.map((g) => ({
        GroupName: g.name,
        ...(g.description !== undefined ? { Description: g.description } : {}),
        ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
        ...(g.roleArn !== undefined ? { RoleArn: g.roleArn } : {}),
      }));

    const clients = await all((after) => this.s.storage.pools.listClients(id, 60, after));
    if (clients.length) pool.clients = await Promise.all(clients.map((c) => this.client(id, c.clientId)));

    const domains: Record<string, unknown>[] = [];
    for (const name of [record.settings.Domain, record.settings.CustomDomain]) {
      if (!name) continue;
      const { DomainDescription: d = {} } = await callOperation(
        this.s,
        "DescribeUserPoolDomain",
        { Domain: name },
        region,
      );
      domains.push(membersOf("CreateUserPoolDomainRequest", d, ["UserPoolId", "Routing"]));
    }
    if (domains.length) pool.domains = domains;

    const users: SeedUser[] = [];
    let after: string | undefined;
    do {
      const page = await this.s.storage.users.listUsers(id, 60, undefined, after);
      for (const u of page.items) users.push(await this.user(record, u));
      after = page.next;
    } while (after);
    if (users.length) pool.users = users;
    this.users += users.length;
    return pool as unknown as SeedPool;
  }

  async client(poolId: string, clientId: string): Promise<SeedClient> {
    const region = { region: regionOf(poolId) };
    const ids = { UserPoolId: poolId, ClientId: clientId };
    const { UserPoolClient: d = {} } = await callOperation(this.s, "DescribeUserPoolClient", ids, region);
    const client: Record<string, unknown> = {
      ClientId: clientId,
      ...membersOf("CreateUserPoolClientRequest", d, ["UserPoolId", "GenerateSecret"]),
    };
    const { UICustomization: ui } = await callOperation(this.s, "GetUICustomization", ids, region);
    if (ui?.CSS !== undefined && ui.ClientId === clientId) client.uiCustomization = { CSS: ui.CSS };
    if (ui?.ImageUrl !== undefined && ui.ClientId === clientId)
      this.warnings.push(
        `the logo of the UI customization of app client ${clientId} is not exported (only its CSS)`,
      );
    try {
      const { ManagedLoginBranding: b } = await callOperation(
        this.s,
        "DescribeManagedLoginBrandingByClient",
        ids,
        region,
      );
      if (b?.ManagedLoginBrandingId)
        client.managedLoginBranding = b.UseCognitoProvidedValues
          ? { UseCognitoProvidedValues: true }
          : membersOf("CreateManagedLoginBrandingRequest", b, ["UserPoolId", "ClientId"]);
    } catch (e) {
      if ((e as Error).name !== "ResourceNotFoundException") throw e;
    }
    return client as unknown as SeedClient;
  }

  async user(pool: PoolRecord, u: UserRecord): Promise<SeedUser> {
    const { sub: _sub, ...attributes } = u.attributes;
    const user: SeedUser = {
      Username: givenUsername(pool, u),
      Sub: u.sub,
      Attributes: attributes,
      Enabled: u.enabled,
      Status: u.status as NonNullable<SeedUser["Status"]>,
    };
    if (u.password) {
      user.PasswordHash = {
        Hash: u.password.hash,
        ...(u.password.srpSalt && u.password.srpVerifier
          ? { SrpSalt: u.password.srpSalt, SrpVerifier: u.password.srpVerifier }
          : {}),
      };
      if (u.password.temporary) user.TemporaryPassword = true;
    }
    const groups = await all((after) => this.s.storage.groups.listGroupsForUser(pool.id, u.sub, 60, after));
    if (groups.length) user.Groups = groups.map((g) => g.name);
    const m = await this.s.storage.mfa.getUserMfa(pool.id, u.sub);
    if (m) {
      const mfa: SeedMfa = {};
      const enabled: string[] = [];
      const ctx = createRequestContext(this.s, { requestId: "export", region: pool.region });
      const secret = m.totpVerified ? openTotpSecret(ctx, m) : undefined;
      let totp = false;
      if (secret !== undefined) {
        if (this.sealer) {
          mfa.Totp = {
            SealedSecret: this.sealer.seal(secret, totpBinding(pool.id, u.sub)),
            ...(m.totpFriendlyName !== undefined ? { FriendlyName: m.totpFriendlyName } : {}),
          };
          totp = true;
        } else this.droppedTotp++;
      }
      if (m.totpEnabled && totp) enabled.push("SOFTWARE_TOKEN_MFA");
      if (m.smsEnabled) enabled.push("SMS_MFA");
      if (m.emailEnabled) enabled.push("EMAIL_OTP");
      if (enabled.length) mfa.Enabled = enabled;
      if (m.preferred && enabled.includes(m.preferred)) mfa.Preferred = m.preferred;
      if (m.webAuthnEnabled !== undefined) mfa.WebAuthn = m.webAuthnEnabled;
      if (Object.keys(mfa).length) user.Mfa = mfa;
    }
    const devices = await all((after) =>
      this.s.storage.devices.listDevices(pool.id, u.sub, false, 60, after),
    );
    if (devices.length)
      user.Devices = devices.map((d) => ({
        DeviceKey: d.deviceKey,
        DeviceGroupKey: d.groupKey,
        ...(d.name !== undefined ? { DeviceName: d.name } : {}),
        ...(d.srpSalt !== undefined ? { SrpSalt: d.srpSalt } : {}),
        ...(d.srpVerifier !== undefined ? { SrpVerifier: d.srpVerifier } : {}),
        Remembered: d.remembered,
        CreatedAt: d.createdAt,
        ...(d.lastAuthenticatedAt !== undefined ? { LastAuthenticatedAt: d.lastAuthenticatedAt } : {}),
      }));
    const links = await this.s.storage.federation.identityLinksOfUser(pool.id, u.sub);
    if (links.length)
      user.Identities = links.map((l) => ({
        ProviderName: l.providerName,
        ProviderAttributeName: l.attributeName,
        ProviderAttributeValue: l.attributeValue,
      }));
    return user;
  }

  finish(): void {
    if (this.droppedTotp > 0)
      this.warnings.push(
        `${this.droppedTotp} users' TOTP secrets were left out (give --seed-key to export them sealed under it)`,
      );
  }
}

/** The pools as a seed file. */
export async function exportPools(services: Services, options: ExportOptions = {}): Promise<ExportResult> {
  const ex = new Exporter(services, options.seedKey);
  let records: PoolRecord[];
  if (options.poolIds) {
    records = [];
    for (const id of options.poolIds) {
      const p = await services.storage.pools.getPool(id);
      if (!p) throw new Error(`no pool ${id}`);
      records.push(p);
    }
  } else records = await allPools(services);
  const pools: SeedPool[] = [];
  for (const r of records) pools.push(await ex.pool(r));
  ex.finish();
  return { seed: { pools }, users: ex.users, warnings: ex.warnings };
}

/** Every pool, of every region: listPools is by region, so the regions are read from the pool ids. */
async function allPools(services: Services): Promise<PoolRecord[]> {
  const regions = regionsToList(services.config.defaultRegion);
  const out: PoolRecord[] = [];
  for (const region of regions)
    out.push(...(await all((after) => services.storage.pools.listPools(region, 60, after))));
  return out;
}
