/**
 * A user's devices (device tracking, "remembered devices"): ConfirmDevice, GetDevice, ListDevices,
 * ForgetDevice, UpdateDeviceStatus and their Admin twins.
 *
 * A device is created with its key when a sign-in without a known device gets NewDeviceMetadata
 * (see sign-in.ts); ConfirmDevice then gives it the SRP verifier the device made. The user's own
 * GetDevice and ListDevices see their remembered devices; the administrator's see every confirmed
 * one. A device key of another user is answered as a key no device has.
 */
import type { RequestContext } from "../../context.ts";
import { verifierFromBase64 } from "../../crypto/srp.ts";
import { InvalidParameterException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import type {
  AttributeType,
  ConfirmDeviceRequest,
  ConfirmDeviceResponse,
  DeviceRememberedStatusType,
  DeviceType,
  ListDevicesResponse,
} from "../../generated/types.ts";
import type { DeviceRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import type { TokenCaller } from "../caller.ts";
import { wireTime } from "../ids.ts";
import { requirePool, requireUser } from "../lookups.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";

/** The page size when a list request gives no Limit (or 0), and the most one page holds. */
const DEFAULT_LIMIT = 60;

export function deviceNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException("Device does not exist.");
}

/** Who asks: the signed-in user (their remembered devices), or an administrator (every confirmed one). */
type Viewer = "user" | "admin";

/** Any field of the pool's DeviceConfiguration is set: sign-ins track devices (as Cognito has it). */
export function tracksDevices(pool: PoolRecord): boolean {
  const config = pool.settings.DeviceConfiguration;
  return (
    config?.ChallengeRequiredOnNewDevice !== undefined ||
    config?.DeviceOnlyRememberedOnUserPrompt !== undefined
  );
}

/** A confirmed device of this user (one with a verifier), or undefined. */
export async function confirmedDevice(
  db: Reader,
  pool: PoolRecord,
  sub: string,
  deviceKey: string,
): Promise<DeviceRecord | undefined> {
  const device = await db.devices.getDevice(pool.id, deviceKey);
  return device?.sub === sub && device.srpVerifier !== undefined ? device : undefined;
}

async function requireDevice(
  db: Reader,
  pool: PoolRecord,
  user: UserRecord,
  deviceKey: string,
  viewer: Viewer,
): Promise<DeviceRecord> {
  const device = await confirmedDevice(db, pool, user.sub, deviceKey);
  if (!device || (viewer === "user" && !device.remembered)) throw deviceNotFound();
  return device;
}

/** The wire form: its attributes as Cognito names them, its dates in epoch seconds. */
export function toDeviceType(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  d: DeviceRecord,
): DeviceType {
  const owner = `${user.username}.${pool.id}`;
  const arn = `arn:aws:cognito-idp:${pool.region}:${ctx.services.config.accountId}:owner/${owner}/device/${d.deviceKey}`;
  const attributes: AttributeType[] = [{ Name: "device_status", Value: "valid" }];
  if (d.name !== undefined) attributes.push({ Name: "device_name", Value: d.name });
  attributes.push({ Name: "dev:device_arn", Value: arn }, { Name: "dev:device_owner", Value: owner });
  if (d.lastIp !== undefined) attributes.push({ Name: "last_ip_used", Value: d.lastIp });
  attributes.push({
    Name: "dev:device_remembered_status",
    Value: d.remembered ? "remembered" : "not_remembered",
  });
  const out: DeviceType = {
    DeviceKey: d.deviceKey,
    DeviceAttributes: attributes,
    DeviceCreateDate: wireTime(d.createdAt),
    DeviceLastModifiedDate: wireTime(d.updatedAt),
  };
  if (d.lastAuthenticatedAt !== undefined) out.DeviceLastAuthenticatedDate = wireTime(d.lastAuthenticatedAt);
  return out;
}

/**
 * ConfirmDevice: a device of the signed-in user that a sign-in just gave its key (NewDeviceMetadata)
 * stores the SRP salt and verifier it made, and its name. With DeviceOnlyRememberedOnUserPrompt the
 * device stays not remembered until the user says so (UserConfirmationNecessary); otherwise it is
 * remembered now. A device confirmed already keeps its verifier.
 */
export async function confirmDevice(
  ctx: RequestContext,
  caller: TokenCaller,
  input: ConfirmDeviceRequest,
): Promise<ConfirmDeviceResponse> {
  const { pool, user } = caller;
  const config = input.DeviceSecretVerifierConfig;
  const material =
    config?.Salt !== undefined && config.PasswordVerifier !== undefined
      ? verifierFromBase64(config.Salt, config.PasswordVerifier)
      : undefined;
  if (!material) throw new InvalidParameterException("Invalid device secret verifier config.");
  const onPrompt = pool.settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  await ctx.services.storage.transaction(async (tx) => {
    const device = await tx.devices.getDevice(pool.id, input.DeviceKey);
    if (device?.sub !== user.sub) throw deviceNotFound();
    if (device.srpVerifier !== undefined)
      throw new InvalidParameterException("Device has already been confirmed.");
    const next: DeviceRecord = {
      ...device,
      srpSalt: material.salt,
      srpVerifier: material.verifier,
      remembered: !onPrompt,
      updatedAt: ctx.now,
    };
    if (input.DeviceName !== undefined) next.name = input.DeviceName;
    await tx.devices.updateDevice(next);
  });
  return { UserConfirmationNecessary: onPrompt };
}

/** GetDevice / AdminGetDevice. */
export async function getDevice(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  deviceKey: string,
  viewer: Viewer,
): Promise<DeviceType> {
  return toDeviceType(
    ctx,
    pool,
    user,
    await requireDevice(ctx.services.storage, pool, user, deviceKey, viewer),
  );
}

/** ListDevices / AdminListDevices: pages of Limit devices (60 at most), ordered by device key. */
export async function listDevices(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  input: { Limit?: number; PaginationToken?: string },
  viewer: Viewer,
): Promise<ListDevicesResponse> {
  const scope = `devices:${pool.id}:${user.sub}:${viewer}`;
  const page = await readPage(() =>
    ctx.services.storage.devices.listDevices(
      pool.id,
      user.sub,
      viewer === "user",
      input.Limit || DEFAULT_LIMIT,
      fromToken(input.PaginationToken, scope),
    ),
  );
  const out: ListDevicesResponse = { Devices: page.items.map((d) => toDeviceType(ctx, pool, user, d)) };
  if (page.next) out.PaginationToken = toToken(page.next, scope);
  return out;
}

/**
 * ForgetDevice / AdminForgetDevice: the device is deleted. Its refresh tokens stop working (a refresh
 * needs the device), and its key no longer signs in.
 */
export async function forgetDevice(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  deviceKey: string,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requireDevice(tx, pool, user, deviceKey, "admin");
    await tx.devices.deleteDevice(pool.id, deviceKey);
  });
}

/** UpdateDeviceStatus / AdminUpdateDeviceStatus: remembered or not; no status leaves it as it is. */
export async function updateDeviceStatus(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  deviceKey: string,
  status: DeviceRememberedStatusType | undefined,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const device = await requireDevice(tx, pool, user, deviceKey, "admin");
    const remembered = status === undefined ? device.remembered : status === "remembered";
    await tx.devices.updateDevice({ ...device, remembered, updatedAt: ctx.now });
  });
}

/** The pool and user an Admin*Device request names. */
export async function adminTarget(
  ctx: RequestContext,
  poolId: string,
  username: string,
): Promise<{ pool: PoolRecord; user: UserRecord }> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  return { pool, user: await requireUser(storage, pool, username) };
}
