/**
 * Scope rules of the authorization server. Cognito's own scopes (openid, email, phone, profile,
 * aws.cognito.signin.user.admin) and custom scopes, which are `<resource server identifier>/<name>`:
 * any scope with a slash is taken as custom (the client's AllowedOAuthScopes were checked against
 * the pool's resource servers when the client was written).
 */
import type { ClientRecord } from "../../storage/records.ts";
import { OAuthError, type ErrorRedirect } from "./errors.ts";

export const COGNITO_SCOPES = [
  "openid",
  "email",
  "phone",
  "profile",
  "aws.cognito.signin.user.admin",
] as const;

export function isCustomScope(scope: string): boolean {
  return scope.includes("/");
}

/** A `scope` parameter as a list (space separated; duplicates dropped, order kept). */
export function parseScope(value: string | undefined): string[] {
  return [...new Set((value ?? "").split(" ").filter((s) => s !== ""))];
}

/**
 * The scopes a user-facing grant (code, implicit) gets: those requested, each of which the client
 * must allow; all the client allows when none are requested, as in Cognito.
 */
export function grantUserScopes(
  client: ClientRecord,
  requested: readonly string[],
  redirect?: ErrorRedirect,
): string[] {
  const allowed = client.settings.AllowedOAuthScopes ?? [];
  if (requested.length === 0) return [...allowed];
  for (const s of requested)
    if (!allowed.includes(s))
      throw new OAuthError("invalid_scope", `The scope ${s} is not allowed for this client.`, {
        ...(redirect ? { redirect } : {}),
      });
  return [...requested];
}

/** Why a machine-to-machine request's scopes are refused: the client has none, or one is not its. */
export type ClientScopeRefusal = { kind: "none" } | { kind: "not-allowed"; scope: string };

/**
 * The scopes of a machine-to-machine token (the client credentials grant and GetClientToken):
 * custom scopes only, each allowed to the client; all the client's custom scopes when none are
 * requested.
 */
export function clientTokenScopes(
  client: ClientRecord,
  requested: readonly string[],
): { granted: string[] } | { refused: ClientScopeRefusal } {
  const allowed = (client.settings.AllowedOAuthScopes ?? []).filter(isCustomScope);
  const granted = requested.length === 0 ? allowed : [...new Set(requested)];
  if (granted.length === 0) return { refused: { kind: "none" } };
  for (const scope of granted)
    if (!isCustomScope(scope) || !allowed.includes(scope)) return { refused: { kind: "not-allowed", scope } };
  return { granted };
}

/** The client credentials grant's scopes (clientTokenScopes), refused as `invalid_scope`. */
export function grantClientScopes(client: ClientRecord, requested: readonly string[]): string[] {
  const result = clientTokenScopes(client, requested);
  if ("granted" in result) return result.granted;
  if (result.refused.kind === "none")
    throw new OAuthError("invalid_scope", "The client has no custom scopes.");
  throw new OAuthError("invalid_scope");
}
