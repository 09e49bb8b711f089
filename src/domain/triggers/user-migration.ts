/**
 * UserMigration: a name no user has, in a sign-in with a password (UserMigration_Authentication)
 * or in ForgotPassword (UserMigration_ForgotPassword), goes to the pool's function, which checks
 * the password against the old system and answers the user's attributes and how to create it.
 */
import type { UserMigrationTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { baseEvent, booleanField, invokeTrigger, unrecognizableOutput } from "./invoke.ts";

export type UserMigrationSource = "UserMigration_Authentication" | "UserMigration_ForgotPassword";

/** What the function answered: the user to create. */
export interface MigratedUser {
  attributes: Record<string, string>;
  finalUserStatus: "CONFIRMED" | "RESET_REQUIRED";
  messageAction: "SUPPRESS" | "RESEND" | undefined;
  desiredDeliveryMediums: ("EMAIL" | "SMS")[];
  forceAliasCreation: boolean;
}

/**
 * Asks the pool's function about an unknown name. Undefined when the pool has no function, or when
 * the function answered no user (an empty `userAttributes`).
 */
export async function migrateUser(
  ctx: RequestContext,
  pool: PoolRecord,
  source: UserMigrationSource,
  username: string,
  clientId: string,
  password: string | undefined,
  metadata: Record<string, string> | undefined,
): Promise<MigratedUser | undefined> {
  const event = {
    ...baseEvent(ctx, pool, "UserMigration", source, username, clientId),
    request: {
      ...(password === undefined ? {} : { password }),
      // A sign-in's ClientMetadata comes as validationData, ForgotPassword's as clientMetadata.
      ...(metadata
        ? source === "UserMigration_Authentication"
          ? { validationData: metadata }
          : { clientMetadata: metadata }
        : {}),
    },
    // Cognito sends the response's fields empty, for the function to fill.
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  };
  const answer = await invokeTrigger(
    ctx,
    pool,
    "UserMigration",
    event as unknown as UserMigrationTriggerEvent,
  );
  if (!answer) return undefined;
  const r = answer.response as unknown as Record<string, unknown>;
  const attrs = r.userAttributes;
  if (attrs === undefined || attrs === null) return undefined;
  if (typeof attrs !== "object" || Array.isArray(attrs)) throw unrecognizableOutput();
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value !== "string") throw unrecognizableOutput();
    // The user's id and status are Cognito's to set.
    if (name === "sub" || name.startsWith("cognito:")) continue;
    attributes[name] = value;
  }
  if (Object.keys(attributes).length === 0) return undefined;
  const status =
    r.finalUserStatus ?? (source === "UserMigration_ForgotPassword" ? "RESET_REQUIRED" : "CONFIRMED");
  if (status !== "CONFIRMED" && status !== "RESET_REQUIRED") throw unrecognizableOutput();
  const action = r.messageAction ?? undefined;
  if (action !== undefined && action !== "SUPPRESS" && action !== "RESEND") throw unrecognizableOutput();
  const mediums = r.desiredDeliveryMediums ?? [];
  if (!Array.isArray(mediums) || !mediums.every((m) => m === "EMAIL" || m === "SMS"))
    throw unrecognizableOutput();
  return {
    attributes,
    finalUserStatus: status,
    messageAction: action,
    desiredDeliveryMediums: mediums as ("EMAIL" | "SMS")[],
    forceAliasCreation: booleanField(r, "forceAliasCreation"),
  };
}
