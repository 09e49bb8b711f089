/**
 * What storage keeps. Timestamps are epoch milliseconds. `settings` objects are the wire-shaped
 * configuration the domain owns; storage keeps them whole (as JSON) and indexes only what it must.
 */
import type {
  AuthEventType,
  SetRiskConfigurationRequest,
  SetUserPoolMfaConfigRequest,
  UserPoolClientType,
  UserPoolType,
} from "../generated/types.ts";

/** The configurable part of a user pool: everything of UserPoolType that is not derived. */
export type PoolSettings = Omit<
  UserPoolType,
  "Id" | "Name" | "Arn" | "CreationDate" | "LastModifiedDate" | "EstimatedNumberOfUsers" | "UserPoolTags"
> &
  /** SetUserPoolMfaConfig's settings (not part of DescribeUserPool's answer). */
  Pick<
    SetUserPoolMfaConfigRequest,
    | "SmsMfaConfiguration"
    | "SoftwareTokenMfaConfiguration"
    | "EmailMfaConfiguration"
    | "WebAuthnConfiguration"
  >;

export interface PoolRecord {
  id: string;
  name: string;
  region: string;
  createdAt: number;
  updatedAt: number;
  settings: PoolSettings;
  tags: Record<string, string>;
  /** Kept by the storage on user insert/delete. */
  userCount: number;
}

/** The configurable part of an app client. */
export type ClientSettings = Omit<
  UserPoolClientType,
  "UserPoolId" | "ClientId" | "ClientName" | "ClientSecret" | "CreationDate" | "LastModifiedDate"
>;

export interface ClientRecord {
  poolId: string;
  clientId: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  settings: ClientSettings;
}

export interface ClientSecretRecord {
  poolId: string;
  clientId: string;
  secretId: string;
  secret: string;
  createdAt: number;
}

/** A user's password material: never leaves the server. */
export interface PasswordCredential {
  /** PHC-formatted Argon2id hash. */
  hash: string;
  /** SRP salt and verifier (hex) for USER_SRP_AUTH. */
  srpSalt?: string;
  srpVerifier?: string;
  /** A temporary password (set by an administrator) must be changed at first sign-in. */
  temporary: boolean;
  setAt: number;
}

export interface UserRecord {
  poolId: string;
  username: string;
  /** The username as the pool compares it (lower-cased in a case-insensitive pool). */
  usernameKey: string;
  sub: string;
  status: string;
  enabled: boolean;
  /** Every attribute except `sub`, name to value. */
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  password?: PasswordCredential;
  /** Hashes of earlier passwords, newest first, for the pool's password history. */
  passwordHistory?: string[];
  /** Tokens issued before this instant (epoch ms) are void (GlobalSignOut, AdminUserGlobalSignOut). */
  tokensValidAfter?: number;
  /**
   * Set by AdminDisableProviderForUser with ProviderName `Cognito`: the user can no longer sign in
   * with their password (they still can through a linked external identity).
   */
  passwordSignInDisabled?: boolean;
  /** New email / phone values waiting for verification (AttributesRequireVerificationBeforeUpdate). */
  pendingAttributes?: Partial<Record<"email" | "phone_number", string>>;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description?: string;
  roleArn?: string;
  precedence?: number;
  createdAt: number;
  updatedAt: number;
}

/** One RSA key a pool signs its tokens with; the public half is served as JWKS. */
export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  /** Cognito signs ID and access tokens with different keys. */
  use: "id" | "access";
  privateKeyPem: string;
  publicJwk: Record<string, string>;
  createdAt: number;
}

/** A sign-in in progress (the opaque Session of a challenge). Answered once, then gone. */
export interface AuthSessionRecord {
  /** SHA-256 of the session value handed to the client. */
  id: string;
  poolId: string;
  clientId: string;
  data: Record<string, unknown>;
  expiresAt: number;
}

/** A confirmation or verification code, stored as a hash, single-use. */
export interface CodeRecord {
  poolId: string;
  sub: string;
  /** "signup", "forgot_password", "verify:email", "verify:phone_number", ... */
  purpose: string;
  codeHash: string;
  expiresAt: number;
  attempts: number;
  createdAt: number;
}

/**
 * A counter of events for one subject of a pool: failed sign-ins (with the lockout they caused),
 * codes sent, wrong codes guessed. Kept apart from the user so that names with no user behind them
 * are counted exactly like real users (PreventUserExistenceErrors), and so that a check and its
 * count are one atomic step. A counter past `expiresAt` counts as none.
 */
export interface CounterRecord {
  poolId: string;
  /** What is counted and for whom, e.g. `sign-in:<sub>` or `sign-in:name:<username key>`. */
  key: string;
  count: number;
  /** When the count started (fixed windows) or when the last event was (lockouts). */
  since: number;
  /** Until when the subject is locked out (epoch ms), if it is. */
  lockedUntil?: number;
  /** After this the counter is void and may be purged. */
  expiresAt: number;
}

/** A refresh token, stored as a hash. Tokens of one sign-in share an origin (origin_jti). */
export interface RefreshTokenRecord {
  tokenHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  originJti: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was exchanged for a new one (rotation); it stays usable for the grace period. */
  replacedAt?: number;
  revokedAt?: number;
  /** The scopes granted to the sign-in (OAuth grants); unset for API sign-ins. */
  scope?: string;
  /** The device the sign-in was tracked on: a refresh then needs that DEVICE_KEY. */
  deviceKey?: string;
}

/**
 * An authorization code of the OAuth 2.0 code grant, stored as a hash; redeemed once, within its
 * lifetime, by the client it was issued to.
 */
export interface AuthorizationCodeRecord {
  /** SHA-256 of the code handed to the client. */
  codeHash: string;
  poolId: string;
  clientId: string;
  /** What the code grants: the user, the redirect URI, the scopes, the nonce, the PKCE challenge. */
  grant: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  /** When it was redeemed (a redeemed code is kept until it expires, to recognise its reuse). */
  redeemedAt?: number;
  /** The origin_jti of the tokens issued for it. */
  originJti?: string;
}

/** A SAML, OIDC or social identity provider of a pool. */
export interface IdentityProviderRecord {
  poolId: string;
  providerName: string;
  providerType: string;
  providerDetails: Record<string, string>;
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  /** AcrMapping (OIDC providers only), as the administrator gave it. */
  acrMapping?: Record<string, string>;
  /**
   * SAML providers: the IdP's metadata document, from MetadataFile or as fetched from MetadataURL
   * when the provider was created or updated (its entityID is the `issuer` of the users' identities).
   */
  samlMetadata?: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * A link from an external identity to a user of the pool (AdminLinkProviderForUser, or a
 * federated sign-in). The identity is named by a provider attribute and its value; after the
 * identity's first sign-in the attribute is `Cognito_Subject` and the value the IdP's subject.
 */
export interface IdentityLinkRecord {
  poolId: string;
  providerName: string;
  attributeName: string;
  attributeValue: string;
  /** The user the identity signs in as. */
  sub: string;
  createdAt: number;
}

/**
 * A user pool domain: a prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) or a custom
 * domain. `domain` is what CreateUserPoolDomain named (the prefix, or the custom domain's name),
 * lower-cased; it is unique across the server as Cognito's are across its service.
 */
export interface DomainRecord {
  domain: string;
  poolId: string;
  custom: boolean;
  /** Custom domains: CustomDomainConfig as last set. */
  certificateArn?: string;
  securityPolicy?: string;
  /** 1: the hosted UI (classic); 2: managed login. */
  managedLoginVersion: number;
  /** The CloudFront distribution Cognito reports for the domain. */
  cloudFront: string;
  createdAt: number;
  updatedAt: number;
}

/** A resource server and its custom scopes (`<identifier>/<scopeName>`). */
export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: { ScopeName: string; ScopeDescription: string }[];
  createdAt: number;
  updatedAt: number;
}

/** SetUICustomization's settings of one app client, or of the pool (clientId `ALL`). */
export interface UICustomizationRecord {
  poolId: string;
  clientId: string;
  css?: string;
  /** The logo, base64, and its type. */
  image?: string;
  imageType?: "png" | "jpeg";
  /** Changes whenever the settings change. */
  version: string;
  createdAt: number;
  updatedAt: number;
}

/** A managed login branding style of one app client. */
export interface BrandingRecord {
  poolId: string;
  brandingId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** Settings, as the administrator gave it (any JSON value). */
  settings?: unknown;
  /** Assets, each with Bytes as base64. */
  assets: BrandingAsset[];
  createdAt: number;
  updatedAt: number;
}

export interface BrandingAsset {
  Category: string;
  ColorMode: string;
  Extension: string;
  Bytes?: string;
  ResourceId?: string;
}

/** The MFA factors of a user, in Cognito's names. */
export type UserMfaFactor = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/**
 * A user's MFA settings (one row per user, removed with the user): the TOTP authenticator
 * (AssociateSoftwareToken / VerifySoftwareToken), the factors turned on and the preferred one
 * (SetUserMFAPreference, SetUserSettings).
 */
export interface UserMfaRecord {
  poolId: string;
  sub: string;
  /** The TOTP secret, sealed (never stored in the clear); set by AssociateSoftwareToken. */
  totpSecret?: string;
  /** VerifySoftwareToken accepted a code for this secret. */
  totpVerified: boolean;
  totpFriendlyName?: string;
  /** The TOTP time step of the last code accepted: no code of that step or before is accepted again. */
  totpLastStep?: number;
  /** TOTP as an MFA factor (SetUserMFAPreference); only with a verified secret. */
  totpEnabled: boolean;
  smsEnabled: boolean;
  emailEnabled: boolean;
  /** Passkey MFA (WebAuthnMfaSettings): a user-verified passkey sign-in satisfies MFA. */
  webAuthnEnabled?: boolean;
  preferred?: UserMfaFactor;
  updatedAt: number;
}

/**
 * A user's device (device tracking): created with its key when a sign-in without a known device
 * gets NewDeviceMetadata, confirmed by ConfirmDevice with the SRP salt and verifier the device made
 * from its own random password (never the user's). Belongs to one user of one pool, and goes with
 * them.
 */
export interface DeviceRecord {
  poolId: string;
  /** `<region>_<uuid>`, unique across pools. */
  deviceKey: string;
  sub: string;
  /** The SRP "pool name" of the device's verifier. */
  groupKey: string;
  /** Set by ConfirmDevice: the salt and verifier (bare hex), the device's name. */
  srpSalt?: string;
  srpVerifier?: string;
  name?: string;
  remembered: boolean;
  lastIp?: string;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt?: number;
}

/** A user's WebAuthn credential (passkey), registered with CompleteWebAuthnRegistration. */
export interface PasskeyRecord {
  poolId: string;
  /** The user it signs in. */
  sub: string;
  /** The credential id, base64url; unique in the pool. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter at the last verified use (0: it keeps none). */
  signCount: number;
  /** What the authenticator reported it is reachable by (`internal`, `usb`, `hybrid`, ...). */
  transports: string[];
  friendlyName: string;
  /** `platform` or `cross-platform`, when the client reported it. */
  attachment?: string;
  /** The relying party the credential is scoped to. */
  rpId: string;
  createdAt: number;
}

/** A risk configuration of threat protection: a pool's (clientId "") or an app client's own. */
export interface RiskConfigurationRecord {
  poolId: string;
  clientId: string;
  /** SetRiskConfiguration's three parts, as set. */
  config: Pick<
    SetRiskConfigurationRequest,
    | "AccountTakeoverRiskConfiguration"
    | "CompromisedCredentialsRiskConfiguration"
    | "RiskExceptionConfiguration"
  >;
  updatedAt: number;
}

/**
 * One auth event of threat protection (a sign-in, a sign-up, a password change...) of one user:
 * the wire fields of AuthEventType but the id and date, with what the risk was judged on.
 */
export interface AuthEventRecord {
  poolId: string;
  sub: string;
  eventId: string;
  createdAt: number;
  data: Omit<AuthEventType, "EventId" | "CreationDate"> & {
    /** The user agent and the DEVICE_KEY the request came with (the risk signals besides the IP). */
    userAgent?: string;
    deviceKey?: string;
  };
}

/** One terms document of an app client (CreateTerms): its links, by managed login language. */
export interface TermsRecord {
  poolId: string;
  termsId: string;
  clientId: string;
  /** `terms-of-use` or `privacy-policy`: unique per app client. */
  termsName: string;
  termsSource: string;
  enforcement: string;
  /** Language id (`cognito:default`, `cognito:spanish`, ...) to URL. */
  links: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** A pool's log delivery configuration (SetLogDeliveryConfiguration), kept as it was set. */
export interface LogDeliveryRecord {
  poolId: string;
  /** The LogConfigurations, each as given (EventSource, LogLevel, and its one destination). */
  configurations: LogConfigurationRecord[];
  updatedAt: number;
}

export interface LogConfigurationRecord {
  EventSource: string;
  LogLevel: string;
  CloudWatchLogsConfiguration?: { LogGroupArn?: string };
  S3Configuration?: { BucketArn?: string };
  FirehoseConfiguration?: { StreamArn?: string };
}

/**
 * A replica of a user pool in another region (multi-Region replication): the same pool, users and
 * storage, served for the replica's region too. The pool's own region is its PRIMARY replica and has
 * no record.
 */
export interface ReplicaRecord {
  poolId: string;
  region: string;
  /** CREATING, INACTIVE, ACTIVE or DELETING. */
  status: string;
  /** The replica's own tags (UserPoolTags of CreateUserPoolReplica). */
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** A provisioned request-rate limit of one API category in one region (UpdateProvisionedLimit). */
export interface ProvisionedLimitRecord {
  region: string;
  category: string;
  /** Requests per second. */
  value: number;
  updatedAt: number;
}

/**
 * A user session of session tracking: a token session (one sign-in of one app client, continued by
 * its refresh tokens, named by the sign-in's origin_jti) or an SSO session (a managed login
 * sign-in in one browser, behind its cookie).
 */
export interface UserSessionRecord {
  poolId: string;
  /** `tkn` or `sso` and 25 lowercase letters and digits. */
  sessionId: string;
  sub: string;
  type: "TOKEN" | "SSO";
  clientId: string;
  /** A token session's sign-in (the tokens' origin_jti). */
  originJti?: string;
  /** A token session's SSO session, when it came through the managed login. */
  originSessionId?: string;
  createdAt: number;
  lastActiveAt: number;
  /** When its refresh token (token session) or its cookie (SSO session) expires. */
  expiresAt: number;
  deviceType?: string;
  lastIp?: string;
}

/** A pool's (clientId "") or an app client's session configuration, as set. */
export interface SessionSettingsRecord {
  UserSessionTracking?: "ENABLED" | "DISABLED";
  MaxPerUser?: number;
  MaxValidityMinutes?: number;
}
