/**
 * CustomEmailSender and CustomSMSSender: when the pool names one for a message's medium, Lanyard's
 * delivery sends nothing; the function gets the event instead, with the code (or temporary
 * password) encrypted with the AWS Encryption SDK (see src/triggers/code-encryption.ts) under the
 * pool's KMSKeyID, and sends the message itself.
 */
import type { CustomEmailSenderTriggerEvent, CustomSMSSenderTriggerEvent } from "aws-lambda";
import { audit } from "../audit.ts";
import type { RequestContext } from "../../context.ts";
import { InvalidLambdaResponseException, UnexpectedLambdaException } from "../../generated/exceptions.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { baseEvent, hasTrigger, invokeTrigger } from "../triggers/invoke.ts";
import { usernameKey } from "../users/users.ts";
import type { Destination } from "./destinations.ts";

/** Who caused a message: the app client and the request's ClientMetadata (absent for admins). */
export interface MessageOrigin {
  clientId?: string;
  clientMetadata?: Record<string, string> | undefined;
}

/** Why a message is sent (messages.ts's purposes). */
type Purpose =
  | "signup"
  | "resend_code"
  | "forgot_password"
  | "verify_attribute"
  | "update_attribute"
  | "authentication"
  | "invitation"
  | "resend_invitation";

/** The trigger source's suffix for each reason a message is sent. */
const SOURCE_SUFFIX: Record<Purpose, string> = {
  signup: "SignUp",
  resend_code: "ResendCode",
  forgot_password: "ForgotPassword",
  update_attribute: "UpdateUserAttribute",
  verify_attribute: "VerifyUserAttribute",
  authentication: "Authentication",
  invitation: "AdminCreateUser",
  resend_invitation: "AdminCreateUser",
};

function userAttributes(user: UserRecord | undefined): Record<string, string> {
  if (!user) return {};
  return { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
}

/**
 * Hands the message to the pool's custom sender for `to.medium`, if it has one: true when it did
 * (the function's failure is the caller's error), false when Lanyard's delivery should send it.
 */
export async function sendThroughCustomSender(
  ctx: RequestContext,
  pool: PoolRecord,
  username: string,
  to: Destination,
  purpose: Purpose,
  code: string,
  origin: MessageOrigin = {},
): Promise<boolean> {
  const source = to.medium === "EMAIL" ? "CustomEmailSender" : "CustomSMSSender";
  if (!hasTrigger(pool, source)) return false;
  let encrypted: string;
  try {
    encrypted = await ctx.services.codeEncryption.encrypt(code, pool.settings.LambdaConfig?.KMSKeyID, {
      "userpool-id": pool.id,
    });
  } catch (e) {
    ctx.services.logger.warn("custom sender code encryption failed", {
      requestId: ctx.requestId,
      poolId: pool.id,
      error: e instanceof Error ? e.message : String(e),
    });
    throw new UnexpectedLambdaException(
      `${source} invocation failed due to error KMSKeyID could not be used.`,
    );
  }
  const user = await ctx.services.storage.users.getUser(pool.id, usernameKey(pool, username));
  const triggerSource = `${source}_${SOURCE_SUFFIX[purpose]}`;
  const request = {
    type: to.medium === "EMAIL" ? "customEmailSenderRequestV1" : "customSMSSenderRequestV1",
    code: encrypted,
    userAttributes: userAttributes(user),
    ...(origin.clientMetadata === undefined ? {} : { clientMetadata: origin.clientMetadata }),
  };
  const event = {
    ...baseEvent(ctx, pool, source, triggerSource, user?.username ?? username, origin.clientId),
    request,
    response: {},
  } as CustomEmailSenderTriggerEvent | CustomSMSSenderTriggerEvent;
  audit(ctx, "message handed to custom sender", { poolId: pool.id, username, purpose, channel: to.medium });
  try {
    await invokeTrigger(ctx, pool, source, event);
  } catch (e) {
    // A sender's answer is not read: AWS's own examples return nothing.
    if (!(e instanceof InvalidLambdaResponseException)) throw e;
  }
  return true;
}
