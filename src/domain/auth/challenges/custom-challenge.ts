/**
 * CUSTOM_CHALLENGE: issued by a CUSTOM_AUTH round (custom-rounds.ts), answered with USERNAME and
 * ANSWER. VerifyAuthChallengeResponse judges the answer against the private challenge parameters
 * the create trigger left in the session; the result joins the session's history and the define
 * trigger decides again. Each session is answered once: the next round comes with a new one.
 */
import type { VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import { incorrectCredentials, sessionExpired } from "../../errors.ts";
import { baseEvent, booleanField, invokeTrigger } from "../../triggers/invoke.ts";
import { findUser } from "../../users/users.ts";
import {
  customRound,
  type CustomSubject,
  notConfigured,
  type SessionEntry,
  triggerRequest,
  triggerUserName,
} from "../custom-rounds.ts";
import { required } from "../params.ts";
import { takeSession } from "../sessions.ts";
import type { AuthChallenge, AuthParams, AuthStep } from "../types.ts";

async function verify(
  ctx: RequestContext,
  call: SignInCaller,
  who: CustomSubject,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
): Promise<boolean> {
  const event: VerifyAuthChallengeResponseTriggerEvent = {
    ...baseEvent(
      ctx,
      call.pool,
      "VerifyAuthChallengeResponse",
      "VerifyAuthChallengeResponse_Authentication",
      triggerUserName(who),
      call.client.clientId,
    ),
    request: { ...triggerRequest(call, who), privateChallengeParameters, challengeAnswer },
    response: { answerCorrect: false },
  };
  const answered = await invokeTrigger(ctx, call.pool, "VerifyAuthChallengeResponse", event);
  if (!answered) throw notConfigured();
  return booleanField(answered.response, "answerCorrect");
}

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const challengeAnswer = required(responses, "ANSWER");
  const state = await takeSession(ctx, call.client, session);
  if (state.challenge !== "CUSTOM_CHALLENGE") throw sessionExpired();
  const sub = typeof state.sub === "string" ? state.sub : undefined;
  const name = String(state.name);
  // The USERNAME must name the user the sign-in began for (by username or alias).
  const named = await findUser(ctx.services.storage, call.pool, username);
  if (sub === undefined ? named !== undefined || username !== name : named?.sub !== sub)
    throw incorrectCredentials();
  const user =
    sub === undefined ? undefined : await ctx.services.storage.users.getUserBySub(call.pool.id, sub);
  if (sub !== undefined && !user) throw incorrectCredentials();
  const who: CustomSubject = { user, name };
  const privateParameters = (state.privateChallengeParameters ?? {}) as Record<string, string>;
  const correct = await verify(ctx, call, who, privateParameters, challengeAnswer);
  const history: SessionEntry[] = [
    ...(state.history as SessionEntry[]),
    {
      challengeName: "CUSTOM_CHALLENGE",
      challengeResult: correct,
      challengeMetadata: typeof state.challengeMetadata === "string" ? state.challengeMetadata : null,
    },
  ];
  return customRound(ctx, call, who, history);
}

export const customChallenge: AuthChallenge = { username: true, run: answer };
