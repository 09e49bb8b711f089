/**
 * Who calls an operation, as the protocol layer resolved it once before the operation runs. Each
 * operation declares its kind (src/operations/define.ts): `admin` (SigV4-signed IAM credentials),
 * `adminClient` (SigV4-signed, and the pool and app client the input names: the admin sign-ins),
 * `client` (an app client named by the input's ClientId), `token` (the input's AccessToken) or
 * `none` (an unsigned operation that authenticates what it is given itself, such as RevokeToken).
 */
import type { ClientRecord, PoolRecord, UserRecord } from "../storage/records.ts";

export type CallerKind = "admin" | "adminClient" | "client" | "token" | "none";

/** A SigV4-signed caller: the region of its credential scope and its access key id. */
export interface AdminCaller {
  readonly kind: "admin";
  readonly region: string;
  readonly accessKeyId: string;
}

/** A SigV4-signed caller, with the pool (UserPoolId) and the app client (ClientId) its input names. */
export interface AdminClientCaller {
  readonly kind: "adminClient";
  readonly region: string;
  readonly accessKeyId: string;
  readonly pool: PoolRecord;
  readonly client: ClientRecord;
}

/** The app client the input names, and its pool (a client of another region's pool is not found). */
export interface ClientCaller {
  readonly kind: "client";
  readonly pool: PoolRecord;
  readonly client: ClientRecord;
}

/** The signed-in user of a valid access token with the user pools API scope, and its app client. */
export interface TokenCaller {
  readonly kind: "token";
  readonly pool: PoolRecord;
  readonly client: ClientRecord;
  readonly user: UserRecord;
  readonly clientId: string;
  readonly claims: Record<string, unknown>;
}

/** An unsigned operation that needs neither an app client nor a token resolved for it. */
export interface NoCaller {
  readonly kind: "none";
}

export type Caller = AdminCaller | AdminClientCaller | ClientCaller | TokenCaller | NoCaller;

/**
 * Who signs in, and who calls the self-service operations: an app client, or an admin naming one;
 * with the request's ClientMetadata. As Cognito documents it, InitiateAuth's and
 * AdminInitiateAuth's ClientMetadata goes only to PreAuthentication and UserMigration, as their
 * `validationData`; the ClientMetadata of RespondToAuthChallenge, AdminRespondToAuthChallenge and
 * GetTokensFromRefreshToken goes to every trigger they fire, as `clientMetadata`.
 */
export type SignInCaller = (ClientCaller | AdminClientCaller) & {
  readonly clientMetadata?: Record<string, string>;
  readonly validationData?: Record<string, string>;
  /** The end user's context the request gives (ContextData, UserContextData): threat protection's signals. */
  readonly userContext?: UserContext;
};

/** What a sign-in request says of its end user (an admin sign-in's ContextData, UserContextData). */
export interface UserContext {
  readonly ipAddress?: string;
  /** The User-Agent header ContextData passes on. */
  readonly userAgent?: string;
}

/** The client hides which users exist (PreventUserExistenceErrors ENABLED): unknown users must look like known ones. */
export function hidesUsers(caller: SignInCaller): boolean {
  return caller.client.settings.PreventUserExistenceErrors === "ENABLED";
}

export type CallerOf<K extends CallerKind> = Extract<Caller, { kind: K }>;
