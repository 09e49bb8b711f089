/**
 * Devices in sign-in, when the pool's DeviceConfiguration is set (device tracking):
 * - a sign-in without a DEVICE_KEY gets a new device's key in NewDeviceMetadata, and its tokens are
 *   the new device's (the access token's `device_key`; a refresh then needs that DEVICE_KEY);
 * - a sign-in with the DEVICE_KEY of one of the user's confirmed devices proves the device with its
 *   own SRP verifier (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER: auth/challenges/device-srp-auth.ts);
 *   a key no device of this user has is refused (ResourceNotFoundException);
 * - a remembered device that proved itself skips MFA when ChallengeRequiredOnNewDevice is true
 *   (`deviceSkipsMfa`, which the MFA step consults).
 */
import { randomInt, randomUUID } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { NewDeviceMetadataType } from "../../generated/types.ts";
import type { DeviceRecord, PoolRecord, RefreshTokenRecord, UserRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { incorrectCredentials } from "../errors.ts";
import { findUser } from "../users/users.ts";
import { confirmedDevice, deviceNotFound, tracksDevices } from "./devices.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** What a sign-in knows of the device it runs on (carried on the signed-in step). */
export interface SignInDevice {
  /** The DEVICE_KEY the sign-in came with. */
  deviceKey?: string;
  /** The device proved itself (DEVICE_PASSWORD_VERIFIER) in this sign-in. */
  deviceVerified?: boolean;
}

/**
 * The confirmed device of this user a sign-in's DEVICE_KEY names, or ResourceNotFoundException
 * ("Device does not exist.", on which amazon-cognito-identity-js forgets its key and answers again
 * without it): an unknown key, an unconfirmed one and another user's are all refused alike.
 */
export async function requireSignInDevice(
  db: Reader,
  pool: PoolRecord,
  sub: string | undefined,
  deviceKey: string,
): Promise<DeviceRecord> {
  const device = sub === undefined ? undefined : await confirmedDevice(db, pool, sub, deviceKey);
  if (!device) throw deviceNotFound();
  return device;
}

/** The USERNAME of a device challenge's answer names the user signing in (username or alias). */
export async function checkNamesUser(
  db: Reader,
  pool: PoolRecord,
  username: string,
  user: UserRecord,
): Promise<void> {
  if (username === user.username) return;
  const named = await findUser(db, pool, username);
  if (named?.sub !== user.sub) throw incorrectCredentials();
}

/** The device, remembered, stands in for MFA in this pool (ChallengeRequiredOnNewDevice). */
export function replacesMfa(pool: PoolRecord, device: DeviceRecord): boolean {
  return pool.settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true && device.remembered;
}

/**
 * Whether the MFA step may be skipped for this sign-in: a remembered device of the user proved
 * itself with its own verifier (DEVICE_PASSWORD_VERIFIER), in a pool whose DeviceConfiguration has
 * ChallengeRequiredOnNewDevice. Re-read, so a device forgotten or set not remembered meanwhile
 * does not count.
 */
export async function deviceSkipsMfa(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  step: SignInDevice,
): Promise<boolean> {
  if (!tracksDevices(pool) || !step.deviceVerified || step.deviceKey === undefined) return false;
  const device = await confirmedDevice(ctx.services.storage, pool, user.sub, step.deviceKey);
  return device !== undefined && replacesMfa(pool, device);
}

function newDeviceGroupKey(): string {
  let s = "-";
  for (let i = 0; i < 9; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** The device the tokens of a finished sign-in belong to, and NewDeviceMetadata for a new one. */
export interface TrackedSignIn {
  deviceKey?: string;
  newDevice?: NewDeviceMetadataType;
}

/**
 * At the end of a sign-in, before its tokens: a device that proved itself is marked as just used
 * (its last authenticated date and IP); a sign-in without a device key gets a new device (unconfirmed
 * until ConfirmDevice). Nothing when the pool does not track devices.
 */
export async function trackSignInDevice(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  step: SignInDevice,
): Promise<TrackedSignIn> {
  if (!tracksDevices(pool)) return {};
  if (step.deviceKey !== undefined) {
    if (!step.deviceVerified) return {};
    await touchDevice(ctx, pool, user, step.deviceKey);
    return { deviceKey: step.deviceKey };
  }
  const device: DeviceRecord = {
    poolId: pool.id,
    deviceKey: `${pool.region}_${randomUUID()}`,
    sub: user.sub,
    groupKey: newDeviceGroupKey(),
    remembered: false,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    lastAuthenticatedAt: ctx.now,
    ...(ctx.clientIp === undefined ? {} : { lastIp: ctx.clientIp }),
  };
  await ctx.services.storage.transaction((tx) => tx.devices.insertDevice(device));
  return {
    deviceKey: device.deviceKey,
    newDevice: { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey },
  };
}

/** The device was just used to sign in or refresh: its last authenticated date and address. */
async function touchDevice(ctx: RequestContext, pool: PoolRecord, user: UserRecord, deviceKey: string) {
  await ctx.services.storage.transaction(async (tx) => {
    const device = await confirmedDevice(tx, pool, user.sub, deviceKey);
    if (!device) return;
    const next: DeviceRecord = { ...device, lastAuthenticatedAt: ctx.now };
    if (ctx.clientIp !== undefined) next.lastIp = ctx.clientIp;
    await tx.devices.updateDevice(next);
  });
}

/**
 * A refresh of a token issued to a device needs that device's DEVICE_KEY, and the device still
 * confirmed (a forgotten device's tokens no longer refresh); false when it is refused. A token
 * issued without a device ignores any DEVICE_KEY. A refresh with its device marks it as used.
 */
export async function checkRefreshDevice(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  record: RefreshTokenRecord,
  given: string | undefined,
): Promise<boolean> {
  if (record.deviceKey === undefined) return true;
  if (given !== record.deviceKey) return false;
  if (!(await confirmedDevice(ctx.services.storage, pool, user.sub, given))) return false;
  await touchDevice(ctx, pool, user, given);
  return true;
}
