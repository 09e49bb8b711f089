/**
 * Records to PostgreSQL rows and back. The same columns and encodings as the SQLite backend, so
 * both keep identical records: JSON text, enabled as "Enabled"/"Disabled", sign-in state as one
 * JSON column. BIGINT arrives from `pg` as a string and is turned back into a number here.
 */
import type {
  AuthSessionRecord,
  ClientRecord,
  ClientSecretRecord,
  CodeRecord,
  GroupRecord,
  IdentityLinkRecord,
  IdentityProviderRecord,
  PoolRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  UserRecord,
} from "../records.ts";

export type Row = Record<string, unknown>;
export type Param = string | number | null | readonly string[];

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => Number(v);

export function poolFromRow(r: Row): PoolRecord {
  return {
    id: str(r.id),
    name: str(r.name),
    region: str(r.region),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    settings: JSON.parse(str(r.settings)),
    tags: JSON.parse(str(r.tags)),
    userCount: num(r.user_count),
  };
}

export function clientFromRow(r: Row): ClientRecord {
  return {
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    name: str(r.name),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    settings: JSON.parse(str(r.settings)),
  };
}

export function clientSecretFromRow(r: Row): ClientSecretRecord {
  return {
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    secretId: str(r.secret_id),
    secret: str(r.secret),
    createdAt: num(r.created_at),
  };
}

/**
 * Where each field of UserRecord is kept. Adding a field to UserRecord fails to compile here until
 * it has a place: "state" fields live in the JSON `state` column.
 */
const USER_FIELD_HOMES: Record<keyof UserRecord, "column" | "state"> = {
  poolId: "column",
  username: "column",
  usernameKey: "column",
  sub: "column",
  status: "column",
  enabled: "column",
  attributes: "column",
  createdAt: "column",
  updatedAt: "column",
  password: "column",
  passwordHistory: "column",
  failedSignIns: "state",
  lastFailedSignIn: "state",
  lockedUntil: "state",
  tokensValidAfter: "state",
  passwordSignInDisabled: "state",
  pendingAttributes: "state",
};
const STATE_FIELDS = (Object.keys(USER_FIELD_HOMES) as (keyof UserRecord)[]).filter(
  (k) => USER_FIELD_HOMES[k] === "state",
);

export function userFromRow(r: Row): UserRecord {
  const user: UserRecord = {
    poolId: str(r.pool_id),
    username: str(r.username),
    usernameKey: str(r.username_key),
    sub: str(r.sub),
    status: str(r.status),
    enabled: r.enabled === "Enabled",
    attributes: JSON.parse(str(r.attributes)),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.password) user.password = JSON.parse(str(r.password));
  if (r.password_history) user.passwordHistory = JSON.parse(str(r.password_history));
  if (r.state) Object.assign(user, JSON.parse(str(r.state)));
  return user;
}

/** The sign-in state kept beside a user, as one JSON column. */
function userState(u: UserRecord): string | null {
  const state: Record<string, unknown> = {};
  for (const k of STATE_FIELDS) if (u[k]) state[k] = u[k];
  return Object.keys(state).length ? JSON.stringify(state) : null;
}

/** Lower-cased value used to find users by an email or preferred_username alias. */
function aliasKey(value: string | undefined): string | null {
  return value === undefined ? null : value.toLowerCase();
}

/** The users columns, in the order of userParams. */
export const USER_COLUMNS = [
  "pool_id",
  "username",
  "username_key",
  "sub",
  "status",
  "enabled",
  "email",
  "email_key",
  "phone_number",
  "preferred_username",
  "preferred_username_key",
  "name",
  "given_name",
  "family_name",
  "attributes",
  "created_at",
  "updated_at",
  "password",
  "password_history",
  "state",
] as const;

export function userParams(u: UserRecord): Param[] {
  const a = u.attributes;
  const values: Record<(typeof USER_COLUMNS)[number], Param> = {
    pool_id: u.poolId,
    username: u.username,
    username_key: u.usernameKey,
    sub: u.sub,
    status: u.status,
    enabled: u.enabled ? "Enabled" : "Disabled",
    email: a.email ?? null,
    email_key: aliasKey(a.email),
    phone_number: a.phone_number ?? null,
    preferred_username: a.preferred_username ?? null,
    preferred_username_key: aliasKey(a.preferred_username),
    name: a.name ?? null,
    given_name: a.given_name ?? null,
    family_name: a.family_name ?? null,
    attributes: JSON.stringify(a),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    password: u.password ? JSON.stringify(u.password) : null,
    password_history: u.passwordHistory ? JSON.stringify(u.passwordHistory) : null,
    state: userState(u),
  };
  return USER_COLUMNS.map((c) => values[c]);
}

export function groupFromRow(r: Row): GroupRecord {
  const g: GroupRecord = {
    poolId: str(r.pool_id),
    name: str(r.name),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.description !== null) g.description = str(r.description);
  if (r.role_arn !== null) g.roleArn = str(r.role_arn);
  if (r.precedence !== null) g.precedence = num(r.precedence);
  return g;
}

export function signingKeyFromRow(r: Row): SigningKeyRecord {
  return {
    poolId: str(r.pool_id),
    kid: str(r.kid),
    use: str(r.use) as "id" | "access",
    privateKeyPem: str(r.private_key),
    publicJwk: JSON.parse(str(r.public_jwk)),
    createdAt: num(r.created_at),
  };
}

export function authSessionFromRow(r: Row): AuthSessionRecord {
  return {
    id: str(r.id),
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    data: JSON.parse(str(r.data)),
    expiresAt: num(r.expires_at),
  };
}

export function codeFromRow(r: Row): CodeRecord {
  return {
    poolId: str(r.pool_id),
    sub: str(r.sub),
    purpose: str(r.purpose),
    codeHash: str(r.code_hash),
    expiresAt: num(r.expires_at),
    attempts: num(r.attempts),
    createdAt: num(r.created_at),
  };
}

export function refreshTokenFromRow(r: Row): RefreshTokenRecord {
  const t: RefreshTokenRecord = {
    tokenHash: str(r.token_hash),
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    sub: str(r.sub),
    originJti: str(r.origin_jti),
    authTime: num(r.auth_time),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  };
  if (r.replaced_at !== null) t.replacedAt = num(r.replaced_at);
  if (r.revoked_at !== null) t.revokedAt = num(r.revoked_at);
  return t;
}

/** A provider row with its identifiers (an `identifiers` text[] column, in position order). */
export function identityProviderFromRow(r: Row): IdentityProviderRecord {
  const idp: IdentityProviderRecord = {
    poolId: str(r.pool_id),
    providerName: str(r.provider_name),
    providerType: str(r.provider_type),
    providerDetails: JSON.parse(str(r.provider_details)),
    attributeMapping: JSON.parse(str(r.attribute_mapping)),
    idpIdentifiers: (r.identifiers as string[] | null) ?? [],
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.acr_mapping !== null && r.acr_mapping !== undefined) idp.acrMapping = JSON.parse(str(r.acr_mapping));
  if (r.saml_metadata !== null && r.saml_metadata !== undefined) idp.samlMetadata = str(r.saml_metadata);
  return idp;
}

export function identityLinkFromRow(r: Row): IdentityLinkRecord {
  return {
    poolId: str(r.pool_id),
    providerName: str(r.provider_name),
    attributeName: str(r.attribute_name),
    attributeValue: str(r.attribute_value),
    sub: str(r.sub),
    createdAt: num(r.created_at),
  };
}
