/**
 * What the unauthenticated self-service operations (SignUp, ConfirmSignUp, ResendConfirmationCode,
 * ForgotPassword, ConfirmForgotPassword) share: the app client that calls, its SECRET_HASH, and
 * whether it hides which users exist (PreventUserExistenceErrors).
 */
import type { RequestContext } from "../../context.ts";
import { UserNotFoundException } from "../../generated/exceptions.ts";
import type { ClientRecord, PoolRecord } from "../../storage/records.ts";
import { checkSecretHash } from "../auth/app-client.ts";
import { requireAppClient } from "../lookups.ts";

export interface PublicCaller {
  pool: PoolRecord;
  client: ClientRecord;
  /** The client's PreventUserExistenceErrors is ENABLED: unknown users must look like known ones. */
  hideUsers: boolean;
}

/** The calling app client and its pool, after checking SECRET_HASH for `username`. */
export async function publicCaller(
  ctx: RequestContext,
  clientId: string,
  username: string,
  secretHash: string | undefined,
): Promise<PublicCaller> {
  const { storage } = ctx.services;
  const { pool, client } = await requireAppClient(storage, clientId, ctx.requestRegion);
  await checkSecretHash(storage, client, username, secretHash);
  return { pool, client, hideUsers: client.settings.PreventUserExistenceErrors === "ENABLED" };
}

/** The unauthenticated operations' wording for an unknown user (LEGACY clients). */
export function usernameNotFound(): UserNotFoundException {
  return new UserNotFoundException("Username/client id combination not found.");
}
