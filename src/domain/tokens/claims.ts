/** The claims Cognito puts in ID and access tokens. */
import type { ClientRecord, GroupRecord, UserRecord } from "../../storage/records.ts";
import { isTrue } from "../pools/schema.ts";

export interface TokenEvent {
  /** Epoch seconds of the sign-in these tokens descend from. */
  authTime: number;
  /** Shared by every token of one sign-in (its refreshes included). */
  originJti: string;
  /** This issuance. */
  eventId: string;
  /** Epoch seconds. */
  iat: number;
  /** The tracked device the sign-in runs on (the access token's `device_key`). */
  deviceKey?: string;
}

/** Groups ordered as Cognito orders them for cognito:preferred_role: lowest precedence first. */
export function orderGroups(groups: readonly GroupRecord[]): GroupRecord[] {
  return [...groups].sort(
    (a, b) =>
      (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) ||
      a.name.localeCompare(b.name),
  );
}

function groupClaims(groups: readonly GroupRecord[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  const ordered = orderGroups(groups);
  const claims: Record<string, unknown> = { "cognito:groups": ordered.map((g) => g.name) };
  const roles = ordered.filter((g) => g.roleArn).map((g) => g.roleArn!);
  if (roles.length > 0) {
    claims["cognito:roles"] = roles;
    const preferred = ordered.find((g) => g.roleArn);
    if (preferred && (preferred.precedence !== undefined || roles.length === 1))
      claims["cognito:preferred_role"] = preferred.roleArn;
  }
  return claims;
}

/**
 * Attribute values as typed claims: *_verified are booleans, updated_at a number, address the
 * object OpenID Connect defines (Cognito's ID tokens carry it as `{"formatted": value}`),
 * identities JSON.
 */
function attributeClaim(name: string, value: string): unknown {
  if (name === "email_verified" || name === "phone_number_verified") return isTrue(value);
  if (name === "updated_at") return Number(value);
  if (name === "address") return { formatted: value };
  if (name === "identities") return identitiesClaim(value);
  return value;
}

/**
 * The `identities` claim: the attribute's JSON array, where (as in Cognito's ID tokens) `primary`
 * and `dateCreated` are strings ("true", "1682704282933"), unlike in the attribute itself.
 */
function identitiesClaim(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (!Array.isArray(parsed)) return parsed;
  return parsed.map((i: unknown) => {
    if (typeof i !== "object" || i === null) return i;
    const o = { ...(i as Record<string, unknown>) };
    if (typeof o.primary === "boolean") o.primary = String(o.primary);
    if (typeof o.dateCreated === "number") o.dateCreated = String(o.dateCreated);
    return o;
  });
}

export function idTokenClaims(
  issuer: string,
  client: ClientRecord,
  user: UserRecord,
  groups: readonly GroupRecord[],
  ev: TokenEvent,
  lifetimeSeconds: number,
): Record<string, unknown> {
  const readable = client.settings.ReadAttributes?.length
    ? new Set(client.settings.ReadAttributes)
    : undefined;
  const claims: Record<string, unknown> = { sub: user.sub, ...groupClaims(groups) };
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name.startsWith("dev:")) continue;
    if (readable && !readable.has(name)) continue;
    claims[name] = attributeClaim(name, value);
  }
  return {
    ...claims,
    iss: issuer,
    "cognito:username": user.username,
    origin_jti: ev.originJti,
    aud: client.clientId,
    event_id: ev.eventId,
    token_use: "id",
    auth_time: ev.authTime,
    exp: ev.iat + lifetimeSeconds,
    iat: ev.iat,
    jti: crypto.randomUUID(),
  };
}

export function accessTokenClaims(
  issuer: string,
  client: ClientRecord,
  user: UserRecord,
  groups: readonly GroupRecord[],
  ev: TokenEvent,
  lifetimeSeconds: number,
  scope: string,
): Record<string, unknown> {
  return {
    sub: user.sub,
    ...(ev.deviceKey === undefined ? {} : { device_key: ev.deviceKey }),
    ...groupClaims(groups),
    iss: issuer,
    client_id: client.clientId,
    origin_jti: ev.originJti,
    event_id: ev.eventId,
    token_use: "access",
    scope,
    auth_time: ev.authTime,
    exp: ev.iat + lifetimeSeconds,
    iat: ev.iat,
    jti: crypto.randomUUID(),
    username: user.username,
  };
}
