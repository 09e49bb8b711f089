/**
 * The MFA challenges, after the password (completeSignIn calls `mfaStep`): SMS_MFA, EMAIL_OTP and
 * SOFTWARE_TOKEN_MFA (a code), SELECT_MFA_TYPE (the user has several factors and prefers none) and
 * MFA_SETUP (MFA is ON and the user has no factor yet: the setup goes on with AssociateSoftwareToken
 * and VerifySoftwareToken on the session, or with an EMAIL address). Each answer ends in the tokens
 * (the engine's completeSignIn, with the MFA settled: devices/ may still ask the device to prove
 * itself, then issueSignInTokens).
 *
 * Which factor: the user's enabled factors the pool offers; the preferred one if it is among them,
 * the only one, or the user's choice (SELECT_MFA_TYPE). With MFA ON, a user who turned no factor on
 * is challenged with what they can receive (a verified authenticator, a phone number for SMS, an
 * email address for email), as Cognito documents; with none of these, MFA_SETUP.
 *
 * Failed codes: after five wrong MFA codes the user's MFA step locks out with Cognito's doubling
 * lockout (1 s, 2 s, ... up to 15 minutes; lockout.ts), counted apart from passwords so that a
 * correct password does not clear it; only a correct code does. A wrong code leaves the session
 * usable for another try, as Cognito's does.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { totpStep } from "../../../crypto/totp.ts";
import {
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
} from "../../../generated/exceptions.ts";
import type { ChallengeNameType } from "../../../generated/types.ts";
import type { UserMfaFactor, UserRecord } from "../../../storage/records.ts";
import type { Transaction } from "../../../storage/storage.ts";
import { audit } from "../../audit.ts";
import { counterKey } from "../../counters.ts";
import { passwordAttemptsExceeded, sessionExpired } from "../../errors.ts";
import { activeFactors, poolFactors } from "../../mfa/pool-config.ts";
import { openTotpSecret, userFactors, userMfa } from "../../mfa/user-mfa.ts";
import { findUser, claimAliases } from "../../users/users.ts";
import { afterFailure, isLockedOut } from "../lockout.ts";
import { checkSignInCode, sendSignInCode, signInDestination } from "../otp.ts";
import { required } from "../params.ts";
import { consumeSession, openSession, readSession } from "../sessions.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, SignedIn } from "../types.ts";

const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const mfaCounterKey = (sub: string) => counterKey("mfa", { sub });

/** Throws "Password attempts exceeded" while the user's MFA step is locked out. */
async function checkMfaLockout(ctx: RequestContext, poolId: string, sub: string): Promise<void> {
  const counter = await ctx.services.storage.transaction((tx) =>
    tx.codes.lockCounter(poolId, mfaCounterKey(sub)),
  );
  if (isLockedOut(counter, ctx.now)) throw passwordAttemptsExceeded();
}

/**
 * Reserves one sign-in code check (an MFA code, or a one-time-password first factor's), counted as
 * a failure until `clearMfaFailures`, or the lockout.
 */
export async function reserveMfaCheck(ctx: RequestContext, poolId: string, sub: string): Promise<void> {
  const locked = await ctx.services.storage.transaction(async (tx) => {
    const counter = await tx.codes.lockCounter(poolId, mfaCounterKey(sub));
    if (isLockedOut(counter, ctx.now)) return true;
    await tx.codes.putCounter(afterFailure(counter, ctx.now));
    return false;
  });
  if (locked) {
    audit(ctx, "MFA code refused: locked out", { poolId, sub });
    throw passwordAttemptsExceeded();
  }
}

export const clearMfaFailures = (tx: Transaction, poolId: string, sub: string) =>
  tx.codes.deleteCounter(poolId, mfaCounterKey(sub));

/** The factors this sign-in may use for the user, and what MFA_SETUP would offer. */
async function factorsFor(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<{ candidates: UserMfaFactor[]; preferred?: UserMfaFactor }> {
  const offered = activeFactors(call.pool);
  const m = await userMfa(ctx.services.storage, user);
  const enabled = userFactors(m).filter((f) => offered.includes(f));
  if (enabled.length > 0 || call.pool.settings.MfaConfiguration !== "ON")
    return { candidates: enabled, ...(m.preferred ? { preferred: m.preferred } : {}) };
  const implicit: UserMfaFactor[] = [];
  if (offered.includes("SMS_MFA") && user.attributes.phone_number) implicit.push("SMS_MFA");
  if (offered.includes("SOFTWARE_TOKEN_MFA") && m.totpVerified && m.totpSecret)
    implicit.push("SOFTWARE_TOKEN_MFA");
  if (offered.includes("EMAIL_OTP") && user.attributes.email) implicit.push("EMAIL_OTP");
  return { candidates: implicit };
}

/**
 * The MFA challenge the user must answer after the password, or undefined when the sign-in needs
 * none (MFA OFF, or OPTIONAL and the user has no factor).
 */
export async function mfaStep(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  deviceKey?: string,
): Promise<AuthOutcome | undefined> {
  const device = deviceKey === undefined ? {} : { deviceKey };
  const mode = call.pool.settings.MfaConfiguration ?? "OFF";
  if (mode === "OFF" || poolFactors(call.pool.settings).length === 0) return undefined;
  const { candidates, preferred } = await factorsFor(ctx, call, user);
  if (candidates.length === 0) {
    if (mode !== "ON") return undefined;
    return issueSetup(ctx, call, user, device);
  }
  await checkMfaLockout(ctx, call.pool.id, user.sub);
  if (preferred && candidates.includes(preferred)) return issueFactor(ctx, call, user, preferred, device);
  if (candidates.length === 1) return issueFactor(ctx, call, user, candidates[0]!, device);
  const Session = await openSession(ctx, call.client, {
    challenge: "SELECT_MFA_TYPE",
    sub: user.sub,
    choices: candidates,
    admin: call.kind === "adminClient",
    ...device,
  });
  return {
    ChallengeName: "SELECT_MFA_TYPE",
    Session,
    ChallengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(candidates) },
  };
}

/**
 * The MFA challenge threat protection asks for (adaptive authentication's MFA_IF_CONFIGURED and
 * MFA_REQUIRED), whatever the pool's own MFA configuration: the user's enabled factor (the
 * preferred one first), else one the user can receive: a verified authenticator, an email address,
 * a phone number. With `poolFactorsOnly` (MFA_IF_CONFIGURED), only the factors the pool offers.
 * Undefined when there is none.
 */
export async function riskMfaStep(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  deviceKey: string | undefined,
  poolFactorsOnly: boolean,
): Promise<AuthOutcome | undefined> {
  const device = deviceKey === undefined ? {} : { deviceKey };
  const m = await userMfa(ctx.services.storage, user);
  const allowed = (f: UserMfaFactor) => !poolFactorsOnly || activeFactors(call.pool).includes(f);
  const enabled = userFactors(m).filter(allowed);
  const possible: UserMfaFactor[] = [];
  if (m.totpVerified && m.totpSecret) possible.push("SOFTWARE_TOKEN_MFA");
  if (user.attributes.email) possible.push("EMAIL_OTP");
  if (user.attributes.phone_number) possible.push("SMS_MFA");
  const factor =
    m.preferred && enabled.includes(m.preferred) ? m.preferred : (enabled[0] ?? possible.filter(allowed)[0]);
  if (factor === undefined) return undefined;
  await checkMfaLockout(ctx, call.pool.id, user.sub);
  return issueFactor(ctx, call, user, factor, device);
}

/** What an MFA session carries on: the DEVICE_KEY the sign-in came with. */
type DeviceState = { deviceKey?: string };

async function issueSetup(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  device: DeviceState,
): Promise<AuthOutcome> {
  const canSetUp = poolFactors(call.pool.settings);
  const Session = await openSession(ctx, call.client, {
    challenge: "MFA_SETUP",
    sub: user.sub,
    admin: call.kind === "adminClient",
    ...device,
  });
  return {
    ChallengeName: "MFA_SETUP",
    Session,
    ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify(canSetUp) },
  };
}

/** Issues the challenge of one factor: a code sent (SMS, email), or a TOTP code asked for. */
async function issueFactor(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  factor: UserMfaFactor,
  device: DeviceState,
  setupEmail?: string,
): Promise<AuthOutcome> {
  const state: Record<string, unknown> = {
    challenge: factor,
    sub: user.sub,
    admin: call.kind === "adminClient",
    ...device,
  };
  if (factor === "SOFTWARE_TOKEN_MFA") {
    return {
      ChallengeName: factor,
      Session: await openSession(ctx, call.client, state),
      ChallengeParameters: {},
    };
  }
  const to = setupEmail
    ? { medium: "EMAIL" as const, attribute: "email" as const, address: setupEmail }
    : signInDestination(user, factor === "SMS_MFA" ? "SMS" : "EMAIL");
  if (!to) throw new InvalidParameterException(`User does not have delivery config set to turn on ${factor}`);
  if (setupEmail) state.setupEmail = setupEmail;
  const details = await sendSignInCode(ctx, call.pool, user, to, {
    clientId: call.client.clientId,
    clientMetadata: call.clientMetadata,
  });
  return {
    ChallengeName: factor,
    Session: await openSession(ctx, call.client, state),
    ChallengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
      CODE_DELIVERY_DESTINATION: details.Destination!,
    },
  };
}

function deviceOf(state: Record<string, unknown>): DeviceState {
  return typeof state.deviceKey === "string" ? { deviceKey: state.deviceKey } : {};
}

/** The user, MFA answered: the engine goes on to the device (if any) and the tokens. */
function settled(
  s: { state: Record<string, unknown>; session: string },
  responses: AuthParams,
  user: UserRecord,
): SignedIn {
  const deviceKey = responses?.DEVICE_KEY ?? deviceOf(s.state).deviceKey;
  return {
    signedIn: user,
    mfaSettled: true,
    session: s.session,
    ...(deviceKey === undefined ? {} : { deviceKey }),
  };
}

/** The session of a challenge `name`, and the user it is for (whom USERNAME must name too). */
async function sessionUser(
  ctx: RequestContext,
  call: SignInCaller,
  name: ChallengeNameType,
  session: string | undefined,
  username: string,
): Promise<{ state: Record<string, unknown>; user: UserRecord; session: string }> {
  if (!session) throw sessionExpired();
  const state = await readSession(ctx, call.client, session);
  if (state.challenge !== name) throw sessionExpired();
  const user = await ctx.services.storage.users.getUserBySub(call.pool.id, String(state.sub));
  if (!user) throw sessionExpired();
  const named = username === "" ? user : await findUser(ctx.services.storage, call.pool, username);
  if (named?.sub !== user.sub) throw new NotAuthorizedException("Invalid session for the user.");
  if (!user.enabled) throw new NotAuthorizedException("User is disabled.");
  return { state, user, session };
}

/** SMS_MFA and EMAIL_OTP: the code sent. */
function codeChallenge(name: "SMS_MFA" | "EMAIL_OTP", codeName: string): AuthChallenge {
  return {
    username: true,
    async run(ctx, call, responses: AuthParams, session, username) {
      const code = required(responses, codeName);
      const s = await sessionUser(ctx, call, name, session, username);
      await reserveMfaCheck(ctx, call.pool.id, s.user.sub);
      const setupEmail = typeof s.state.setupEmail === "string" ? s.state.setupEmail : undefined;
      const user = await checkSignInCode(
        ctx,
        call.pool.id,
        s.user.sub,
        name === "SMS_MFA" ? "SMS" : "EMAIL",
        code,
        async (tx) => {
          await consumeSession(tx, ctx, call.client, s.session);
          await clearMfaFailures(tx, call.pool.id, s.user.sub);
          return setupEmail ? enableEmailMfa(tx, ctx, call, s.user.sub, setupEmail) : s.user;
        },
      );
      return settled(s, responses, user);
    },
  };
}

/** MFA_SETUP with an email address: the address becomes the user's (verified) and email MFA is on. */
async function enableEmailMfa(
  tx: Transaction,
  ctx: RequestContext,
  call: SignInCaller,
  sub: string,
  address: string,
): Promise<UserRecord> {
  const current = await tx.users.getUserBySub(call.pool.id, sub);
  if (!current) throw sessionExpired();
  const next: UserRecord = {
    ...current,
    attributes: { ...current.attributes, email: address, email_verified: "true" },
    updatedAt: ctx.now,
  };
  await claimAliases(tx, call.pool, next, false, ctx.now);
  await tx.users.updateUser(next);
  const m = (await tx.mfa.getUserMfa(call.pool.id, sub)) ?? {
    poolId: call.pool.id,
    sub,
    totpVerified: false,
    totpEnabled: false,
    smsEnabled: false,
    emailEnabled: false,
    updatedAt: ctx.now,
  };
  await tx.mfa.putUserMfa({ ...m, emailEnabled: true, updatedAt: ctx.now });
  return next;
}

export const smsMfa = codeChallenge("SMS_MFA", "SMS_MFA_CODE");
export const emailOtp = codeChallenge("EMAIL_OTP", "EMAIL_OTP_CODE");

/** SOFTWARE_TOKEN_MFA: a code of the user's authenticator, once per time step. */
export const softwareTokenMfa: AuthChallenge = {
  username: true,
  async run(ctx, call, responses, session, username) {
    const code = required(responses, "SOFTWARE_TOKEN_MFA_CODE");
    const s = await sessionUser(ctx, call, "SOFTWARE_TOKEN_MFA", session, username);
    await reserveMfaCheck(ctx, call.pool.id, s.user.sub);
    const m = await userMfa(ctx.services.storage, s.user);
    const secret = openTotpSecret(ctx, m);
    const step = secret === undefined ? undefined : await totpStep(secret, code, ctx.now);
    const accepted =
      step !== undefined &&
      (await ctx.services.storage.transaction(async (tx) => {
        if (!(await tx.mfa.acceptTotpStep(call.pool.id, s.user.sub, step, ctx.now))) return false;
        await consumeSession(tx, ctx, call.client, s.session);
        await clearMfaFailures(tx, call.pool.id, s.user.sub);
        return true;
      }));
    if (!accepted) {
      audit(ctx, "MFA code refused", {
        poolId: call.pool.id,
        sub: s.user.sub,
        challenge: "SOFTWARE_TOKEN_MFA",
      });
      throw new CodeMismatchException("Invalid code received for user");
    }
    return settled(s, responses, s.user);
  },
};

/** SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; its challenge follows. */
export const selectMfaType: AuthChallenge = {
  username: true,
  async run(ctx, call, responses, session, username) {
    const answer = required(responses, "ANSWER");
    const s = await sessionUser(ctx, call, "SELECT_MFA_TYPE", session, username);
    const choices = (s.state.choices as UserMfaFactor[] | undefined) ?? [];
    if (!choices.includes(answer as UserMfaFactor))
      throw new InvalidParameterException(
        `Invalid MFA type selected: ${answer}. Choose one of ${choices.join(", ")}.`,
      );
    await ctx.services.storage.transaction((tx) => consumeSession(tx, ctx, call.client, s.session));
    return issueFactor(ctx, call, s.user, answer as UserMfaFactor, deviceOf(s.state));
  },
};

/**
 * MFA_SETUP: answered on the session VerifySoftwareToken returned (the authenticator is set up:
 * tokens), or with EMAIL, an address to set up email MFA with (an EMAIL_OTP challenge follows,
 * with a code sent there).
 */
export const mfaSetup: AuthChallenge = {
  username: true,
  async run(ctx, call, responses, session, username) {
    const s = await sessionUser(ctx, call, "MFA_SETUP", session, username);
    const email = responses?.EMAIL;
    if (email !== undefined) {
      if (!poolFactors(call.pool.settings).includes("EMAIL_OTP"))
        throw new InvalidParameterException("Email MFA is not enabled for this user pool.");
      if (!EMAIL_FORMAT.test(email)) throw new InvalidParameterException("Invalid email address format.");
      await ctx.services.storage.transaction((tx) => consumeSession(tx, ctx, call.client, s.session));
      return issueFactor(ctx, call, s.user, "EMAIL_OTP", deviceOf(s.state), email);
    }
    if (s.state.setUp !== "SOFTWARE_TOKEN_MFA") throw wrongSetup();
    await ctx.services.storage.transaction((tx) => consumeSession(tx, ctx, call.client, s.session));
    return settled(s, responses, s.user);
  },
};

function wrongSetup(): InvalidParameterException {
  return new InvalidParameterException(
    "MFA_SETUP needs the session of a successful VerifySoftwareToken, or an EMAIL to set up email MFA with.",
  );
}
