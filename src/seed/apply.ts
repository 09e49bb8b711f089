/**
 * Applies a checked seed file (format.ts) to the storage, idempotently, in one transaction: what
 * is missing is created, what differs from the file is updated to match (the Update* operations),
 * and nothing else is touched unless `prune: true`. Everything goes through the operation table as
 * an admin caller (call.ts), but for what no operation writes: users are stored by the bulk import
 * (AdminCreateUser's checks, with exported hashes and subs), and MFA secrets, devices and linked
 * identities of an export are written to their repositories.
 *
 * "Differs" is read as the file's members against what the Describe/Get operation answers: every
 * member the file gives must have its value there (lists compare as sets). A member the file drops
 * keeps its value (docs/seed.md).
 */
import type { Services, SigningKeys } from "../context.ts";
import { findUser } from "../domain/users/users.ts";
import { InvalidParameterException } from "../generated/exceptions.ts";
import { SHAPES } from "../generated/shapes.ts";
import type { PoolRecord, SigningKeyRecord } from "../storage/records.ts";
import { DuplicateKeyError } from "../storage/storage.ts";
import { inTransaction } from "./call.ts";
import { regionsToList } from "./regions.ts";
import {
  clientInput,
  poolInput,
  type SeedClient,
  type SeedFile,
  type SeedPool,
  SeedError,
} from "./format.ts";
import { all, regionOf, type SeedOptions, type SeedReport } from "./steps.ts";
import { UserSteps } from "./users.ts";

export type { SeedOptions, SeedReport } from "./steps.ts";

/** Does `actual` hold every member `desired` gives, with its value (lists as sets)? */
export function covers(actual: unknown, desired: unknown): boolean {
  if (Array.isArray(desired))
    return (
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((d) => actual.some((a) => covers(a, d)))
    );
  if (typeof desired === "object" && desired !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => v === undefined || covers(a[k], v));
  }
  return actual === desired;
}

/** The members of `input` that the operation's input shape has. */
function membersOf(shape: string, input: object): Record<string, unknown> {
  const s = SHAPES[shape];
  if (s?.type !== "structure") throw new Error(`${shape} is not a structure`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (k in s.members && v !== undefined) out[k] = v;
  return out;
}

const CREATE_ONLY = ["UsernameAttributes", "AliasAttributes", "UsernameConfiguration"] as const;

class Applier extends UserSteps {
  async pool(pool: SeedPool, path: string): Promise<PoolRecord> {
    const id = pool.Id;
    const input = poolInput(pool);
    // With mfaConfig, SetUserPoolMfaConfig sets the MFA mode (with its factors), after the pool.
    if (pool.mfaConfig) delete input.MfaConfiguration;
    const existing = await this.s.storage.pools.getPool(id);
    if (!existing) {
      await this.at(path, () => this.call(id, "CreateUserPool", input, id));
      this.report.created++;
    } else {
      const { UserPool: current } = await this.call(id, "DescribeUserPool", { UserPoolId: id });
      for (const k of CREATE_ONLY)
        if (input[k] !== undefined && !covers(current?.[k], input[k]))
          throw new SeedError(
            this.file,
            `${path}.${k}`,
            new InvalidParameterException(
              `${k} cannot be changed once the pool exists (it is ${JSON.stringify(current?.[k] ?? null)}).`,
            ),
          );
      const known = new Set((current?.SchemaAttributes ?? []).map((a) => a.Name));
      const added = (input.Schema ?? []).filter(
        (a) => a.Name !== undefined && !known.has(a.Name) && !known.has(`custom:${a.Name}`),
      );
      if (added.length > 0) {
        await this.at(`${path}.Schema`, () =>
          this.call(id, "AddCustomAttributes", { UserPoolId: id, CustomAttributes: added }),
        );
        this.report.updated++;
      }
      const update = membersOf("UpdateUserPoolRequest", input);
      const view: Record<string, unknown> = { ...update, Name: update.PoolName };
      delete view.PoolName;
      if (!covers(current, view)) {
        await this.at(path, () => this.call(id, "UpdateUserPool", { ...update, UserPoolId: id } as never));
        this.report.updated++;
      }
    }
    if (pool.mfaConfig) {
      const current = await this.call(id, "GetUserPoolMfaConfig", { UserPoolId: id });
      if (!covers(current, pool.mfaConfig)) {
        await this.at(`${path}.mfaConfig`, () =>
          this.call(id, "SetUserPoolMfaConfig", { ...pool.mfaConfig, UserPoolId: id }),
        );
        this.report.updated++;
      }
    }
    const record = await this.s.storage.pools.getPool(id);
    if (!record) throw new Error(`pool ${id} not found after it was applied`);
    return record;
  }

  /** One kind of simple resource: create when missing, update when it differs. */
  async resource<T extends object, C extends object>(
    path: string,
    item: T,
    ops: {
      describe: () => Promise<C | undefined>;
      create: () => Promise<unknown>;
      update: () => Promise<unknown>;
    },
  ): Promise<void> {
    const current = await this.at(path, ops.describe);
    if (current === undefined) {
      await this.at(path, ops.create);
      this.report.created++;
    } else if (!covers(current, item)) {
      await this.at(path, ops.update);
      this.report.updated++;
    }
  }

  async client(poolId: string, client: SeedClient, path: string): Promise<void> {
    const id = client.ClientId;
    const { ClientSecret: secret, ...settings } = clientInput(client);
    const elsewhere = await this.s.storage.pools.getClientById(id);
    if (elsewhere && elsewhere.poolId !== poolId)
      throw new SeedError(
        this.file,
        `${path}.ClientId`,
        new InvalidParameterException(
          `The app client ${id} belongs to another user pool (${elsewhere.poolId}).`,
        ),
      );
    if (!elsewhere) {
      await this.at(path, () =>
        this.call(poolId, "CreateUserPoolClient", { ...clientInput(client), UserPoolId: poolId }, id),
      );
      this.report.created++;
    } else {
      const { UserPoolClient: current } = await this.call(poolId, "DescribeUserPoolClient", {
        UserPoolId: poolId,
        ClientId: id,
      });
      if (secret !== undefined && current?.ClientSecret !== secret) {
        const { ClientSecrets: old = [] } = await this.call(poolId, "ListUserPoolClientSecrets", {
          UserPoolId: poolId,
          ClientId: id,
        });
        for (const s of old)
          if (s.ClientSecretId)
            await this.at(`${path}.ClientSecret`, () =>
              this.call(poolId, "DeleteUserPoolClientSecret", {
                UserPoolId: poolId,
                ClientId: id,
                ClientSecretId: s.ClientSecretId!,
              }),
            );
        await this.at(`${path}.ClientSecret`, () =>
          this.call(poolId, "AddUserPoolClientSecret", {
            UserPoolId: poolId,
            ClientId: id,
            ClientSecret: secret,
          }),
        );
        this.report.updated++;
      }
      if (!covers(current, settings)) {
        await this.at(path, () =>
          this.call(poolId, "UpdateUserPoolClient", { ...settings, UserPoolId: poolId, ClientId: id }),
        );
        this.report.updated++;
      }
    }
    if (client.uiCustomization) {
      const ui = client.uiCustomization;
      const p = `${path}.uiCustomization`;
      const { UICustomization: current } = await this.call(poolId, "GetUICustomization", {
        UserPoolId: poolId,
        ClientId: id,
      });
      if (current?.CSS !== ui.CSS || (ui.ImageFile !== undefined && current?.ImageUrl === undefined)) {
        await this.at(p, () =>
          this.call(poolId, "SetUICustomization", { ...ui, UserPoolId: poolId, ClientId: id }),
        );
        this.report.updated++;
      }
    }
    if (client.managedLoginBranding) {
      const b = client.managedLoginBranding;
      const p = `${path}.managedLoginBranding`;
      const current = await this.at(p, () =>
        this.find(() =>
          this.call(poolId, "DescribeManagedLoginBrandingByClient", { UserPoolId: poolId, ClientId: id }),
        ),
      );
      const branding = current?.ManagedLoginBranding;
      if (!branding?.ManagedLoginBrandingId) {
        await this.at(p, () =>
          this.call(poolId, "CreateManagedLoginBranding", { ...b, UserPoolId: poolId, ClientId: id }),
        );
        this.report.created++;
      } else if (!covers(branding, b)) {
        await this.at(p, () =>
          this.call(poolId, "UpdateManagedLoginBranding", {
            ...b,
            UserPoolId: poolId,
            ManagedLoginBrandingId: branding.ManagedLoginBrandingId!,
          }),
        );
        this.report.updated++;
      }
    }
  }

  async applyPool(pool: SeedPool, path: string, prune: boolean): Promise<void> {
    const record = await this.pool(pool, path);
    const id = record.id;
    const U = { UserPoolId: id };
    for (const [i, rs] of (pool.resourceServers ?? []).entries())
      await this.resource(`${path}.resourceServers[${i}]`, rs, {
        describe: () =>
          this.find(
            async () =>
              (await this.call(id, "DescribeResourceServer", { ...U, Identifier: rs.Identifier }))
                .ResourceServer,
          ),
        create: () => this.call(id, "CreateResourceServer", { ...rs, ...U }),
        update: () => this.call(id, "UpdateResourceServer", { ...rs, ...U }),
      });
    for (const [i, idp] of (pool.identityProviders ?? []).entries()) {
      const { ProviderType: _type, ...updatable } = idp;
      await this.resource(`${path}.identityProviders[${i}]`, idp, {
        describe: () =>
          this.find(
            async () =>
              (await this.call(id, "DescribeIdentityProvider", { ...U, ProviderName: idp.ProviderName }))
                .IdentityProvider,
          ),
        create: () => this.call(id, "CreateIdentityProvider", { ...idp, ...U }),
        update: () => this.call(id, "UpdateIdentityProvider", { ...updatable, ...U }),
      });
    }
    for (const [i, group] of (pool.groups ?? []).entries())
      await this.resource(`${path}.groups[${i}]`, group, {
        describe: () =>
          this.find(
            async () => (await this.call(id, "GetGroup", { ...U, GroupName: group.GroupName })).Group,
          ),
        create: () => this.call(id, "CreateGroup", { ...group, ...U }),
        update: () => this.call(id, "UpdateGroup", { ...group, ...U }),
      });
    // Domains before the app clients: UI customization needs the pool's domain.
    for (const [i, domain] of (pool.domains ?? []).entries()) {
      const p = `${path}.domains[${i}]`;
      await this.resource(p, domain, {
        describe: async () => {
          const d = (await this.call(id, "DescribeUserPoolDomain", { Domain: domain.Domain }))
            .DomainDescription;
          if (!d?.UserPoolId) return undefined;
          if (d.UserPoolId !== id)
            throw new InvalidParameterException(
              `The domain ${domain.Domain} belongs to another user pool (${d.UserPoolId}).`,
            );
          return d;
        },
        create: () => this.call(id, "CreateUserPoolDomain", { ...domain, ...U }),
        update: () => this.call(id, "UpdateUserPoolDomain", { ...domain, ...U }),
      });
    }
    for (const [i, client] of (pool.clients ?? []).entries())
      await this.client(id, client, `${path}.clients[${i}]`);
    await this.users(record, pool.users ?? [], `${path}.users`);
    if (prune) await this.prunePool(record, pool);
  }

  async prunePool(pool: PoolRecord, seed: SeedPool): Promise<void> {
    const id = pool.id;
    const U = { UserPoolId: id };
    const del = async (what: string, fn: () => Promise<unknown>) => {
      await this.at(`prune: ${what}`, fn);
      this.report.deleted++;
    };
    const keepClients = new Set((seed.clients ?? []).map((c) => c.ClientId));
    const { UserPoolClients: clients = [] } = await this.call(id, "ListUserPoolClients", {
      ...U,
      MaxResults: 60,
    });
    for (const c of clients)
      if (c.ClientId && !keepClients.has(c.ClientId))
        await del(`app client ${c.ClientId}`, () =>
          this.call(id, "DeleteUserPoolClient", { ...U, ClientId: c.ClientId! }),
        );
    const keepGroups = new Set((seed.groups ?? []).map((g) => g.GroupName));
    for (const g of await all((after) => this.s.storage.groups.listGroups(id, 60, after)))
      if (!keepGroups.has(g.name))
        await del(`group ${g.name}`, () => this.call(id, "DeleteGroup", { ...U, GroupName: g.name }));
    const keepServers = new Set((seed.resourceServers ?? []).map((r) => r.Identifier));
    const { ResourceServers: servers = [] } = await this.call(id, "ListResourceServers", {
      ...U,
      MaxResults: 50,
    });
    for (const r of servers)
      if (r.Identifier && !keepServers.has(r.Identifier))
        await del(`resource server ${r.Identifier}`, () =>
          this.call(id, "DeleteResourceServer", { ...U, Identifier: r.Identifier! }),
        );
    const keepIdps = new Set((seed.identityProviders ?? []).map((p) => p.ProviderName));
    for (const p of await all((after) => this.s.storage.federation.listIdentityProviders(id, 60, after)))
      if (!keepIdps.has(p.providerName))
        await del(`identity provider ${p.providerName}`, () =>
          this.call(id, "DeleteIdentityProvider", { ...U, ProviderName: p.providerName }),
        );
    const keepDomains = new Set((seed.domains ?? []).map((d) => d.Domain));
    for (const d of [pool.settings.Domain, pool.settings.CustomDomain])
      if (d && !keepDomains.has(d))
        await del(`domain ${d}`, () => this.call(id, "DeleteUserPoolDomain", { ...U, Domain: d }));
    const keepUsers = new Set<string>();
    for (const u of seed.users ?? []) {
      const r = await findUser(this.s.storage, pool, u.Username);
      if (r) keepUsers.add(r.sub);
    }
    for (const u of await all((after) => this.s.storage.users.listUsers(id, 60, undefined, after)))
      if (!keepUsers.has(u.sub))
        await del(`user ${u.username}`, () =>
          this.call(id, "AdminDeleteUser", { ...U, Username: u.username }),
        );
  }
}

/** Applies the seed in one storage transaction: all of it, or (on an error) none of it. */
export async function applySeed(
  services: Services,
  seed: SeedFile,
  file: string,
  options: SeedOptions = {},
): Promise<SeedReport> {
  // Another instance on the same database may apply the same file at the same moment: the
  // transaction that loses the race on a pool, client or user id rolls back, and this one starts
  // again, now finding what the other made.
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(services, seed, file, options);
    } catch (e) {
      if (!(e instanceof DuplicateKeyError) || attempt === 3) throw e;
    }
  }
}

async function applyOnce(
  services: Services,
  seed: SeedFile,
  file: string,
  options: SeedOptions,
): Promise<SeedReport> {
  // The new pools' signing keys, made at once before the transaction (RSA key generation is the
  // slow part of a pool's creation; the key pairs are made on libuv's thread pool).
  const made = new Map<string, SigningKeyRecord[]>();
  await Promise.all(
    seed.pools.map(async (p) => {
      if (!(await services.storage.pools.getPool(p.Id)))
        made.set(p.Id, await services.keys.newPoolKeys(p.Id, Date.now()));
    }),
  );
  const keys = services.keys;
  const prepared: SigningKeys = {
    newPoolKeys: (poolId, now) => Promise.resolve(made.get(poolId) ?? keys.newPoolKeys(poolId, now)),
    keys: (poolId, now, db) => keys.keys(poolId, now, db),
    signingKey: (poolId, use, now) => keys.signingKey(poolId, use, now),
    verificationKey: (poolId, kid) => keys.verificationKey(poolId, kid),
    forget: (poolId) => keys.forget(poolId),
  };
  return inTransaction({ ...services, keys: prepared }, async (scoped) => {
    const a = new Applier(scoped, file, options);
    for (const [i, pool] of seed.pools.entries()) await a.applyPool(pool, `pools[${i}]`, seed.prune === true);
    if (seed.prune) {
      const keep = new Set(seed.pools.map((p) => p.Id));
      for (const region of regionsToList(services.config.defaultRegion, [...keep].map(regionOf)))
        for (const p of await all((after) => scoped.storage.pools.listPools(region, 60, after)))
          if (!keep.has(p.id)) {
            await a.at(`prune: pool ${p.id}`, () => a.call(p.id, "DeleteUserPool", { UserPoolId: p.id }));
            a.report.deleted++;
          }
    }
    return a.report;
  });
}
