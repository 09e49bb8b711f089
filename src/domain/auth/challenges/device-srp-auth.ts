/**
 * DEVICE_SRP_AUTH: issued to a sign-in that came with the DEVICE_KEY of one of the user's confirmed
 * devices, once the password is proven: before MFA when the device, remembered, stands in for it
 * (ChallengeRequiredOnNewDevice), else after MFA, just before the tokens. Answered with USERNAME,
 * DEVICE_KEY and SRP_A, it issues DEVICE_PASSWORD_VERIFIER with the device's salt and the server's B.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { isValidSrpA } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import { deviceNotFound, tracksDevices } from "../../devices/devices.ts";
import { checkNamesUser, replacesMfa, requireSignInDevice } from "../../devices/sign-in.ts";
import { sessionExpired } from "../../errors.ts";
import { required } from "../params.ts";
import { openSession, takeSession } from "../sessions.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep, SignedIn } from "../types.ts";
import { issueDevicePasswordVerifier } from "./device-password-verifier.ts";

/** Where in the sign-in the device is asked to prove itself (see the file's comment). */
export type DevicePhase = "instead-of-mfa" | "after-mfa";

/** The DEVICE_SRP_AUTH challenge this sign-in owes at this point, or undefined. */
export async function deviceChallenge(
  ctx: RequestContext,
  call: SignInCaller,
  step: SignedIn,
  phase: DevicePhase,
): Promise<AuthOutcome | undefined> {
  const { pool } = call;
  const user = step.signedIn;
  if (step.deviceKey === undefined || step.deviceVerified || !tracksDevices(pool)) return undefined;
  const device = await requireSignInDevice(ctx.services.storage, pool, user.sub, step.deviceKey);
  if (phase === "instead-of-mfa" && !replacesMfa(pool, device)) return undefined;
  const Session = await openSession(
    ctx,
    call.client,
    {
      challenge: "DEVICE_SRP_AUTH",
      sub: user.sub,
      deviceKey: device.deviceKey,
      mfaSettled: phase === "after-mfa" || step.mfaSettled === true,
      admin: call.kind === "adminClient",
    },
    step.session,
  );
  return { ChallengeName: "DEVICE_SRP_AUTH", Session, ChallengeParameters: {} };
}

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const deviceKey = required(responses, "DEVICE_KEY");
  const A = required(responses, "SRP_A");
  if (!isValidSrpA(A)) throw new InvalidParameterException("Invalid SRP_A value.");
  const state = await takeSession(ctx, call.client, session);
  if (state.challenge !== "DEVICE_SRP_AUTH") throw sessionExpired();
  const user = await ctx.services.storage.users.getUserBySub(call.pool.id, String(state.sub));
  if (!user) throw sessionExpired();
  await checkNamesUser(ctx.services.storage, call.pool, username, user);
  if (deviceKey !== state.deviceKey) throw deviceNotFound();
  const device = await requireSignInDevice(ctx.services.storage, call.pool, user.sub, deviceKey);
  return issueDevicePasswordVerifier(ctx, call, user, device, A, state.mfaSettled === true);
}

export const deviceSrpAuth: AuthChallenge = { username: true, run: answer };
