/**
 * PASSWORD_VERIFIER: issued by USER_SRP_AUTH with the server's SRP values (B, the salt), answered
 * with the client's claim signature, which is checked against the verifier.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { randomBytes } from "node:crypto";
import { checkTimestamp, startSrp, verifySrpClaim } from "../../../crypto/srp.ts";
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import { poolName } from "../../users/passwords.ts";
import type { Subject } from "../../counters.ts";
import { reservePasswordCheck, settlePasswordCheck } from "../lockout.ts";
import { optional, required } from "../params.ts";
import { openSession, readSession, takeSession } from "../sessions.ts";
import { requireSignInDevice } from "../../devices/sign-in.ts";
import { tracksDevices } from "../../devices/devices.ts";
import type { UserRecord } from "../../../storage/records.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep } from "../types.ts";
import { customRound, type CustomState, type SessionEntry } from "../custom-rounds.ts";
import { incorrectCredentials } from "../../errors.ts";
import { recordFailedSignIn } from "../../threats/risk.ts";

/** What USER_SRP_AUTH knows when it issues the challenge. */
export interface SrpStart {
  user: UserRecord | undefined;
  subject: Subject;
  /** USER_ID_FOR_SRP: the username, or a stable simulated one for a name no user has. */
  id: string;
  A: string;
  material: { salt: string; verifier: string };
  /** A CUSTOM_AUTH sign-in that proves the password first (CHALLENGE_NAME SRP_A) and goes on after. */
  custom?: CustomState;
}

export async function issuePasswordVerifier(
  ctx: RequestContext,
  call: SignInCaller,
  start: SrpStart,
): Promise<AuthOutcome> {
  const { user, subject, id, A, material, custom } = start;
  const { b, B } = startSrp(material.verifier);
  // The secret block is the session: the client echoes it as PASSWORD_CLAIM_SECRET_BLOCK.
  const secretBlock = randomBytes(96).toString("base64");
  await openSession(
    ctx,
    call.client,
    {
      challenge: "PASSWORD_VERIFIER",
      sub: user?.sub ?? null,
      subject,
      username: id,
      A,
      b,
      B,
      verifier: material.verifier,
      admin: call.kind === "adminClient",
      ...(custom ? { custom } : {}),
    },
    secretBlock,
  );
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: material.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: id,
      USER_ID_FOR_SRP: id,
    },
  };
}

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  _session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = required(responses, "TIMESTAMP");
  // A DEVICE_KEY no device of this user has is refused before the session is used, so the client
  // may answer again without it (amazon-cognito-identity-js does).
  const deviceKey = tracksDevices(call.pool) ? optional(responses, "DEVICE_KEY") : undefined;
  if (deviceKey !== undefined) {
    const pending = await readSession(ctx, call.client, secretBlock);
    const sub = typeof pending.sub === "string" ? pending.sub : undefined;
    await requireSignInDevice(ctx.services.storage, call.pool, sub, deviceKey);
  }
  const state = await takeSession(ctx, call.client, secretBlock);
  if (state.challenge !== "PASSWORD_VERIFIER") throw incorrectCredentials();
  const when = checkTimestamp(timestamp, new Date(ctx.now));
  if (when === "malformed")
    throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
  const subject = state.subject as Subject;
  // The check is reserved before the claim is verified (see lockout.ts).
  await reservePasswordCheck(ctx, call.pool.id, subject, username);
  const sub = typeof state.sub === "string" ? state.sub : undefined;
  const user = sub ? await ctx.services.storage.users.getUserBySub(call.pool.id, sub) : undefined;
  const claimOk =
    when === "ok" &&
    username === state.username &&
    verifySrpClaim({
      poolName: poolName(call.pool.id),
      username: String(state.username),
      A: String(state.A),
      b: String(state.b),
      B: String(state.B),
      verifier: String(state.verifier),
      secretBlock,
      timestamp,
      signature,
    });
  // Password sign-in turned off by AdminDisableProviderForUser (ProviderName Cognito) fails too.
  const ok = claimOk && user !== undefined && !user.passwordSignInDisabled;
  await settlePasswordCheck(ctx, call.pool.id, subject, username, ok);
  if (!ok && user) await recordFailedSignIn(ctx, call, user);
  if (!ok || !user) throw incorrectCredentials();
  if (state.custom) {
    // The custom sign-in goes on: the define trigger sees the password proved.
    const custom = state.custom as CustomState;
    const history: SessionEntry[] = [
      ...custom.history,
      { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
    ];
    return customRound(ctx, call, { user, name: custom.name }, history);
  }
  return { signedIn: user, ...(deviceKey === undefined ? {} : { deviceKey }) };
}

export const passwordVerifier: AuthChallenge = { username: true, run: answer };
