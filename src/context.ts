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

/**
 * What the domain tells the metrics (src/metrics.ts); a no-op where metrics are off. Counting only:
 * nothing here may cost more than incrementing a number.
 */
export interface Metrics {
  /** An event of the security trail (domain/audit.ts): lockouts and codes sent are counted from it. */
  event(name: string, fields: Readonly<Record<string, unknown>>): void;
  /** Tokens issued to a user (`user`: a sign-in or a refresh) or to an app client (`client`). */
  tokensIssued(to: "user" | "client"): void;
}

/**
 * Where the user pools' exported log records go (src/delivery/log-sink.ts): a file per pool and
 * event source, or stdout. Resolves once the record is written.
 */
export interface LogSink {
  write(poolId: string, eventSource: string, record: object): Promise<void>;
}

/** The long-lived parts of a running server, shared by every request. */
/** The request-rate limiter (domain/limits): whether one more request of an operation is admitted now. */
export interface RequestLimiter {
  admit(operation: string, region: string, poolId: string | undefined): boolean;
  /** A provisioned limit set by UpdateProvisionedLimit on this instance, in force at once. */
  provisioned(region: string, category: string, value: number): void;
  close(): Promise<void>;
}

export interface Services {
  readonly config: Config;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Per-pool signing keys (cached; stored in the database). */
  readonly keys: SigningKeys;
  readonly delivery: Delivery;
  /** The local sink of the pools' exported logs (SetLogDeliveryConfiguration). */
  readonly logSink: LogSink;
  /** The Lambda trigger invokers. */
  readonly triggers: TriggerInvokers;
  /** The encryption of the custom sender triggers' codes. */
  readonly codeEncryption: CodeEncryption;
  /** A server-wide secret kept in the database (fake SRP salts and the like). */
  readonly serverSecret: Buffer;
  /** Base URL that token issuers are built on: `<publicUrl>/<poolId>`. */
  publicUrl(): string;
  /** The request-rate limiter; undefined when limits are off (option `rateLimits`). */
  readonly limiter?: RequestLimiter;
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
  /** The request's User-Agent header, when it has one (a risk signal of threat protection). */
  readonly userAgent?: string;
  /**
   * The user pool whose domain the request's Host names (the OAuth endpoints and managed login
   * pages on a pool's domain): app clients of other pools are not found there.
   */
  readonly hostedPoolId?: string;
  /**
   * The SDK that sent an API request, as Cognito names it in a trigger event's
   * `callerContext.awsSdkVersion` (`aws-sdk-js-3.893.0`), from its User-Agent; undefined when it
   * names none.
   */
  readonly awsSdkVersion?: string;
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
  readonly userAgent?: string;
  readonly hostedPoolId?: string;
  readonly awsSdkVersion?: string;
  readonly now?: number;
  readonly fixedId?: string;
}

/**
 * The one way a request context is made: by the AWS JSON endpoint and by every HTTP route that runs
 * domain code. It lives beside the interface, below protocol/ and http/, so both can use it.
 */
export function createRequestContext(services: Services, options: RequestContextOptions): RequestContext {
  const { requestId, region, requestRegion, clientIp, userAgent, hostedPoolId, awsSdkVersion, fixedId } =
    options;
  return {
    services,
    requestId,
    region,
    ...(requestRegion === undefined ? {} : { requestRegion }),
    now: options.now ?? services.clock.now(),
    ...(clientIp === undefined ? {} : { clientIp }),
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(hostedPoolId === undefined ? {} : { hostedPoolId }),
    ...(awsSdkVersion === undefined ? {} : { awsSdkVersion }),
    ...(fixedId === undefined ? {} : { fixedId }),
  };
}
