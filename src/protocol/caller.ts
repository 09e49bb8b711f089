/**
 * Resolves, once, the caller an operation declares (see domain/caller.ts), before the operation
 * runs: after the input is validated, so a malformed request is refused before any lookup.
 */
import type { RequestContext } from "../context.ts";
import { requireAppClient, requireClient, requirePool } from "../domain/lookups.ts";
import type { Caller, CallerKind } from "../domain/caller.ts";
import { tokenCaller } from "../domain/tokens/access-token.ts";
import type { OperationSpec } from "../generated/operations.ts";
import { NotAuthorizedException } from "../generated/exceptions.ts";
import type { VerifiedCaller } from "./sigv4.ts";

/**
 * The model's auth of each caller kind: only `admin` operations are SigV4-signed. Checked for every
 * operation when the endpoint starts (assertCallerMatchesAuth).
 */
export function authOfCaller(kind: CallerKind): OperationSpec["auth"] {
  return kind === "admin" || kind === "adminClient" ? "sigv4" : "none";
}

export function assertCallerMatchesAuth(name: string, kind: CallerKind, auth: OperationSpec["auth"]): void {
  if (authOfCaller(kind) !== auth)
    throw new Error(
      `src/operations: ${name} declares caller "${kind}", but the model's auth of ${name} is ${auth}`,
    );
}

function member(input: unknown, name: "ClientId" | "AccessToken" | "UserPoolId"): string {
  const value = (input as Record<string, unknown>)[name];
  // Validation has checked the member is present (it is required in the model) and a string.
  if (typeof value !== "string") throw new Error(`validated input has no ${name}`);
  return value;
}

export async function resolveCaller(
  kind: CallerKind,
  input: unknown,
  ctx: RequestContext,
  signer: VerifiedCaller | undefined,
): Promise<Caller> {
  switch (kind) {
    case "admin":
      if (!signer) throw new Error("an admin operation reached its handler unsigned");
      return { kind: "admin", region: signer.region, accessKeyId: signer.accessKeyId };
    case "adminClient": {
      if (!signer) throw new Error("an admin operation reached its handler unsigned");
      const pool = await requirePool(ctx.services.storage, member(input, "UserPoolId"));
      const client = await requireClient(ctx.services.storage, pool.id, member(input, "ClientId"));
      return { kind: "adminClient", region: signer.region, accessKeyId: signer.accessKeyId, pool, client };
    }
    case "client":
      return requireAppClient(ctx.services.storage, member(input, "ClientId"), ctx.requestRegion);
    case "token": {
      // GetDevice and ForgetDevice leave AccessToken optional in the model: without one, no user.
      const token = (input as Record<string, unknown>).AccessToken;
      if (typeof token !== "string") throw new NotAuthorizedException("Invalid Access Token");
      return tokenCaller(ctx, token);
    }
    case "none":
      return { kind: "none" };
  }
}
