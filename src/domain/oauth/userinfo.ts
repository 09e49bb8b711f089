/**
 * The userInfo endpoint: the attributes an OAuth access token's scopes reach. `openid` alone gives
 * every attribute the client may read; with `profile`, `email` or `phone` it gives those groups
 * (custom attributes go with profile). Values are strings as stored, `*_verified` included
 * ("true"), as Cognito answers; strict mode types them as OpenID Connect's standard claims
 * (booleans, `updated_at` a number, `address` an object). `sub` and `username` always.
 */
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../errors.ts";
import { authenticateAccessToken } from "../tokens/access-token.ts";
import { isTrue } from "../pools/schema.ts";
import { isStrict } from "./authorize.ts";
import { OAuthError } from "./errors.ts";

const PROFILE = new Set([
  "name",
  "family_name",
  "given_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "updated_at",
]);
const EMAIL = new Set(["email", "email_verified"]);
const PHONE = new Set(["phone_number", "phone_number_verified"]);

function invalidToken(): OAuthError {
  return new OAuthError(
    "invalid_token",
    "Access token is expired, disabled, or deleted, or the user has globally signed out.",
    { status: 401 },
  );
}

/** Strict mode: an attribute typed as OpenID Connect's standard claim of that name (Core 5.1). */
function standardClaim(name: string, value: string): unknown {
  if (name === "email_verified" || name === "phone_number_verified") return isTrue(value);
  if (name === "updated_at" && /^\d+$/.test(value)) return Number(value);
  if (name === "address") return { formatted: value };
  return value;
}

export async function userInfo(ctx: RequestContext, accessToken: string): Promise<Record<string, unknown>> {
  let caller;
  try {
    caller = await authenticateAccessToken(ctx, accessToken);
  } catch (e) {
    if (e instanceof AwsError && e.status < 500) throw invalidToken();
    throw e;
  }
  // On a pool's domain, another pool's token is not one of its own.
  if (ctx.hostedPoolId !== undefined && caller.pool.id !== ctx.hostedPoolId) throw invalidToken();
  const scopes = typeof caller.claims.scope === "string" ? caller.claims.scope.split(" ") : [];
  if (!scopes.includes("openid")) throw invalidToken();
  const client = await ctx.services.storage.pools.getClient(caller.pool.id, caller.clientId);
  if (!client) throw invalidToken();
  const readable = client.settings.ReadAttributes?.length
    ? new Set(client.settings.ReadAttributes)
    : undefined;
  const groups = scopes.filter((s) => s === "profile" || s === "email" || s === "phone");
  const reached = (name: string): boolean => {
    if (groups.length === 0) return true;
    return (
      (groups.includes("profile") && (PROFILE.has(name) || name.startsWith("custom:"))) ||
      (groups.includes("email") && EMAIL.has(name)) ||
      (groups.includes("phone") && PHONE.has(name))
    );
  };
  const strict = isStrict(ctx);
  const out: Record<string, unknown> = { sub: caller.user.sub };
  for (const [name, value] of Object.entries(caller.user.attributes)) {
    if (name === "sub" || name.startsWith("dev:")) continue;
    if (readable && !readable.has(name)) continue;
    if (!reached(name)) continue;
    out[name] = strict ? standardClaim(name, value) : value;
  }
  out.username = caller.user.username;
  return out;
}
