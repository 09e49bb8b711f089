/**
 * PreAuthentication (when a sign-in names its user, before any password or challenge: it can deny)
 * and PostAuthentication (when the sign-in is complete, after MFA and the device's proof, before
 * the tokens). Neither runs when tokens are refreshed.
 */
import type { PostAuthenticationTriggerEvent, PreAuthenticationTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { baseEvent, invokeTrigger } from "./invoke.ts";
import { userAttributes } from "./sign-up.ts";

/**
 * The pool's PreAuthentication function, if any. `user` undefined is an unknown name, which only
 * reaches here when the client hides which users exist: the event says `userNotFound`. The sign-in
 * request's ClientMetadata comes as `validationData`.
 */
export async function preAuthentication(
  ctx: RequestContext,
  pool: PoolRecord,
  clientId: string,
  hidesUsers: boolean,
  name: string,
  user: UserRecord | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  const event: PreAuthenticationTriggerEvent = {
    ...baseEvent(
      ctx,
      pool,
      "PreAuthentication",
      "PreAuthentication_Authentication",
      user?.username ?? name,
      clientId,
    ),
    request: {
      userAttributes: user ? userAttributes(user) : {},
      ...(clientMetadata ? { validationData: clientMetadata } : {}),
      ...(hidesUsers ? { userNotFound: user === undefined } : {}),
    },
    response: {},
  };
  await invokeTrigger(ctx, pool, "PreAuthentication", event);
}

/** The pool's PostAuthentication function, if any: a failure fails the sign-in. */
export async function postAuthentication(
  ctx: RequestContext,
  pool: PoolRecord,
  clientId: string,
  user: UserRecord,
  newDeviceUsed: boolean,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  const event: PostAuthenticationTriggerEvent = {
    ...baseEvent(
      ctx,
      pool,
      "PostAuthentication",
      "PostAuthentication_Authentication",
      user.username,
      clientId,
    ),
    request: {
      userAttributes: userAttributes(user),
      newDeviceUsed,
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: {},
  };
  await invokeTrigger(ctx, pool, "PostAuthentication", event);
}
