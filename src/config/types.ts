import type { HashingProfile } from "../crypto/password-hash.ts";

// Lanyard's configuration. Every field is declared once in the option table (options.ts), with its
// file key, environment variable, flag, type, default and description; the compiler checks that the
// table and these types agree, field for field.

export const DELIVERIES = ["console", "smtp", "inbox"] as const;
/** Where the pools' exported logs (SetLogDeliveryConfiguration) are written (the `logDelivery` option). */
export const LOG_SINKS = ["file", "stdout"] as const;

/** How the OAuth endpoints and login pages answer (see the `oauth.mode` option). */
export const OAUTH_MODES = ["cognito", "strict"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
/** How log lines are written: one JSON object a line, or a short line for a person at a terminal. */
export const LOG_FORMATS = ["json", "pretty"] as const;
/** Who `GET /metrics` answers: nobody (and nothing is measured), loopback peers only, or everyone. */
export const METRICS_MODES = ["off", "loopback", "on"] as const;
/** The `iss` of tokens: `<publicUrl>/<poolId>`, or Cognito's own `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
export const ISSUER_MODES = ["self", "aws"] as const;
export type IssuerMode = (typeof ISSUER_MODES)[number];

/** HTTPS (options `tls.*`): a given certificate and key, or the local CA of `--tls`. */
export interface TlsConfig {
  cert: string | undefined;
  key: string | undefined;
  generate: boolean;
}

/** The SMTP server that carries email when `delivery` is "smtp" (options `smtp.*`). */
export interface SmtpConfig {
  host: string | undefined;
  port: number | undefined;
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
  from: string;
}

/** Per-user limits on codes (options `codeLimits.*`). */
export interface CodeLimits {
  sends: number;
  wrongGuesses: number;
  windowSeconds: number;
}

/** One access key that may sign admin (SigV4) requests. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The Argon2id profile, explicit parameters and the hashing queue (options `passwordHashing.*`). */
export interface PasswordHashingConfig {
  profile: HashingProfile;
  memory: number | undefined;
  passes: number | undefined;
  parallelism: number | undefined;
  concurrency: number;
  queue: number;
}

/** Credentials for the Lambda Invoke API (else the AWS SDK's default chain). */
export interface LambdaCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where a trigger function runs (option `triggers`): a local module, an HTTP endpoint or the Lambda Invoke API. */
export type TriggerTarget =
  | { module: string }
  | { url: string }
  | {
      lambda: {
        endpoint?: string;
        region?: string;
        credentials?: LambdaCredentials;
        /** The function to invoke, when it is not the ARN the pool names. */
        functionName?: string;
      };
    };

/** One line of the `triggers` option: the function ARNs it matches (`*` is any text) and where they run. */
export interface TriggerMapping {
  pattern: string;
  target: TriggerTarget;
}

/**
 * How the codes a CustomEmailSender / CustomSMSSender trigger gets are encrypted (options
 * `customSender.*`): with a KMS keyring for the pool's KMSKeyID at `kmsEndpoint`, else with a raw
 * AES keyring (`rawAesKey`, named by `keyNamespace` and `keyName`).
 */
export interface CustomSenderConfig {
  kmsEndpoint: string | undefined;
  kmsRegion: string | undefined;
  rawAesKey: string | undefined;
  keyNamespace: string;
  keyName: string;
}

/** The whole configuration: see the option table (options.ts) or docs/configuration.md. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  memory: boolean;
  storage: string;
  accessKeys: AccessKey[];
  insecure: boolean;
  accountId: string;
  defaultRegion: string;
  publicUrl: string | undefined;
  seed: string | undefined;
  seedKey: string | undefined;
  issuer: IssuerMode;
  tls: TlsConfig;
  enableReset: boolean;
  maxBodyBytes: number;
  /** Largest CSV file accepted at an import job's pre-signed URL, in bytes. */
  importMaxBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxConnections: number;
  allowPrivateMetadataUrls: boolean;
  keyEncryptionKey: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  metrics: (typeof METRICS_MODES)[number];
  delivery: (typeof DELIVERIES)[number];
  smtp: SmtpConfig;
  oauth: { mode: (typeof OAUTH_MODES)[number] };
  codeLimits: CodeLimits;
  enableTestClock: boolean;
  enableTestFederation: boolean;
  /** Serve the offline mock OpenID Connect provider at /_lanyard/mock-idp (loopback only). */
  enableMockIdp: boolean;
  /** The OpenID Connect issuer Google sign-ins go to instead of Google (a URL, or a path here). */
  socialStandIn: string | undefined;
  passwordHashing: PasswordHashingConfig;
  triggers: TriggerMapping[];
  customSender: CustomSenderConfig;
  /** Where exported user pool logs go; undefined: a file under `dataDir`, else stdout. */
  logDelivery: (typeof LOG_SINKS)[number] | undefined;
  logDeliveryDir: string | undefined;
  /** Request-rate limits: `off`, `cognito` or `Category=RPS,...` (undefined: off on loopback, else cognito). */
  rateLimits: string | undefined;
}

export class ConfigError extends Error {}

/** A value that is one option (not a group of options). */
type Leaf = string | number | boolean | undefined | readonly unknown[];

/** Every option's key: a field name, or group.field for the nested groups ("smtp.host"). */
export type OptionKey<T = Config> = {
  [K in keyof T & string]: T[K] extends Leaf ? K : `${K}.${OptionKey<T[K]>}`;
}[keyof T & string];

/** The type of the option at a key. */
export type ValueAt<P extends string, T = Config> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? ValueAt<R, T[H]>
    : never
  : P extends keyof T
    ? T[P]
    : never;
