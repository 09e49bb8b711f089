/**
 * The users of a seed file: new ones stored by the bulk import (AdminCreateUser's checks, with an
 * exported hash, SRP verifier and sub), existing ones updated with the admin operations; then their
 * groups (AdminAddUserToGroup), MFA (a TOTP secret sealed under this server's secret), devices and
 * linked identities (written to their repositories: no operation writes them).
 */
import { createRequestContext } from "../context.ts";
import { KeySealer } from "../crypto/key-wrap.ts";
import { emptyMfa, openTotpSecret, sealTotpSecret } from "../domain/mfa/user-mfa.ts";
import { type ImportUser, importUsers, BulkImportError } from "../domain/users/bulk-import.ts";
import { findUser } from "../domain/users/users.ts";
import { InvalidParameterException } from "../generated/exceptions.ts";
import type { PoolRecord, UserMfaFactor, UserMfaRecord, UserRecord } from "../storage/records.ts";
import { type SeedUser, SeedError } from "./format.ts";
import { regionOf, SeedSteps } from "./steps.ts";

export class UserSteps extends SeedSteps {
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
