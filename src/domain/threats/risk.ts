/**
 * Adaptive authentication: threat protection's judgement of each sign-in, after the password (or
 * another first factor) and the user's state, before the device challenge, MFA and the tokens.
 *
 * The risk comes from deterministic signals, Lanyard's local stand-in for Cognito's model:
 * the sign-in's IP address and its device (the DEVICE_KEY it names, else its User-Agent) against
 * those of the user's earlier successful sign-ins (the newest 50 events):
 * - the user's first sign-in: no risk (there is nothing to compare with);
 * - an IP address or a device of an event marked Invalid by feedback: High;
 * - a new IP address and a new device: High;
 * - a new IP address, a known device: Medium;
 * - a known IP address, a new device: Low;
 * - both known: no risk.
 * An IP address or device of an event marked Valid by feedback counts as known.
 *
 * In ENFORCED mode the configured action of the risk level applies (BLOCK, MFA_IF_CONFIGURED,
 * MFA_REQUIRED, NO_ACTION), with its notification email when Notify is set; in AUDIT mode the event
 * is only recorded. RiskExceptionConfiguration: an IP address in SkippedIPRangeList is not judged
 * (no risk); one in BlockedIPRangeList is blocked.
 */
import type { SignInCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import { NotAuthorizedException, PasswordResetRequiredException } from "../../generated/exceptions.ts";
import type {
  AccountTakeoverActionType,
  ChallengeResponseType,
  EventRiskType,
  RiskLevelType,
} from "../../generated/types.ts";
import type { AuthEventRecord, UserRecord } from "../../storage/records.ts";
import { riskMfaStep } from "../auth/challenges/mfa.ts";
import type { AuthOutcome, SignedIn } from "../auth/types.ts";
import { audit } from "../audit.ts";
import { type AuthEventInput, recentEvents, recordAuthEvent, updateAuthEvent } from "./auth-events.ts";
import { effectiveRiskConfiguration, inRanges, threatMode } from "./config.ts";
import { signalsOf } from "./context.ts";
import { notifyUser } from "./notify.ts";

const PASSWORD_OK: ChallengeResponseType = { ChallengeName: "Password", ChallengeResponse: "Success" };

/** An event still InProgress this long ago is the sign-in an MFA answer completes. */
const PENDING_MS = 15 * 60 * 1000;

function blocked(): NotAuthorizedException {
  return new NotAuthorizedException("Unable to login because of security reasons.");
}

/** The risk level of a sign-in from `ip` on `device`, from the user's history (see above). */
export function riskLevel(
  history: readonly AuthEventRecord[],
  ip: string | undefined,
  device: string | undefined,
): RiskLevelType | undefined {
  const deviceOf = (e: AuthEventRecord) => e.data.deviceKey ?? e.data.userAgent;
  const invalid = history.filter((e) => e.data.EventFeedback?.FeedbackValue === "Invalid");
  if (
    invalid.some(
      (e) => (ip && e.data.EventContextData?.IpAddress === ip) || (device && deviceOf(e) === device),
    )
  )
    return "High";
  const trusted = history.filter(
    (e) =>
      e.data.EventType === "SignIn" &&
      e.data.EventFeedback?.FeedbackValue !== "Invalid" &&
      (e.data.EventResponse === "Pass" || e.data.EventFeedback?.FeedbackValue === "Valid"),
  );
  if (trusted.length === 0) return undefined;
  const newIp = ip !== undefined && !trusted.some((e) => e.data.EventContextData?.IpAddress === ip);
  const newDevice = device !== undefined && !trusted.some((e) => deviceOf(e) === device);
  if (newIp && newDevice) return "High";
  if (newIp) return "Medium";
  if (newDevice) return "Low";
  return undefined;
}

/**
 * How a sign-in's caller sees its end: the API's AuthOutcome (tokens, or a challenge), the managed
 * login's step (a signed-in user, or a challenge).
 */
export interface SignInEnd<T> {
  /** Whether the sign-in is complete (tokens, or a signed-in user). */
  ended(outcome: T): boolean;
  /** A challenge threat protection asks for, as the caller answers it. */
  challenge(outcome: AuthOutcome): T;
}

/** The API's end of a sign-in: tokens, or the next challenge. */
export const API_SIGN_IN_END: SignInEnd<AuthOutcome> = {
  ended: (o) => o.AuthenticationResult !== undefined,
  challenge: (o) => o,
};

/** Runs the rest of the sign-in and records its event with what became of it. */
async function runRecorded<T>(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  event: AuthEventInput,
  next: () => Promise<T>,
  end: SignInEnd<T>,
): Promise<T> {
  let outcome: T;
  try {
    outcome = await next();
  } catch (e) {
    await recordAuthEvent(ctx, call.pool, user, { ...event, response: "Fail" });
    throw e;
  }
  await recordAuthEvent(ctx, call.pool, user, {
    ...event,
    response: end.ended(outcome) ? "Pass" : "InProgress",
  });
  return outcome;
}

/** A sign-in whose MFA was just answered: its pending event gets the answer and, with the tokens, Pass. */
async function completePending<T>(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  next: () => Promise<T>,
  end: SignInEnd<T>,
): Promise<T> {
  const pending = (await recentEvents(ctx, call.pool, user.sub, 5)).find(
    (e) =>
      e.data.EventType === "SignIn" &&
      e.data.EventResponse === "InProgress" &&
      ctx.now - e.createdAt < PENDING_MS,
  );
  const outcome = await next();
  if (pending) {
    const challenges = [...(pending.data.ChallengeResponses ?? [])];
    challenges.push({ ChallengeName: "Mfa", ChallengeResponse: "Success" });
    await updateAuthEvent(ctx, {
      ...pending,
      data: {
        ...pending.data,
        ChallengeResponses: challenges,
        EventResponse: end.ended(outcome) ? "Pass" : "InProgress",
      },
    });
  }
  return outcome;
}

/**
 * Threat protection's step of a sign-in (completeSignIn calls it once): judges the sign-in,
 * records its event, and blocks it, asks for MFA, or lets `next` (the device challenge, MFA and the
 * tokens) go on. Does nothing while the pool's threat protection is OFF. `end` says how the caller
 * sees the sign-in's end (API_SIGN_IN_END for the API; the managed login pages have their own).
 */
export async function guardSignIn<T>(
  ctx: RequestContext,
  call: SignInCaller,
  step: SignedIn,
  next: () => Promise<T>,
  end: SignInEnd<T>,
): Promise<T> {
  const mode = threatMode(call.pool);
  if (mode === "OFF") return next();
  const user = step.signedIn;
  if (step.mfaSettled) return completePending(ctx, call, user, next, end);
  const { ipAddress, userAgent } = signalsOf(ctx, call.userContext);
  const config = await effectiveRiskConfiguration(ctx.services.storage, call.pool.id, call.client.clientId);
  const exceptions = config.RiskExceptionConfiguration;
  const compromised = step.compromisedCredentials;
  const event: AuthEventInput = {
    type: "SignIn",
    response: "InProgress",
    challenges: [PASSWORD_OK],
    ...(ipAddress === undefined ? {} : { ipAddress }),
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(step.deviceKey === undefined ? {} : { deviceKey: step.deviceKey }),
  };
  const withRisk = (risk: EventRiskType): AuthEventInput => ({
    ...event,
    risk: { ...risk, CompromisedCredentialsDetected: compromised?.detected === true },
  });
  const enforced = mode === "ENFORCED";

  if (inRanges(ipAddress, exceptions?.BlockedIPRangeList)) {
    if (!enforced) return runRecorded(ctx, call, user, withRisk({ RiskDecision: "Block" }), next, end);
    await recordAuthEvent(ctx, call.pool, user, { ...withRisk({ RiskDecision: "Block" }), response: "Fail" });
    audit(ctx, "sign-in blocked: IP address on the blocked list", { poolId: call.pool.id, sub: user.sub });
    throw blocked();
  }
  if (inRanges(ipAddress, exceptions?.SkippedIPRangeList))
    return runRecorded(ctx, call, user, withRisk({ RiskDecision: "NoRisk" }), next, end);

  if (compromised?.block) {
    await ctx.services.storage.transaction(async (tx) => {
      const current = await tx.users.getUserBySub(call.pool.id, user.sub);
      if (current) await tx.users.updateUser({ ...current, status: "RESET_REQUIRED", updatedAt: ctx.now });
    });
    await recordAuthEvent(ctx, call.pool, user, { ...withRisk({ RiskDecision: "Block" }), response: "Fail" });
    audit(ctx, "sign-in blocked: compromised credentials", { poolId: call.pool.id, sub: user.sub });
    throw new PasswordResetRequiredException("Password reset required for the user");
  }

  const history = await recentEvents(ctx, call.pool, user.sub);
  const level = riskLevel(history, ipAddress, step.deviceKey ?? userAgent);
  if (level === undefined)
    return runRecorded(ctx, call, user, withRisk({ RiskDecision: "NoRisk" }), next, end);
  const risky = withRisk({ RiskDecision: "AccountTakeover", RiskLevel: level });
  const takeover = config.AccountTakeoverRiskConfiguration;
  const action: AccountTakeoverActionType = takeover?.Actions[`${level}Action`] ?? {
    EventAction: "NO_ACTION",
    Notify: false,
  };
  if (!enforced) return runRecorded(ctx, call, user, risky, next, end);

  const notify = async (kind: "BlockEmail" | "MfaEmail" | "NoActionEmail", recorded?: AuthEventRecord) => {
    if (action.Notify && takeover?.NotifyConfiguration && recorded)
      await notifyUser(ctx, call.pool, user, takeover.NotifyConfiguration, kind, recorded);
  };
  switch (action.EventAction) {
    case "BLOCK": {
      const recorded = await recordAuthEvent(ctx, call.pool, user, { ...risky, response: "Fail" });
      await notify("BlockEmail", recorded);
      audit(ctx, "sign-in blocked: account takeover risk", { poolId: call.pool.id, sub: user.sub, level });
      throw blocked();
    }
    case "MFA_REQUIRED":
    case "MFA_IF_CONFIGURED": {
      const mfa = await riskMfaStep(
        ctx,
        call,
        user,
        step.deviceKey,
        action.EventAction === "MFA_IF_CONFIGURED",
      );
      if (mfa) {
        const recorded = await recordAuthEvent(ctx, call.pool, user, { ...risky, response: "InProgress" });
        await notify("MfaEmail", recorded);
        return end.challenge(mfa);
      }
      if (action.EventAction === "MFA_REQUIRED") {
        const recorded = await recordAuthEvent(ctx, call.pool, user, { ...risky, response: "Fail" });
        await notify("BlockEmail", recorded);
        throw blocked();
      }
      return runRecorded(ctx, call, user, risky, next, end);
    }
    default: {
      const outcome = await runRecorded(ctx, call, user, risky, next, end);
      const [recorded] = await recentEvents(ctx, call.pool, user.sub, 1);
      await notify("NoActionEmail", recorded);
      return outcome;
    }
  }
}

/** A wrong password for a known user: a failed SignIn event (while threat protection is on). */
export async function recordFailedSignIn(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
): Promise<void> {
  if (threatMode(call.pool) === "OFF") return;
  const { ipAddress, userAgent } = signalsOf(ctx, call.userContext);
  await recordAuthEvent(ctx, call.pool, user, {
    type: "SignIn",
    response: "Fail",
    challenges: [{ ChallengeName: "Password", ChallengeResponse: "Failure" }],
    ...(ipAddress === undefined ? {} : { ipAddress }),
    ...(userAgent === undefined ? {} : { userAgent }),
  });
}
