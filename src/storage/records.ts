/**
 * What storage keeps. Timestamps are epoch milliseconds. `settings` objects are the wire-shaped
 * configuration the domain owns; storage keeps them whole (as JSON) and indexes only what it must.
 */
import type { UserPoolClientType, UserPoolType } from "../generated/types.ts";

/** The configurable part of a user pool: everything of UserPoolType that is not derived. */
export type PoolSettings = Omit<
  UserPoolType,
  "Id" | "Name" | "Arn" | "CreationDate" | "LastModifiedDate" | "EstimatedNumberOfUsers" | "UserPoolTags"
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
