import type { Config } from "./config/config.ts";
import type { Delivery } from "./delivery/delivery.ts";
import type { KeyObject } from "node:crypto";
import type { SigningKeyRecord } from "./storage/records.ts";
import type { Reader, Storage } from "./storage/storage.ts";

/** Time as the server sees it; tests replace it to move time without sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that follows the system clock plus an adjustable offset. */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One RSA key a pool signs tokens with, ready to use. */
export interface PoolKey {
  kid: string;
  use: "id" | "access";
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, string>;
}

/** The pools' signing keys (kept in storage, cached; see domain/tokens/keys.ts). */
export interface SigningKeys {
  /** Two fresh key records for a new pool, ready to store with it. */
  newPoolKeys(poolId: string, now: number): Promise<SigningKeyRecord[]>;
  /** The keys of an existing pool, made if it has none. */
  keys(poolId: string, now: number, db?: Reader): Promise<PoolKey[]>;
  signingKey(poolId: string, use: "id" | "access", now: number): Promise<PoolKey>;
  /** The key a token names, if its pool has it; never makes keys. */
  verificationKey(poolId: string, kid: string): Promise<PoolKey | undefined>;
  /** Forgets a deleted pool's keys. */
  forget(poolId: string): void;
}

/**
 * What became of one trigger invocation: the function's answer (`ok`, the JSON value it returned),
 * the function's own failure (`error`: it threw or called back with an error), or no answer at all
 * (`failed`: a timeout, an unreachable endpoint, an ARN with no mapping; `reason` as Cognito words it).
 */
export type TriggerOutcome =
  { kind: "ok"; result: unknown } | { kind: "error"; message: string } | { kind: "failed"; reason: string };

/** The invokers of the pools' Lambda triggers (src/triggers/, chosen by ARN through configuration). */
export interface TriggerInvokers {
  invoke(
    arn: string,
    event: object,
    options: { timeoutMs: number; requestId: string },
  ): Promise<TriggerOutcome>;
  close(): Promise<void>;
}

/**
 * Encrypts the codes and temporary passwords the custom sender triggers get, as Cognito does: an
 * AWS Encryption SDK message, base64 (src/triggers/code-encryption.ts).
 */
export interface CodeEncryption {
  /** `keyId` is the pool's KMSKeyID; `context` the encryption context. */
  encrypt(code: string, keyId: string | undefined, context: Record<string, string>): Promise<string>;
}

/** The long-lived parts of a running server, shared by every request. */
export interface Services {
  readonly config: Config;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per-pool signing keys (cached; stored in the database). */
  readonly keys: SigningKeys;
  readonly delivery: Delivery;
  /** The Lambda trigger invokers. */
  readonly triggers: TriggerInvokers;
  /** The encryption of the custom sender triggers' codes. */
  readonly codeEncryption: CodeEncryption;
  /** A server-wide secret kept in the database (fake SRP salts and the like). */
  readonly serverSecret: Buffer;
  /** Base URL that token issuers are built on: `<publicUrl>/<poolId>`. */
  publicUrl(): string;
}

/** One request: who asked, where, when. */
export interface RequestContext {
  readonly services: Services;
  readonly requestId: string;
  /** From the SigV4 credential scope, else the pool id's prefix, else the configured default. */
  readonly region: string;
  /**
   * The region the request itself names: its SigV4 credential scope, or for unsigned operations the
   * regional endpoint it was sent to (`cognito-idp.<region>.amazonaws.com`). Undefined when it names
   * none. Pools and app clients of another region are not found, as in Cognito.
   */
  readonly requestRegion?: string;
  /** Epoch milliseconds at the start of the request. */
  readonly now: number;
  /** The address the request came from (for the security log), when it came over HTTP. */
  readonly clientIp?: string;
  /**
   * The user pool whose domain the request's Host names (the OAuth endpoints and managed login
   * pages on a pool's domain): app clients of other pools are not found there.
   */
  readonly hostedPoolId?: string;
  /**
   * The id a seed file fixes for the pool or app client this request creates (src/seed/); never set
   * by a request over HTTP.
   */
  readonly fixedId?: string;
}

/** What a request context is made from; `now` defaults to the services' clock. */
export interface RequestContextOptions {
  readonly requestId: string;
  readonly region: string;
  readonly requestRegion?: string;
  readonly clientIp?: string;
  readonly hostedPoolId?: string;
  readonly now?: number;
  readonly fixedId?: string;
}

/**
 * The one way a request context is made: by the AWS JSON endpoint and by every HTTP route that runs
 * domain code. It lives beside the interface, below protocol/ and http/, so both can use it.
 */
export function createRequestContext(services: Services, options: RequestContextOptions): RequestContext {
  const { requestId, region, requestRegion, clientIp, hostedPoolId, fixedId } = options;
  return {
    services,
    requestId,
    region,
    ...(requestRegion === undefined ? {} : { requestRegion }),
    now: options.now ?? services.clock.now(),
    ...(clientIp === undefined ? {} : { clientIp }),
    ...(hostedPoolId === undefined ? {} : { hostedPoolId }),
    ...(fixedId === undefined ? {} : { fixedId }),
  };
}
