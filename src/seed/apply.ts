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
import { createRequestContext, type Services, type SigningKeys } from "../context.ts";
import { KeySealer } from "../crypto/key-wrap.ts";
import { emptyMfa, openTotpSecret, sealTotpSecret } from "../domain/mfa/user-mfa.ts";
import { type ImportUser, importUsers, BulkImportError } from "../domain/users/bulk-import.ts";
import { findUser } from "../domain/users/users.ts";
import { AwsError } from "../errors.ts";
import { InvalidParameterException, ResourceNotFoundException } from "../generated/exceptions.ts";
import { SHAPES } from "../generated/shapes.ts";
import type { OperationTypes } from "../generated/types.ts";
import type {
  PoolRecord,
  SigningKeyRecord,
  UserMfaFactor,
  UserMfaRecord,
  UserRecord,
} from "../storage/records.ts";
import { DuplicateKeyError } from "../storage/storage.ts";
import { callOperation, inTransaction } from "./call.ts";
import { regionsToList } from "./regions.ts";
import {
  clientInput,
  poolInput,
  type SeedClient,
  type SeedFile,
  type SeedPool,
  type SeedUser,
  SeedError,
} from "./format.ts";

export interface SeedOptions {
  /** The key TOTP secrets of an export are sealed under (`seedKey`), when the file has some. */
  seedKey?: Buffer;
}

export interface SeedReport {
  created: number;
  updated: number;
  deleted: number;
}

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

const regionOf = (poolId: string) => poolId.slice(0, poolId.indexOf("_"));

const CREATE_ONLY = ["UsernameAttributes", "AliasAttributes", "UsernameConfiguration"] as const;

class Applier {
  readonly report: SeedReport = { created: 0, updated: 0, deleted: 0 };
  private readonly s: Services;
  private readonly file: string;
  private readonly options: SeedOptions;

  constructor(services: Services, file: string, options: SeedOptions) {
    this.s = services;
    this.file = file;
    this.options = options;
  }

  /** Runs one step; an AWS error becomes a SeedError at `path`. */
  async at<T>(path: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AwsError) throw new SeedError(this.file, path, e);
      throw e;
    }
  }

  call<N extends keyof OperationTypes>(
    poolId: string,
    name: N,
    input: OperationTypes[N]["input"],
    fixedId?: string,
  ): Promise<OperationTypes[N]["output"]> {
    return callOperation(this.s, name as never, input as never, {
      region: regionOf(poolId),
      ...(fixedId === undefined ? {} : { fixedId }),
    }) as Promise<OperationTypes[N]["output"]>;
  }

  /** Calls a Describe/Get operation: its answer, or undefined when the resource does not exist. */
  async find<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }

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

  async users(pool: PoolRecord, users: SeedUser[], path: string): Promise<void> {
    const fresh: { user: SeedUser; index: number }[] = [];
    const found: { user: SeedUser; index: number; record: UserRecord }[] = [];
    for (const [index, user] of users.entries()) {
      const record = await findUser(this.s.storage, pool, user.Username);
      if (record) found.push({ user, index, record });
      else {
        const taken = user.Sub ? await this.s.storage.users.getUserBySub(pool.id, user.Sub) : undefined;
        if (taken)
          throw new SeedError(
            this.file,
            `${path}[${index}].Sub`,
            new InvalidParameterException(`The sub ${user.Sub} is another user's (${taken.username}).`),
          );
        fresh.push({ user, index });
      }
    }
    if (fresh.length > 0) {
      let subs: string[];
      try {
        ({ subs } = await importUsers(
          this.s.storage,
          pool.id,
          fresh.map(({ user }) => importUser(user)),
        ));
      } catch (e) {
        if (e instanceof BulkImportError)
          throw new SeedError(this.file, `${path}[${fresh[e.index]!.index}]`, e.cause);
        throw e;
      }
      this.report.created += fresh.length;
      for (const [i, { user, index }] of fresh.entries()) {
        if (!hasExtras(user)) continue;
        const record = await this.s.storage.users.getUserBySub(pool.id, subs[i]!);
        if (!record) throw new Error(`user ${user.Username} not found after the import`);
        await this.userExtras(pool, user, record, `${path}[${index}]`, true);
      }
    }
    for (const { user, index, record } of found)
      await this.existingUser(pool, user, record, `${path}[${index}]`);
  }

  async existingUser(pool: PoolRecord, user: SeedUser, record: UserRecord, path: string): Promise<void> {
    const id = pool.id;
    const U = { UserPoolId: id, Username: record.username };
    const changed = Object.entries(withoutIdentities(user.Attributes ?? {})).filter(
      ([k, v]) => record.attributes[k] !== v,
    );
    if (changed.length > 0) {
      await this.at(`${path}.Attributes`, () =>
        this.call(id, "AdminUpdateUserAttributes", {
          ...U,
          UserAttributes: changed.map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      this.report.updated++;
    }
    if (user.Enabled !== undefined && user.Enabled !== record.enabled) {
      await this.at(`${path}.Enabled`, () =>
        this.call(id, user.Enabled ? "AdminEnableUser" : "AdminDisableUser", U),
      );
      this.report.updated++;
    }
    if (user.Status === "CONFIRMED" && record.status === "UNCONFIRMED") {
      await this.at(`${path}.Status`, () => this.call(id, "AdminConfirmSignUp", U));
      this.report.updated++;
    }
    const hash = user.PasswordHash;
    if (hash && record.password?.hash !== hash.Hash) {
      const fresh = await this.s.storage.users.getUserBySub(id, record.sub);
      await this.s.storage.transaction((tx) =>
        tx.users.updateUser({
          ...fresh!,
          password: {
            hash: hash.Hash,
            ...(hash.SrpSalt && hash.SrpVerifier
              ? { srpSalt: hash.SrpSalt, srpVerifier: hash.SrpVerifier }
              : {}),
            temporary: user.TemporaryPassword === true,
            setAt: Date.now(),
          },
          updatedAt: Date.now(),
        }),
      );
      this.report.updated++;
    }
    await this.userExtras(pool, user, record, path, false);
  }

  /** Groups, MFA, devices and linked identities of a user. */
  async userExtras(
    pool: PoolRecord,
    user: SeedUser,
    record: UserRecord,
    path: string,
    isNew: boolean,
  ): Promise<void> {
    const id = pool.id;
    const U = { UserPoolId: id, Username: record.username };
    const identities = user.Attributes?.identities;
    if (identities !== undefined && record.attributes.identities !== identities) {
      const fresh = (await this.s.storage.users.getUserBySub(id, record.sub))!;
      await this.s.storage.transaction((tx) =>
        tx.users.updateUser({
          ...fresh,
          attributes: { ...fresh.attributes, identities },
          updatedAt: Date.now(),
        }),
      );
      if (!isNew) this.report.updated++;
    }
    if (user.Groups) {
      const current = new Set<string>();
      if (!isNew) {
        let after: string | undefined;
        do {
          const page = await this.s.storage.groups.listGroupsForUser(id, record.sub, 60, after);
          for (const g of page.items) current.add(g.name);
          after = page.next;
        } while (after);
      }
      for (const g of user.Groups)
        if (!current.has(g)) {
          await this.at(`${path}.Groups`, () => this.call(id, "AdminAddUserToGroup", { ...U, GroupName: g }));
          if (!isNew) this.report.updated++;
        }
      for (const g of current)
        if (!user.Groups.includes(g)) {
          await this.at(`${path}.Groups`, () =>
            this.call(id, "AdminRemoveUserFromGroup", { ...U, GroupName: g }),
          );
          this.report.updated++;
        }
    }
    if (user.Mfa) await this.mfa(pool, user, record, `${path}.Mfa`);
    for (const [i, d] of (user.Devices ?? []).entries()) {
      if (await this.s.storage.devices.getDevice(id, d.DeviceKey)) continue;
      if (!d.DeviceKey.startsWith(`${regionOf(id)}_`))
        throw new SeedError(
          this.file,
          `${path}.Devices[${i}].DeviceKey`,
          new InvalidParameterException("A device key is <region>_<uuid>, in the pool's region."),
        );
      const now = Date.now();
      await this.s.storage.transaction((tx) =>
        tx.devices.insertDevice({
          poolId: id,
          deviceKey: d.DeviceKey,
          sub: record.sub,
          groupKey: d.DeviceGroupKey,
          ...(d.SrpSalt ? { srpSalt: d.SrpSalt } : {}),
          ...(d.SrpVerifier ? { srpVerifier: d.SrpVerifier } : {}),
          ...(d.DeviceName ? { name: d.DeviceName } : {}),
          remembered: d.Remembered,
          createdAt: d.CreatedAt ?? now,
          updatedAt: now,
          ...(d.LastAuthenticatedAt ? { lastAuthenticatedAt: d.LastAuthenticatedAt } : {}),
        }),
      );
      this.report.created++;
    }
    for (const [i, link] of (user.Identities ?? []).entries()) {
      const existing = await this.s.storage.federation.getIdentityLink(
        id,
        link.ProviderName,
        link.ProviderAttributeName,
        link.ProviderAttributeValue,
      );
      if (existing) continue;
      if (!(await this.s.storage.federation.getIdentityProvider(id, link.ProviderName)))
        throw new SeedError(
          this.file,
          `${path}.Identities[${i}].ProviderName`,
          new InvalidParameterException(`The pool has no identity provider ${link.ProviderName}.`),
        );
      await this.s.storage.transaction((tx) =>
        tx.federation.insertIdentityLink({
          poolId: id,
          providerName: link.ProviderName,
          attributeName: link.ProviderAttributeName,
          attributeValue: link.ProviderAttributeValue,
          sub: record.sub,
          createdAt: Date.now(),
        }),
      );
      this.report.created++;
    }
  }

  async mfa(pool: PoolRecord, user: SeedUser, record: UserRecord, path: string): Promise<void> {
    const m = user.Mfa!;
    const ctx = createRequestContext(this.s, { requestId: "seed", region: pool.region });
    const current =
      (await this.s.storage.mfa.getUserMfa(pool.id, record.sub)) ?? emptyMfa(pool.id, record.sub, Date.now());
    let secret: string | undefined;
    if (m.Totp?.Secret) secret = m.Totp.Secret;
    else if (m.Totp?.SealedSecret) {
      if (!this.options.seedKey)
        throw new SeedError(
          this.file,
          `${path}.Totp.SealedSecret`,
          new InvalidParameterException(
            "The file has sealed TOTP secrets: give the key they were sealed with (seedKey, LANYARD_SEED_KEY).",
          ),
        );
      try {
        secret = new KeySealer(this.options.seedKey).open(
          m.Totp.SealedSecret,
          totpBinding(pool.id, record.sub),
        );
      } catch {
        throw new SeedError(
          this.file,
          `${path}.Totp.SealedSecret`,
          new InvalidParameterException(
            "The TOTP secret was sealed with another key (seedKey), or for another user.",
          ),
        );
      }
    }
    const enabled = new Set(m.Enabled ?? []);
    const next: UserMfaRecord = {
      ...current,
      totpEnabled: enabled.has("SOFTWARE_TOKEN_MFA"),
      smsEnabled: enabled.has("SMS_MFA"),
      emailEnabled: enabled.has("EMAIL_OTP"),
      ...(m.WebAuthn !== undefined ? { webAuthnEnabled: m.WebAuthn } : {}),
    };
    if (m.Preferred) next.preferred = m.Preferred as UserMfaFactor;
    else delete next.preferred;
    const sameSecret = secret === undefined || openTotpSecret(ctx, current) === secret;
    if (secret !== undefined && !sameSecret) {
      next.totpSecret = sealTotpSecret(ctx, next, secret);
      next.totpVerified = true;
      delete next.totpLastStep;
    }
    if (m.Totp?.FriendlyName !== undefined) next.totpFriendlyName = m.Totp.FriendlyName;
    if (next.totpEnabled && !next.totpVerified)
      throw new SeedError(
        this.file,
        `${path}.Enabled`,
        new InvalidParameterException("SOFTWARE_TOKEN_MFA needs a TOTP secret (Totp)."),
      );
    const same =
      sameSecret &&
      next.totpEnabled === current.totpEnabled &&
      next.smsEnabled === current.smsEnabled &&
      next.emailEnabled === current.emailEnabled &&
      next.webAuthnEnabled === current.webAuthnEnabled &&
      next.preferred === current.preferred &&
      next.totpFriendlyName === current.totpFriendlyName;
    if (same) return;
    next.updatedAt = Date.now();
    await this.s.storage.transaction((tx) => tx.mfa.putUserMfa(next));
    this.report.updated++;
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

/** What a sealed TOTP secret of an export is bound to: its pool and user (its sub). */
export function totpBinding(poolId: string, sub: string): string {
  return `lanyard seed totp\0${poolId}\0${sub}`;
}

/** Whether a new user has more to apply than the bulk import stores. */
function hasExtras(u: SeedUser): boolean {
  return Boolean(
    u.Groups?.length || u.Mfa || u.Devices?.length || u.Identities?.length || u.Attributes?.identities,
  );
}

/** The attributes but `identities`, which the linked identities keep (written as it is). */
function withoutIdentities(attributes: Record<string, string>): Record<string, string> {
  const { identities: _identities, ...rest } = attributes;
  return rest;
}

function importUser(u: SeedUser): ImportUser {
  const temporary = u.TemporaryPassword === true;
  return {
    username: u.Username,
    ...(u.Attributes ? { attributes: withoutIdentities(u.Attributes) } : {}),
    ...(u.Status ? { status: u.Status } : {}),
    ...(u.Enabled !== undefined ? { enabled: u.Enabled } : {}),
    ...(u.Sub ? { sub: u.Sub } : {}),
    ...(u.Password !== undefined ? { password: { password: u.Password, temporary } } : {}),
    ...(u.PasswordHash
      ? {
          password: {
            hash: u.PasswordHash.Hash,
            ...(u.PasswordHash.SrpSalt && u.PasswordHash.SrpVerifier
              ? { srp: { salt: u.PasswordHash.SrpSalt, verifier: u.PasswordHash.SrpVerifier } }
              : {}),
            temporary,
          },
        }
      : {}),
  };
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
