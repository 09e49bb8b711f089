/**
 * The rounds of a CUSTOM_AUTH sign-in (flows/custom.ts starts one, challenges/custom-challenge.ts and
 * an SRP-first PASSWORD_VERIFIER answer continue it): DefineAuthChallenge decides on the session so
 * far (tokens, failure, or the next challenge); CreateAuthChallenge makes a CUSTOM_CHALLENGE, whose
 * public parameters go to the client while its private parameters and metadata stay in the auth
 * session for VerifyAuthChallengeResponse. The events are typed against @types/aws-lambda.
 */
import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent } from "aws-lambda";
import { hidesUsers, type SignInCaller } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { UserRecord } from "../../storage/records.ts";
import { incorrectCredentials } from "../errors.ts";
import { baseEvent, invokeTrigger, unrecognizableOutput } from "../triggers/invoke.ts";
import { openSession } from "./sessions.ts";
import type { AuthStep } from "./types.ts";

/**
 * One entry of the session the define and create triggers see. Cognito sends challengeMetadata as
 * null when the create trigger set none (and for SRP_A and PASSWORD_VERIFIER).
 */
export interface SessionEntry {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** The session as @types/aws-lambda types it (whose challengeMetadata has no null). */
type TypedSession = DefineAuthChallengeTriggerEvent["request"]["session"];
const typed = (history: SessionEntry[]) => history as unknown as TypedSession;

/**
 * Challenges one sign-in may present before it is ended. Cognito's developer guide names no number;
 * Lanyard ends a sign-in whose session already holds this many challenges, so that a define
 * trigger that never decides cannot keep a session alive forever.
 */
export const MAX_CHALLENGES = 8;

/** Who a custom sign-in is for: the user, or (PreventUserExistenceErrors) a name no user has. */
export interface CustomSubject {
  user: UserRecord | undefined;
  /** The USERNAME as given. */
  name: string;
}

/** What a custom sign-in carries from one round to the next (in the auth session). */
export interface CustomState {
  /** The USERNAME as given. */
  name: string;
  history: SessionEntry[];
}

export function notConfigured(): InvalidParameterException {
  return new InvalidParameterException("Custom auth lambda trigger is not configured for the user pool.");
}

/** The user's attributes as the triggers see them: strings, with sub and cognito:user_status. */
export function triggerAttributes(user: UserRecord | undefined): Record<string, string> {
  if (!user) return {};
  return { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
}

/** The request fields every challenge trigger gets: userAttributes, userNotFound, clientMetadata (the request's). */
export function triggerRequest(
  call: SignInCaller,
  who: CustomSubject,
): {
  userAttributes: Record<string, string>;
  userNotFound?: boolean;
  clientMetadata?: Record<string, string>;
} {
  return {
    userAttributes: triggerAttributes(who.user),
    ...(hidesUsers(call) ? { userNotFound: who.user === undefined } : {}),
    ...(call.clientMetadata === undefined ? {} : { clientMetadata: call.clientMetadata }),
  };
}

/** The userName of a challenge trigger's event: the user's username, or the name as given. */
export function triggerUserName(who: CustomSubject): string {
  return who.user?.username ?? who.name;
}

/** What DefineAuthChallenge answered, checked. */
type Decision = { kind: "fail" } | { kind: "tokens" } | { kind: "challenge"; name: string };

async function define(
  ctx: RequestContext,
  call: SignInCaller,
  who: CustomSubject,
  history: SessionEntry[],
): Promise<Decision> {
  const event: DefineAuthChallengeTriggerEvent = {
    ...baseEvent(
      ctx,
      call.pool,
      "DefineAuthChallenge",
      "DefineAuthChallenge_Authentication",
      triggerUserName(who),
      call.client.clientId,
    ),
    request: { ...triggerRequest(call, who), session: typed(history) },
    response: { issueTokens: false, failAuthentication: false },
  };
  const answered = await invokeTrigger(ctx, call.pool, "DefineAuthChallenge", event);
  if (!answered) throw notConfigured();
  const response: Partial<DefineAuthChallengeTriggerEvent["response"]> = answered.response;
  if (response.failAuthentication === true) return { kind: "fail" };
  if (response.issueTokens === true) return { kind: "tokens" };
  if (typeof response.challengeName === "string" && response.challengeName !== "")
    return { kind: "challenge", name: response.challengeName };
  throw unrecognizableOutput();
}

/** CreateAuthChallenge, then the session that carries the challenge to its answer. */
async function issueCustomChallenge(
  ctx: RequestContext,
  call: SignInCaller,
  who: CustomSubject,
  history: SessionEntry[],
): Promise<AuthStep> {
  const event: CreateAuthChallengeTriggerEvent = {
    ...baseEvent(
      ctx,
      call.pool,
      "CreateAuthChallenge",
      "CreateAuthChallenge_Authentication",
      triggerUserName(who),
      call.client.clientId,
    ),
    request: {
      ...triggerRequest(call, who),
      challengeName: "CUSTOM_CHALLENGE",
      session: typed(history),
    },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: "" },
  };
  const answered = await invokeTrigger(ctx, call.pool, "CreateAuthChallenge", event);
  if (!answered) throw notConfigured();
  const response: Partial<CreateAuthChallengeTriggerEvent["response"]> = answered.response;
  const publicParameters = stringMap(response.publicChallengeParameters);
  const privateParameters = stringMap(response.privateChallengeParameters);
  const metadata = typeof response.challengeMetadata === "string" ? response.challengeMetadata : undefined;
  const Session = await openSession(ctx, call.client, {
    challenge: "CUSTOM_CHALLENGE",
    sub: who.user?.sub ?? null,
    name: who.name,
    history,
    privateChallengeParameters: privateParameters,
    ...(metadata === undefined || metadata === "" ? {} : { challengeMetadata: metadata }),
    admin: call.kind === "adminClient",
  });
  return {
    ChallengeName: "CUSTOM_CHALLENGE",
    Session,
    ChallengeParameters: { ...publicParameters, USERNAME: triggerUserName(who) },
  };
}

/** A map of strings from a trigger's answer; anything else there is a malformed answer. */
function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw unrecognizableOutput();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw unrecognizableOutput();
    out[k] = v;
  }
  return out;
}

/**
 * One round of a custom sign-in: the define trigger decides on the session so far. Tokens go on to
 * completeSignIn (the user's state, devices, MFA); a failure is Cognito's "Incorrect username or
 * password."; CUSTOM_CHALLENGE is created and issued. PASSWORD_VERIFIER is only possible right after
 * SRP_A, where `passwordVerifier` issues it.
 */
export async function customRound(
  ctx: RequestContext,
  call: SignInCaller,
  who: CustomSubject,
  history: SessionEntry[],
  passwordVerifier?: () => Promise<AuthStep>,
): Promise<AuthStep> {
  if (history.length >= MAX_CHALLENGES) throw incorrectCredentials();
  const decision = await define(ctx, call, who, history);
  if (decision.kind === "fail") throw incorrectCredentials();
  if (decision.kind === "tokens") {
    if (!who.user) throw incorrectCredentials();
    // MFA follows a custom sign-in only where it proved the password (PASSWORD_VERIFIER): Cognito
    // bases MFA on the password check, so a passwordless custom sign-in ends without it.
    const passwordProved = history.some((h) => h.challengeName === "PASSWORD_VERIFIER" && h.challengeResult);
    return { signedIn: who.user, ...(passwordProved ? {} : { mfaSettled: true }) };
  }
  if (decision.name === "CUSTOM_CHALLENGE") return issueCustomChallenge(ctx, call, who, history);
  if (decision.name === "PASSWORD_VERIFIER" && passwordVerifier) return passwordVerifier();
  throw unrecognizableOutput();
}
