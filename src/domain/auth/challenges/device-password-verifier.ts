/**
 * DEVICE_PASSWORD_VERIFIER: issued by the answer to DEVICE_SRP_AUTH with the device's salt and the
 * server's B; answered with the claim signature, checked against the device's own verifier: the SRP
 * realm is the device's DeviceGroupKey and the identity its DeviceKey. A wrong claim fails like a
 * wrong password (the session is spent; the device is not counted towards the password lockout).
 */
import { randomBytes } from "node:crypto";
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { safeEqual } from "../../../crypto/secret-hash.ts";
import { checkTimestamp, startSrp, verifySrpClaim } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import type { DeviceRecord, UserRecord } from "../../../storage/records.ts";
import { audit } from "../../audit.ts";
import { confirmedDevice, deviceNotFound } from "../../devices/devices.ts";
import { checkNamesUser } from "../../devices/sign-in.ts";
import { incorrectCredentials, sessionExpired } from "../../errors.ts";
import { required } from "../params.ts";
import { openSession, takeSession } from "../sessions.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep } from "../types.ts";

export async function issueDevicePasswordVerifier(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  device: DeviceRecord,
  A: string,
  mfaSettled: boolean,
): Promise<AuthOutcome> {
  const { b, B } = startSrp(device.srpVerifier!);
  const secretBlock = randomBytes(96).toString("base64");
  const Session = await openSession(ctx, call.client, {
    challenge: "DEVICE_PASSWORD_VERIFIER",
    sub: user.sub,
    deviceKey: device.deviceKey,
    A,
    b,
    B,
    secretBlock,
    mfaSettled,
    admin: call.kind === "adminClient",
  });
  return {
    ChallengeName: "DEVICE_PASSWORD_VERIFIER",
    Session,
    ChallengeParameters: {
      SALT: device.srpSalt!,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: user.username,
    },
  };
}

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const deviceKey = required(responses, "DEVICE_KEY");
  const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = required(responses, "TIMESTAMP");
  const state = await takeSession(ctx, call.client, session);
  if (state.challenge !== "DEVICE_PASSWORD_VERIFIER") throw sessionExpired();
  const when = checkTimestamp(timestamp, new Date(ctx.now));
  if (when === "malformed")
    throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
  const user = await ctx.services.storage.users.getUserBySub(call.pool.id, String(state.sub));
  if (!user) throw sessionExpired();
  await checkNamesUser(ctx.services.storage, call.pool, username, user);
  const device =
    deviceKey === state.deviceKey
      ? await confirmedDevice(ctx.services.storage, call.pool, user.sub, deviceKey)
      : undefined;
  if (!device) throw deviceNotFound();
  const ok =
    when === "ok" &&
    safeEqual(secretBlock, String(state.secretBlock)) &&
    verifySrpClaim({
      poolName: device.groupKey,
      username: device.deviceKey,
      A: String(state.A),
      b: String(state.b),
      B: String(state.B),
      verifier: device.srpVerifier!,
      secretBlock,
      timestamp,
      signature,
    });
  if (!ok) {
    audit(ctx, "device claim failed", { poolId: call.pool.id, sub: user.sub, deviceKey });
    throw incorrectCredentials();
  }
  return { signedIn: user, deviceKey, deviceVerified: true, mfaSettled: state.mfaSettled === true };
}

export const devicePasswordVerifier: AuthChallenge = { username: true, run: answer };
