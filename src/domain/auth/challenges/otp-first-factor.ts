/**
 * EMAIL_OTP and SMS_OTP as first factors of USER_AUTH (passwordless sign-in): a sign-in code from
 * the one-time-code module (otp.ts) sent to the user's verified email address or phone number,
 * answered with EMAIL_OTP_CODE / SMS_OTP_CODE. The challenge names are the ones MFA uses for email
 * (EMAIL_OTP) too, so the engine's EMAIL_OTP answer comes here when its session is a first
 * factor's and goes on to the MFA answer otherwise.
 *
 * Cognito does not combine MFA with passwordless sign-in: the factor is offered only to a user with
 * no MFA factor turned on, in a pool where MFA is not required, and the code completes the sign-in
 * without an MFA challenge. Where the app client hides which users exist, a name no user has is
 * answered like a user with the address: a challenge with a simulated destination (no message
 * goes out), and every code it is answered with is wrong.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { CodeMismatchException, NotAuthorizedException } from "../../../generated/exceptions.ts";
import type { UserRecord } from "../../../storage/records.ts";
import type { Subject } from "../../counters.ts";
import { sessionExpired } from "../../errors.ts";
import { simulateCodeSend, simulateWrongCode } from "../../messaging/codes.ts";
import { simulatedDetails } from "../../messaging/destinations.ts";
import { activeFactors } from "../../mfa/pool-config.ts";
import { userFactors, userMfa } from "../../mfa/user-mfa.ts";
import { isTrue } from "../../pools/schema.ts";
import { findUser, subjectOf } from "../../users/users.ts";
import {
  checkSignInCode,
  sendSignInCode,
  signInDestination,
  type SignInCodeChannel,
  wrongSignInCode,
} from "../otp.ts";
import { optional, required } from "../params.ts";
import { consumeSession, openSession, readSession } from "../sessions.ts";
import type { SignInTarget } from "../sign-in.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep } from "../types.ts";
import { clearMfaFailures, reserveMfaCheck } from "./mfa.ts";

type OtpChallenge = "EMAIL_OTP" | "SMS_OTP";

const CHALLENGE: Record<SignInCodeChannel, OtpChallenge> = { EMAIL: "EMAIL_OTP", SMS: "SMS_OTP" };
const CODE_NAME: Record<SignInCodeChannel, string> = { EMAIL: "EMAIL_OTP_CODE", SMS: "SMS_OTP_CODE" };

/** The user's verified address on the channel (email_verified / phone_number_verified). */
function verifiedDestination(user: UserRecord, channel: SignInCodeChannel) {
  const verified = channel === "EMAIL" ? "email_verified" : "phone_number_verified";
  return isTrue(user.attributes[verified]) ? signInDestination(user, channel) : undefined;
}

/**
 * Whether the target may sign in with a code on `channel`: a verified address, MFA not required by
 * the pool, and no MFA factor of the user's turned on (Cognito offers passwordless sign-in only to
 * users without MFA). A name no user has (the client hides users) may, like a user with the address.
 */
export async function otpAvailable(
  ctx: RequestContext,
  call: SignInCaller,
  target: SignInTarget,
  channel: SignInCodeChannel,
): Promise<boolean> {
  const { user } = target;
  if (call.pool.settings.MfaConfiguration === "ON") return false;
  if (!user) return true;
  if (!verifiedDestination(user, channel)) return false;
  if ((call.pool.settings.MfaConfiguration ?? "OFF") === "OFF") return true;
  const offered = activeFactors(call.pool);
  return !userFactors(await userMfa(ctx.services.storage, user)).some((f) => offered.includes(f));
}

/** Sends the code and answers the challenge with where it went. */
export async function issueOtpFirstFactor(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  target: SignInTarget,
  channel: SignInCodeChannel,
): Promise<AuthOutcome> {
  const challenge = CHALLENGE[channel];
  const deviceKey = optional(params, "DEVICE_KEY");
  const to = target.user ? verifiedDestination(target.user, channel) : undefined;
  let details;
  if (target.user && to)
    details = await sendSignInCode(ctx, call.pool, target.user, to, {
      clientId: call.client.clientId,
      clientMetadata: call.clientMetadata,
    });
  else {
    await simulateCodeSend(ctx, call.pool.id, target.subject, `sign_in:${channel}`);
    details = simulatedDetails(ctx, call.pool, target.name, channel);
  }
  const Session = await openSession(ctx, call.client, {
    challenge,
    firstFactor: true,
    subject: target.subject,
    ...(deviceKey === undefined ? {} : { deviceKey }),
  });
  return {
    ChallengeName: challenge,
    Session,
    ChallengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
      CODE_DELIVERY_DESTINATION: details.Destination!,
    },
  };
}

/** The answer: the code of the session's user, once; the sign-in then needs no MFA. */
async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  channel: SignInCodeChannel,
  responses: AuthParams,
  session: string,
  state: Record<string, unknown>,
  username: string,
): Promise<AuthStep> {
  const code = required(responses, CODE_NAME[channel]);
  if (state.challenge !== CHALLENGE[channel]) throw sessionExpired();
  const user = await findUser(ctx.services.storage, call.pool, username);
  const subject: Subject = subjectOf(call.pool, user, username);
  if (JSON.stringify(subject) !== JSON.stringify(state.subject))
    throw new NotAuthorizedException("Invalid session for the user.");
  if (!user)
    return simulateWrongCode(ctx, call.pool.id, subject, `sign_in:${channel}`).catch((e: unknown) => {
      throw e instanceof CodeMismatchException ? wrongSignInCode() : e;
    });
  await reserveMfaCheck(ctx, call.pool.id, user.sub);
  const signedIn = await checkSignInCode(ctx, call.pool.id, user.sub, channel, code, async (tx) => {
    await consumeSession(tx, ctx, call.client, session);
    await clearMfaFailures(tx, call.pool.id, user.sub);
    return user;
  });
  const deviceKey =
    optional(responses, "DEVICE_KEY") ?? (typeof state.deviceKey === "string" ? state.deviceKey : undefined);
  return {
    signedIn,
    mfaSettled: true,
    session,
    ...(deviceKey === undefined ? {} : { deviceKey }),
  };
}

/**
 * The challenge `channel`'s code answers: a first factor's session here, any other (EMAIL_OTP as an
 * MFA challenge) to `mfa`.
 */
export function signInCodeChallenge(channel: SignInCodeChannel, mfa?: AuthChallenge): AuthChallenge {
  return {
    username: true,
    async run(ctx, call, responses, session, username) {
      if (!session) {
        if (mfa?.username) return mfa.run(ctx, call, responses, session, username);
        throw sessionExpired();
      }
      const state = await readSession(ctx, call.client, session);
      if (state.firstFactor === true) return answer(ctx, call, channel, responses, session, state, username);
      if (!mfa?.username) throw sessionExpired();
      return mfa.run(ctx, call, responses, session, username);
    },
  };
}
