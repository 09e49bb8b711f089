/**
 * What the unauthenticated self-service operations (SignUp, ConfirmSignUp, ResendConfirmationCode,
 * ForgotPassword, ConfirmForgotPassword) share: the app client that calls, its SECRET_HASH, and
 * whether it hides which users exist (PreventUserExistenceErrors).
 */
import type { RequestContext } from "../../context.ts";
import { UserNotFoundException } from "../../generated/exceptions.ts";
import type { ClientRecord, PoolRecord } from "../../storage/records.ts";
import { checkSecretHash } from "../auth/app-client.ts";
import type { ClientCaller } from "../caller.ts";

export interface PublicCaller {
  pool: PoolRecord;
  client: ClientRecord;
  /** The client's PreventUserExistenceErrors is ENABLED: unknown users must look like known ones. */
  hideUsers: boolean;
}

/** The calling app client (resolved by the protocol) and its pool, after checking SECRET_HASH for `username`. */
export async function publicCaller(
  ctx: RequestContext,
  caller: ClientCaller,
  username: string,
  secretHash: string | undefined,
): Promise<PublicCaller> {
  const { pool, client } = caller;
  await checkSecretHash(ctx.services.storage, client, username, secretHash);
  return { pool, client, hideUsers: client.settings.PreventUserExistenceErrors === "ENABLED" };
}

/** The unauthenticated operations' wording for an unknown user (LEGACY clients). */
export function usernameNotFound(): UserNotFoundException {
  return new UserNotFoundException("Username/client id combination not found.");
}
