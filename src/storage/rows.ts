/**
 * Rows to records, shared by both backends (SQLite and PostgreSQL keep the same columns and
 * encodings: JSON text, enabled as "Enabled"/"Disabled", sign-in state as one JSON column).
 * Numbers may arrive as strings (PostgreSQL's BIGINT through `pg`) and are turned back here.
 */
import type {
  AuthEventRecord,
  RiskConfigurationRecord,
  AuthSessionRecord,
  BrandingRecord,
  DomainRecord,
  ResourceServerRecord,
  UICustomizationRecord,
  AuthorizationCodeRecord,
  ClientRecord,
  ClientSecretRecord,
  CodeRecord,
  DeviceRecord,
  GroupRecord,
  IdentityLinkRecord,
  IdentityProviderRecord,
  LogDeliveryRecord,
  PasskeyRecord,
  ProvisionedLimitRecord,
  ReplicaRecord,
  PoolRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  TermsRecord,
  UserMfaRecord,
  UserRecord,
  UserSessionRecord,
} from "./records.ts";
import { type UserColumn, userFromColumns } from "./user-row.ts";

export { counterFromRow } from "./counter-row.ts";

/** A row as either backend returns it. */
export type Row = Record<string, unknown>;

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

export function userFromRow(r: Row): UserRecord {
  return userFromColumns(r as Record<UserColumn, unknown>);
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
  if (r.scope !== null && r.scope !== undefined) t.scope = str(r.scope);
  if (r.device_key !== null && r.device_key !== undefined) t.deviceKey = str(r.device_key);
  return t;
}

export function authorizationCodeFromRow(r: Row): AuthorizationCodeRecord {
  const c: AuthorizationCodeRecord = {
    codeHash: str(r.code_hash),
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    grant: JSON.parse(str(r.grant_data)),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  };
  if (r.redeemed_at !== null && r.redeemed_at !== undefined) c.redeemedAt = num(r.redeemed_at);
  if (r.origin_jti !== null && r.origin_jti !== undefined) c.originJti = str(r.origin_jti);
  return c;
}

/** A provider row with its identifiers (an `identifiers` array, in position order). */
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

export function domainFromRow(r: Row): DomainRecord {
  const d: DomainRecord = {
    domain: str(r.domain),
    poolId: str(r.pool_id),
    custom: num(r.custom) === 1,
    managedLoginVersion: num(r.managed_login_version),
    cloudFront: str(r.cloud_front),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.certificate_arn !== null && r.certificate_arn !== undefined)
    d.certificateArn = str(r.certificate_arn);
  if (r.security_policy !== null && r.security_policy !== undefined)
    d.securityPolicy = str(r.security_policy);
  return d;
}

export function resourceServerFromRow(r: Row): ResourceServerRecord {
  return {
    poolId: str(r.pool_id),
    identifier: str(r.identifier),
    name: str(r.name),
    scopes: JSON.parse(str(r.scopes)),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function uiCustomizationFromRow(r: Row): UICustomizationRecord {
  const c: UICustomizationRecord = {
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    version: str(r.version),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.css !== null && r.css !== undefined) c.css = str(r.css);
  if (r.image !== null && r.image !== undefined) c.image = str(r.image);
  if (r.image_type !== null && r.image_type !== undefined) c.imageType = str(r.image_type) as "png" | "jpeg";
  return c;
}

export function brandingFromRow(r: Row): BrandingRecord {
  const b: BrandingRecord = {
    poolId: str(r.pool_id),
    brandingId: str(r.branding_id),
    clientId: str(r.client_id),
    useCognitoProvidedValues: num(r.use_cognito_provided_values) === 1,
    assets: JSON.parse(str(r.assets)),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.settings !== null && r.settings !== undefined) b.settings = JSON.parse(str(r.settings));
  return b;
}

export function userMfaFromRow(r: Row): UserMfaRecord {
  const m: UserMfaRecord = {
    poolId: str(r.pool_id),
    sub: str(r.sub),
    totpVerified: num(r.totp_verified) === 1,
    totpEnabled: num(r.totp_enabled) === 1,
    smsEnabled: num(r.sms_enabled) === 1,
    emailEnabled: num(r.email_enabled) === 1,
    updatedAt: num(r.updated_at),
  };
  if (num(r.web_authn_enabled) === 1) m.webAuthnEnabled = true;
  if (r.totp_secret !== null && r.totp_secret !== undefined) m.totpSecret = str(r.totp_secret);
  if (r.totp_friendly_name !== null && r.totp_friendly_name !== undefined)
    m.totpFriendlyName = str(r.totp_friendly_name);
  if (r.totp_last_step !== null && r.totp_last_step !== undefined) m.totpLastStep = num(r.totp_last_step);
  if (r.preferred !== null && r.preferred !== undefined)
    m.preferred = str(r.preferred) as UserMfaRecord["preferred"];
  return m;
}

/** The columns of a user_mfa row, in the order of USER_MFA_COLUMNS. */
export function userMfaColumns(m: UserMfaRecord): (string | number | null)[] {
  return [
    m.poolId,
    m.sub,
    m.totpSecret ?? null,
    m.totpVerified ? 1 : 0,
    m.totpFriendlyName ?? null,
    m.totpLastStep ?? null,
    m.totpEnabled ? 1 : 0,
    m.smsEnabled ? 1 : 0,
    m.emailEnabled ? 1 : 0,
    m.webAuthnEnabled ? 1 : 0,
    m.preferred ?? null,
    m.updatedAt,
  ];
}

export const USER_MFA_COLUMNS = [
  "pool_id",
  "sub",
  "totp_secret",
  "totp_verified",
  "totp_friendly_name",
  "totp_last_step",
  "totp_enabled",
  "sms_enabled",
  "email_enabled",
  "web_authn_enabled",
  "preferred",
  "updated_at",
] as const;

export function deviceFromRow(r: Row): DeviceRecord {
  const d: DeviceRecord = {
    poolId: str(r.pool_id),
    deviceKey: str(r.device_key),
    sub: str(r.sub),
    groupKey: str(r.group_key),
    remembered: num(r.remembered) === 1,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
  if (r.srp_salt !== null) d.srpSalt = str(r.srp_salt);
  if (r.srp_verifier !== null) d.srpVerifier = str(r.srp_verifier);
  if (r.name !== null) d.name = str(r.name);
  if (r.last_ip !== null) d.lastIp = str(r.last_ip);
  if (r.last_authenticated_at !== null) d.lastAuthenticatedAt = num(r.last_authenticated_at);
  return d;
}

export function passkeyFromRow(r: Row): PasskeyRecord {
  const p: PasskeyRecord = {
    poolId: str(r.pool_id),
    sub: str(r.sub),
    credentialId: str(r.credential_id),
    publicKey: str(r.public_key),
    signCount: num(r.sign_count),
    transports: JSON.parse(str(r.transports)),
    friendlyName: str(r.friendly_name),
    rpId: str(r.rp_id),
    createdAt: num(r.created_at),
  };
  if (r.attachment !== null && r.attachment !== undefined) p.attachment = str(r.attachment);
  return p;
}

export function riskConfigurationFromRow(r: Row): RiskConfigurationRecord {
  return {
    poolId: str(r.pool_id),
    clientId: str(r.client_id),
    config: JSON.parse(str(r.config)),
    updatedAt: num(r.updated_at),
  };
}

export function authEventFromRow(r: Row): AuthEventRecord {
  return {
    poolId: str(r.pool_id),
    sub: str(r.sub),
    eventId: str(r.event_id),
    createdAt: num(r.created_at),
    data: JSON.parse(str(r.data)),
  };
}

export function termsFromRow(r: Row): TermsRecord {
  return {
    poolId: str(r.pool_id),
    termsId: str(r.terms_id),
    clientId: str(r.client_id),
    termsName: str(r.terms_name),
    termsSource: str(r.terms_source),
    enforcement: str(r.enforcement),
    links: JSON.parse(str(r.links)),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function logDeliveryFromRow(r: Row): LogDeliveryRecord {
  return {
    poolId: str(r.pool_id),
    configurations: JSON.parse(str(r.configurations)),
    updatedAt: num(r.updated_at),
  };
}

export function replicaFromRow(r: Row): ReplicaRecord {
  return {
    poolId: str(r.pool_id),
    region: str(r.region),
    status: str(r.status),
    tags: JSON.parse(str(r.tags)) as Record<string, string>,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function provisionedLimitFromRow(r: Row): ProvisionedLimitRecord {
  return {
    region: str(r.region),
    category: str(r.category),
    value: num(r.value),
    updatedAt: num(r.updated_at),
  };
}

export function userSessionFromRow(r: Row): UserSessionRecord {
  const s: UserSessionRecord = {
    poolId: str(r.pool_id),
    sessionId: str(r.session_id),
    sub: str(r.sub),
    type: str(r.type) === "SSO" ? "SSO" : "TOKEN",
    clientId: str(r.client_id),
    createdAt: num(r.created_at),
    lastActiveAt: num(r.last_active_at),
    expiresAt: num(r.expires_at),
  };
  if (r.origin_jti !== null) s.originJti = str(r.origin_jti);
  if (r.origin_session_id !== null) s.originSessionId = str(r.origin_session_id);
  if (r.device_type !== null) s.deviceType = str(r.device_type);
  if (r.last_ip !== null) s.lastIp = str(r.last_ip);
  return s;
}
