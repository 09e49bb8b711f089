/**
 * PreSignUp (before a user is created: SignUp, AdminCreateUser, and a federated user's first
 * sign-in) and PostConfirmation (after ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword).
 */
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { baseEvent, booleanField, invokeTrigger } from "./invoke.ts";

export type PreSignUpSource = "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider";

/** ValidationData (a list of attributes) as the PreSignUp event carries it (name to value). */
export function validationData(
  list: readonly { Name: string; Value?: string }[] | undefined,
): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(list.map((a) => [a.Name, a.Value ?? ""]));
}

/** What a PreSignUp answer changes about the new user. */
export interface PreSignUpAnswer {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const NOTHING: PreSignUpAnswer = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

/**
 * Runs the pool's PreSignUp function, if any, before the user is stored: a refusal throws (and
 * nothing is stored). `userAttributes` are those the request gives; `validationData` SignUp's (and
 * AdminCreateUser's) ValidationData.
 */
export async function preSignUp(
  ctx: RequestContext,
  pool: PoolRecord,
  source: PreSignUpSource,
  user: { username: string; attributes: Record<string, string> },
  clientId: string | undefined,
  validationData: Record<string, string> | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<PreSignUpAnswer> {
  const event: PreSignUpTriggerEvent = {
    ...baseEvent(ctx, pool, "PreSignUp", source, user.username, clientId),
    request: {
      userAttributes: { ...user.attributes },
      ...(validationData ? { validationData } : {}),
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: { ...NOTHING },
  };
  const answer = await invokeTrigger(ctx, pool, "PreSignUp", event);
  if (!answer) return NOTHING;
  const r = answer.response;
  const out: PreSignUpAnswer = {
    autoConfirmUser: booleanField(r, "autoConfirmUser"),
    autoVerifyEmail: booleanField(r, "autoVerifyEmail"),
    autoVerifyPhone: booleanField(r, "autoVerifyPhone"),
  };
  // Cognito refuses to mark as verified an attribute the user does not have.
  if (out.autoVerifyEmail && !user.attributes.email)
    throw new InvalidParameterException("Cannot auto verify email because there is no email attribute.");
  if (out.autoVerifyPhone && !user.attributes.phone_number)
    throw new InvalidParameterException(
      "Cannot auto verify phone because there is no phone_number attribute.",
    );
  return out;
}

/** A PreSignUp answer applied to the user about to be stored (status and verified flags). */
export function applyPreSignUp(user: UserRecord, answer: PreSignUpAnswer): void {
  if (answer.autoConfirmUser && user.status === "UNCONFIRMED") user.status = "CONFIRMED";
  if (answer.autoVerifyEmail && user.attributes.email) user.attributes.email_verified = "true";
  if (answer.autoVerifyPhone && user.attributes.phone_number) user.attributes.phone_number_verified = "true";
}

export type PostConfirmationSource =
  "PostConfirmation_ConfirmSignUp" | "PostConfirmation_ConfirmForgotPassword";

/**
 * Runs the pool's PostConfirmation function, if any, after the confirmation is stored. Its failure
 * is the request's error, but the confirmation stands (as in Cognito).
 */
export async function postConfirmation(
  ctx: RequestContext,
  pool: PoolRecord,
  source: PostConfirmationSource,
  user: UserRecord,
  clientId: string | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  const event: PostConfirmationTriggerEvent = {
    ...baseEvent(ctx, pool, "PostConfirmation", source, user.username, clientId),
    request: {
      userAttributes: userAttributes(user),
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: {},
  };
  await invokeTrigger(ctx, pool, "PostConfirmation", event);
}

/**
 * A stored user's attributes as the events carry them: strings, with `sub` and
 * `cognito:user_status` (and `cognito:email_alias` / `cognito:phone_number_alias` when they are aliases).
 */
export function userAttributes(user: UserRecord): Record<string, string> {
  return { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
}
