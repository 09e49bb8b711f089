/** Records for the storage conformance suite, each with every optional field set. */
import { randomUUID } from "node:crypto";
import type {
  AuthSessionRecord,
  ClientRecord,
  CodeRecord,
  GroupRecord,
  IdentityProviderRecord,
  PoolRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  UserRecord,
} from "../../src/storage/records.ts";

let counter = 0;
/** A short unique suffix. */
export function unique(): string {
  counter++;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function pool(overrides: Partial<PoolRecord> = {}): PoolRecord {
  return {
    id: `us-east-1_${unique()}`,
    name: "conformance",
    region: "us-east-1",
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_001,
    settings: { MfaConfiguration: "OFF", Policies: { PasswordPolicy: { MinimumLength: 8 } } },
    tags: { team: "identity", ünïcode: "välue" },
    userCount: 0,
    ...overrides,
  };
}

export function client(poolId: string, overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    poolId,
    clientId: unique().padEnd(26, "x").slice(0, 26),
    name: "app",
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_002,
    settings: {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      RefreshTokenValidity: 30,
    },
    ...overrides,
  };
}

/** A user with every field of UserRecord set (sign-in state included). */
export function fullUser(poolId: string, name: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    poolId,
    username: name,
    usernameKey: name.toLowerCase(),
    sub: randomUUID(),
    status: "CONFIRMED",
    enabled: true,
    attributes: {
      email: `${name}@Example.COM`,
      email_verified: "true",
      phone_number: "+15550100",
      preferred_username: `Pref-${name}`,
      name: `Name ${name}`,
      given_name: "Given",
      family_name: "Family",
      "custom:tier": "gold",
    },
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_003,
    password: {
      hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
      srpSalt: "abcd",
      srpVerifier: "ef01",
      temporary: false,
      setAt: 1_700_000_000_004,
    },
    passwordHistory: ["old-hash-1", "old-hash-2"],
    tokensValidAfter: 1_700_000_000_007,
    passwordSignInDisabled: true,
    ...overrides,
  };
}

/** A user with only the required fields. */
export function user(poolId: string, name: string, attributes: Record<string, string> = {}): UserRecord {
  return {
    poolId,
    username: name,
    usernameKey: name,
    sub: randomUUID(),
    status: "CONFIRMED",
    enabled: true,
    attributes,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
  };
}

export function group(poolId: string, name: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    poolId,
    name,
    description: "a group",
    roleArn: "arn:aws:iam::000000000000:role/r",
    precedence: 7,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_008,
    ...overrides,
  };
}

export function signingKey(poolId: string, use: "id" | "access"): SigningKeyRecord {
  const kid = unique();
  return {
    poolId,
    kid,
    use,
    privateKeyPem: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
    publicJwk: { alg: "RS256", e: "AQAB", kid, kty: "RSA", n: "xyz", use: "sig" },
    createdAt: 1_700_000_000_000,
  };
}

export function authSession(poolId: string, clientId: string, expiresAt: number): AuthSessionRecord {
  return {
    id: unique(),
    poolId,
    clientId,
    data: { challenge: "PASSWORD_VERIFIER", nested: { srpB: "00ff", list: [1, 2] } },
    expiresAt,
  };
}

export function code(
  poolId: string,
  sub: string,
  purpose: string,
  codeHash: string,
  expiresAt: number,
): CodeRecord {
  return { poolId, sub, purpose, codeHash, expiresAt, attempts: 0, createdAt: 1_700_000_000_000 };
}

export function refreshToken(
  poolId: string,
  clientId: string,
  sub: string,
  overrides: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    tokenHash: unique(),
    poolId,
    clientId,
    sub,
    originJti: unique(),
    authTime: 1_700_000_000_000,
    createdAt: 1_700_000_000_000,
    expiresAt: 1_800_000_000_000,
    ...overrides,
  };
}

export function identityProvider(
  poolId: string,
  name: string,
  identifiers: string[],
  overrides: Partial<IdentityProviderRecord> = {},
): IdentityProviderRecord {
  return {
    poolId,
    providerName: name,
    providerType: "OIDC",
    providerDetails: { client_id: "c", authorize_scopes: "openid email", oidc_issuer: "https://idp.example" },
    attributeMapping: { email: "email", username: "sub" },
    idpIdentifiers: identifiers,
    acrMapping: { low: "urn:acr:low" },
    samlMetadata: "<EntityDescriptor entityID='x'/>",
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_009,
    ...overrides,
  };
}
