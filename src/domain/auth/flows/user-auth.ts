/**
 * USER_AUTH, choice-based sign-in: the user signs in with one of the first factors the pool allows
 * (Policies.SignInPolicy.AllowedFirstAuthFactors) and they can use. PREFERRED_CHALLENGE starts that
 * factor straight away when it is available; otherwise (or without one) the answer is
 * SELECT_CHALLENGE with AvailableChallenges, answered with ANSWER (and, for PASSWORD and
 * PASSWORD_SRP, the PASSWORD or SRP_A that factor starts with). The factors reuse the password and
 * SRP flows, the WEB_AUTHN challenge and the sign-in codes (EMAIL_OTP, SMS_OTP); after the first factor the user goes on through
 * completeSignIn like any other sign-in.
 *
 * InitiateAuth with the Session of a successful ConfirmSignUp signs that user in once: the code
 * they confirmed with stands for the first factor.
 */
import { NotAuthorizedException, InvalidParameterException } from "../../../generated/exceptions.ts";
import type { AuthFactorType, ChallengeNameType } from "../../../generated/types.ts";
import type { ClientRecord } from "../../../storage/records.ts";
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { sessionExpired } from "../../errors.ts";
import { usablePasskeys } from "../../passkeys/assertion.ts";
import { allowedFirstFactors } from "../../passkeys/config.ts";
import { issueOtpFirstFactor, otpAvailable } from "../challenges/otp-first-factor.ts";
import { issueWebAuthn } from "../challenges/web-authn.ts";
import { optional, required } from "../params.ts";
import { consumeSession, openSession, readSession, takeSession } from "../sessions.ts";
import { beginSignIn, signInUser, type SignInTarget } from "../sign-in.ts";
import type { AuthChallenge, AuthFlow, AuthParams, AuthStep } from "../types.ts";
import { passwordFlow } from "./password.ts";
import { srpFlow } from "./srp.ts";

/** A first factor of USER_AUTH. */
interface FirstFactor {
  /** The AllowedFirstAuthFactors entry that permits it. */
  factor: AuthFactorType;
  /**
   * Whether the user can use it. A name no user has (reached only when the client hides which
   * users exist) looks like a user with a password and nothing else.
   */
  available(ctx: RequestContext, call: SignInCaller, target: SignInTarget): Promise<boolean>;
  /** Starts it, with the parameters that came with the choice (PASSWORD, SRP_A). */
  start(ctx: RequestContext, call: SignInCaller, params: AuthParams, target: SignInTarget): Promise<AuthStep>;
}

const hasPassword = async (_ctx: RequestContext, _call: SignInCaller, t: SignInTarget): Promise<boolean> =>
  t.user === undefined || t.user.password !== undefined;

/** A one-time-password first factor: a sign-in code sent to the user's verified address. */
const otpFactor = (factor: "EMAIL_OTP" | "SMS_OTP", channel: "EMAIL" | "SMS"): FirstFactor => ({
  factor,
  available: (ctx, call, t) => otpAvailable(ctx, call, t, channel),
  start: (ctx, call, p, t) => issueOtpFirstFactor(ctx, call, p, t, channel),
});

/**
 * The first factors, in the order AvailableChallenges lists them. EMAIL_OTP and SMS_OTP send a
 * sign-in code (challenges/otp-first-factor.ts).
 */
const FIRST_FACTORS = new Map<ChallengeNameType, FirstFactor>([
  [
    "WEB_AUTHN",
    {
      factor: "WEB_AUTHN",
      available: async (ctx, call, t) =>
        t.user !== undefined && (await usablePasskeys(ctx, call.pool, t.user)).length > 0,
      start: async (ctx, call, _params, t) => {
        if (!t.user) throw new NotAuthorizedException("Incorrect username or password.");
        return issueWebAuthn(ctx, call, t.user, await usablePasskeys(ctx, call.pool, t.user));
      },
    },
  ],
  [
    "PASSWORD",
    {
      factor: "PASSWORD",
      available: hasPassword,
      start: (ctx, call, p, t) => passwordFlow(ctx, call, p, t.name, false),
    },
  ],
  [
    "PASSWORD_SRP",
    {
      factor: "PASSWORD",
      available: hasPassword,
      start: (ctx, call, p, t) => srpFlow(ctx, call, p, t.name, false),
    },
  ],
  ["EMAIL_OTP", otpFactor("EMAIL_OTP", "EMAIL")],
  ["SMS_OTP", otpFactor("SMS_OTP", "SMS")],
]);

/** The first factors of the pool (those its AllowedFirstAuthFactors permit). */
function offered(call: SignInCaller): [ChallengeNameType, FirstFactor][] {
  const allowed = allowedFirstFactors(call.pool);
  return [...FIRST_FACTORS].filter(([, f]) => allowed.has(f.factor));
}

async function run(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  username: string,
): Promise<AuthStep> {
  // The start of the sign-in: PreAuthentication runs here (not on the challenge answers that follow).
  const target = await beginSignIn(ctx, call, username);
  const factors = offered(call);
  const preferred = params?.PREFERRED_CHALLENGE;
  const chosen = factors.find(([name]) => name === preferred)?.[1];
  if (chosen && (await chosen.available(ctx, call, target))) return chosen.start(ctx, call, params, target);
  const available: ChallengeNameType[] = [];
  for (const [name, f] of factors) if (await f.available(ctx, call, target)) available.push(name);
  if (available.length === 0)
    throw new NotAuthorizedException("No sign-in factor is available for the user.");
  const session = await openSession(ctx, call.client, {
    challenge: "SELECT_CHALLENGE",
    subject: target.subject,
    available,
  });
  return {
    ChallengeName: "SELECT_CHALLENGE",
    Session: session,
    ChallengeParameters: {},
    AvailableChallenges: available,
  };
}

/** SELECT_CHALLENGE's answer: ANSWER names an available factor, which starts (once per session). */
async function select(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const answer = required(responses, "ANSWER");
  if (!session) throw sessionExpired();
  const state = await readSession(ctx, call.client, session);
  if (state.challenge !== "SELECT_CHALLENGE") throw sessionExpired();
  const target = await signInUser(ctx, call, username);
  if (JSON.stringify(target.subject) !== JSON.stringify(state.subject))
    throw new NotAuthorizedException("Incorrect username or password.");
  const factor = FIRST_FACTORS.get(answer as ChallengeNameType);
  if (!factor || !(state.available as string[]).includes(answer))
    throw new InvalidParameterException(`The challenge ${answer} is not available for this user.`);
  await ctx.services.storage.transaction((tx) => consumeSession(tx, ctx, call.client, session));
  return factor.start(ctx, call, responses, target);
}

/** InitiateAuth with ConfirmSignUp's Session: that user, once, without another factor. */
async function resume(
  ctx: RequestContext,
  call: SignInCaller,
  params: AuthParams,
  session: string,
  username: string,
): Promise<AuthStep> {
  const state = await takeSession(ctx, call.client, session);
  if (state.challenge !== "CONFIRM_SIGN_UP") throw sessionExpired();
  const { user } = await signInUser(ctx, call, username);
  if (!user || user.sub !== state.sub) throw sessionExpired();
  const deviceKey = optional(params, "DEVICE_KEY");
  return { signedIn: user, ...(deviceKey === undefined ? {} : { deviceKey }) };
}

/** The Session ConfirmSignUp answers with, for USER_AUTH to resume. */
export function openSignUpSession(ctx: RequestContext, client: ClientRecord, sub: string): Promise<string> {
  return openSession(ctx, client, { challenge: "CONFIRM_SIGN_UP", sub });
}

export const userAuth: AuthFlow = { allow: "ALLOW_USER_AUTH", username: true, run, resume };

export const selectChallenge: AuthChallenge = { username: true, run: select };
