import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { decodeKeyEncryptionKey } from "../crypto/key-wrap.ts";
import {
  DEFAULT_HASHING_CONCURRENCY,
  DEFAULT_HASHING_QUEUE,
  HASHING_PROFILES,
  hashingParams,
  type HashingProfile,
  invalidParams,
} from "../crypto/password-hash.ts";

/** The SMTP server that carries email when `delivery` is "smtp". */
export interface SmtpConfig {
  /** `LANYARD_SMTP_HOST`. Required with the SMTP delivery. */
  host: string | undefined;
  /** `LANYARD_SMTP_PORT`. Default 465 when `secure`, else 587. */
  port: number | undefined;
  /** TLS from the first byte (port 465 style); otherwise STARTTLS when the server offers it. `LANYARD_SMTP_SECURE=1`. */
  secure: boolean;
  /** Credentials, when the server wants them. `LANYARD_SMTP_USER`, `LANYARD_SMTP_PASS`. */
  user: string | undefined;
  pass: string | undefined;
  /** Sender of every mail, unless the pool's EmailConfiguration.From says otherwise. `LANYARD_SMTP_FROM`. */
  from: string;
}

export const DELIVERIES = ["console", "smtp", "inbox"] as const;

/**
 * Per-user limits on codes (confirmation, verification, forgot-password), counted per user, and
 * per name where the app client hides which users exist. Config file key `codeLimits`.
 */
export interface CodeLimits {
  /** Codes sent to one user per window. `LANYARD_CODE_SEND_LIMIT`. Default 5. */
  sends: number;
  /** Wrong codes one user may enter per window, across all their codes. `LANYARD_CODE_GUESS_LIMIT`. Default 10. */
  wrongGuesses: number;
  /** The window, in seconds. `LANYARD_CODE_LIMIT_WINDOW`. Default 3600. */
  windowSeconds: number;
}

/** One access key that may sign admin (SigV4) requests. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Lanyard's whole configuration. Every field can be set in the JSON config file (`--config FILE`),
 * overridden by a `LANYARD_*` environment variable, overridden by a command-line flag.
 */
export interface Config {
  /** Address to listen on. `LANYARD_HOST`, `--host`. Default 127.0.0.1. */
  host: string;
  /** Port to listen on. `LANYARD_PORT`, `--port`. Default 9229. */
  port: number;
  /** Directory of the embedded SQLite database. `LANYARD_DATA`, `--data`. Default ./.lanyard */
  dataDir: string;
  /** Keep everything in memory, nothing survives a restart. `LANYARD_MEMORY=1`, `--memory`. */
  memory: boolean;
  /**
   * Where the data lives: "sqlite" (default: the embedded database in `dataDir`, or in memory) or a
   * PostgreSQL URL (`postgres://user:password@host:5432/database`), which several instances can
   * share. `LANYARD_STORAGE`, `--storage`.
   */
  storage: string;
  /**
   * Access keys allowed to sign admin requests. `LANYARD_ACCESS_KEY_ID` + `LANYARD_SECRET_ACCESS_KEY`
   * add one; the config file's `accessKeys` array may list several. With none, any well-formed
   * signature is accepted, and only on a loopback address.
   */
  accessKeys: AccessKey[];
  /** Allow listening on a non-loopback address without access keys. `LANYARD_INSECURE=1`, `--insecure`. */
  insecure: boolean;
  /** The 12-digit account id used in ARNs. `LANYARD_ACCOUNT_ID`. Default 000000000000. */
  accountId: string;
  /** Region used when a request carries none (unsigned requests). `LANYARD_REGION`. Default us-east-1. */
  defaultRegion: string;
  /** Public base URL used in token issuers; default http://HOST:PORT. `LANYARD_PUBLIC_URL`, `--public-url`. */
  publicUrl: string | undefined;
  /** Enables `POST /_lanyard/reset`, which wipes all state. `LANYARD_ENABLE_RESET=1`, `--enable-reset`. */
  enableReset: boolean;
  /** Largest request body accepted, in bytes. `LANYARD_MAX_BODY_BYTES`. Default 1 MiB. */
  maxBodyBytes: number;
  /**
   * Longest time a client may take to send a whole request, headers and body; a slower one is cut
   * (408). `LANYARD_REQUEST_TIMEOUT_MS`. Default 30 s.
   */
  requestTimeoutMs: number;
  /** Longest time a client may take to send a request's headers. `LANYARD_HEADERS_TIMEOUT_MS`. Default 10 s. */
  headersTimeoutMs: number;
  /** Most connections open at once; further ones are closed at once. `LANYARD_MAX_CONNECTIONS`. Default 1024. */
  maxConnections: number;
  /**
   * Let a SAML provider's MetadataURL point at a loopback, private or link-local address (a metadata
   * server on the same machine or network). Off: such URLs are refused. `LANYARD_ALLOW_PRIVATE_METADATA_URLS=1`.
   */
  allowPrivateMetadataUrls: boolean;
  /**
   * 32 bytes (base64 or hex) that encrypt the pools' private signing keys in the database
   * (AES-256-GCM). Environment only: `LANYARD_KEY_ENCRYPTION_KEY`. Unset: keys are stored in clear.
   */
  keyEncryptionKey: string | undefined;
  /** Request logging: "info" logs one line per request (never bodies), "warn" only problems. `LANYARD_LOG_LEVEL`. */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /**
   * How codes, temporary passwords and invitations reach users. `LANYARD_DELIVERY`, `--delivery`.
   * "console" (default) prints them on stdout; "smtp" mails them through `smtp` (SMS text messages
   * are printed, Lanyard has no SMS gateway); "inbox" keeps them in process memory and serves them
   * at `GET /_lanyard/inbox`, for test suites (a development aid, lost on restart).
   */
  delivery: (typeof DELIVERIES)[number];
  /** SMTP settings for the "smtp" delivery. `LANYARD_SMTP_*`, config file key `smtp`. */
  smtp: SmtpConfig;
  /** Limits on codes sent and wrong codes entered, per user. */
  codeLimits: CodeLimits;
  /**
   * Test only: enables `POST /_lanyard/clock`, which moves the server's clock (code expiry and the
   * like) by an offset. `LANYARD_ENABLE_TEST_CLOCK=1`, `--enable-test-clock`.
   */
  enableTestClock: boolean;
  /**
   * Test only: enables `POST /_lanyard/federated-sign-in`, which signs a user of one of the pool's
   * identity providers in from claims given in the request, without asking the provider.
   * `LANYARD_ENABLE_TEST_FEDERATION=1`, `--enable-test-federation`.
   */
  enableTestFederation: boolean;
  /** Argon2id parameters and the hashing queue. `LANYARD_PASSWORD_HASHING` and friends, config file key `passwordHashing`. */
  passwordHashing: PasswordHashingConfig;
}

export class ConfigError extends Error {}

export const DEFAULT_CONFIG: Readonly<Config> = {
  host: "127.0.0.1",
  port: 9229,
  dataDir: ".lanyard",
  memory: false,
  storage: "sqlite",
  accessKeys: [],
  insecure: false,
  accountId: "000000000000",
  defaultRegion: "us-east-1",
  publicUrl: undefined,
  enableReset: false,
  maxBodyBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  maxConnections: 1024,
  allowPrivateMetadataUrls: false,
  keyEncryptionKey: undefined,
  logLevel: "warn",
  delivery: "console",
  smtp: {
    host: undefined,
    port: undefined,
    secure: false,
    user: undefined,
    pass: undefined,
    from: "no-reply@localhost",
  },
  codeLimits: { sends: 5, wrongGuesses: 10, windowSeconds: 3600 },
  enableTestClock: false,
  enableTestFederation: false,
  passwordHashing: {
    profile: "default",
    memory: undefined,
    passes: undefined,
    parallelism: undefined,
    concurrency: DEFAULT_HASHING_CONCURRENCY,
    queue: DEFAULT_HASHING_QUEUE,
  },
};

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

function bool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  return !["0", "false", "no", "off"].includes(value.toLowerCase());
}

function port(value: unknown, from: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${from}: not a port number: ${value}`);
  return n;
}

/** A positive integer setting. */
function count(value: unknown, from: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${from}: not a positive integer: ${value}`);
  return n;
}

/** Merges file, environment and flags, in that order of precedence (flags win). */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const hashingFlags = takeHashingFlags(argv);
  const flags = parseFlags(hashingFlags.rest);
  const config: Config = {
    ...DEFAULT_CONFIG,
    accessKeys: [],
    smtp: { ...DEFAULT_CONFIG.smtp },
    codeLimits: { ...DEFAULT_CONFIG.codeLimits },
    passwordHashing: { ...DEFAULT_CONFIG.passwordHashing },
  };
  const file = flags.config ?? env.LANYARD_CONFIG;
  if (file) applyFile(config, file);
  applyHashing(config.passwordHashing, env, hashingFlags.values);

  if (env.LANYARD_HOST) config.host = env.LANYARD_HOST;
  if (env.LANYARD_PORT) config.port = port(env.LANYARD_PORT, "LANYARD_PORT");
  if (env.LANYARD_DATA) config.dataDir = env.LANYARD_DATA;
  config.memory = bool(env.LANYARD_MEMORY) ?? config.memory;
  if (env.LANYARD_STORAGE) config.storage = env.LANYARD_STORAGE;
  config.insecure = bool(env.LANYARD_INSECURE) ?? config.insecure;
  config.enableReset = bool(env.LANYARD_ENABLE_RESET) ?? config.enableReset;
  if (env.LANYARD_ACCOUNT_ID) config.accountId = env.LANYARD_ACCOUNT_ID;
  if (env.LANYARD_REGION) config.defaultRegion = env.LANYARD_REGION;
  if (env.LANYARD_PUBLIC_URL) config.publicUrl = env.LANYARD_PUBLIC_URL;
  if (env.LANYARD_MAX_BODY_BYTES) config.maxBodyBytes = Number(env.LANYARD_MAX_BODY_BYTES);
  if (env.LANYARD_REQUEST_TIMEOUT_MS) config.requestTimeoutMs = Number(env.LANYARD_REQUEST_TIMEOUT_MS);
  if (env.LANYARD_HEADERS_TIMEOUT_MS) config.headersTimeoutMs = Number(env.LANYARD_HEADERS_TIMEOUT_MS);
  if (env.LANYARD_MAX_CONNECTIONS) config.maxConnections = Number(env.LANYARD_MAX_CONNECTIONS);
  config.allowPrivateMetadataUrls =
    bool(env.LANYARD_ALLOW_PRIVATE_METADATA_URLS) ?? config.allowPrivateMetadataUrls;
  if (env.LANYARD_KEY_ENCRYPTION_KEY !== undefined) {
    if (!decodeKeyEncryptionKey(env.LANYARD_KEY_ENCRYPTION_KEY))
      throw new ConfigError(
        "LANYARD_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters) or hex (64 digits), e.g. from `openssl rand -base64 32`",
      );
    config.keyEncryptionKey = env.LANYARD_KEY_ENCRYPTION_KEY.trim();
  }
  if (env.LANYARD_LOG_LEVEL) config.logLevel = logLevel(env.LANYARD_LOG_LEVEL);
  if (env.LANYARD_DELIVERY) config.delivery = delivery(env.LANYARD_DELIVERY);
  config.enableTestClock = bool(env.LANYARD_ENABLE_TEST_CLOCK) ?? config.enableTestClock;
  config.enableTestFederation = bool(env.LANYARD_ENABLE_TEST_FEDERATION) ?? config.enableTestFederation;
  if (env.LANYARD_SMTP_HOST) config.smtp.host = env.LANYARD_SMTP_HOST;
  if (env.LANYARD_SMTP_PORT) config.smtp.port = port(env.LANYARD_SMTP_PORT, "LANYARD_SMTP_PORT");
  config.smtp.secure = bool(env.LANYARD_SMTP_SECURE) ?? config.smtp.secure;
  if (env.LANYARD_SMTP_USER) config.smtp.user = env.LANYARD_SMTP_USER;
  if (env.LANYARD_SMTP_PASS) config.smtp.pass = env.LANYARD_SMTP_PASS;
  if (env.LANYARD_SMTP_FROM) config.smtp.from = env.LANYARD_SMTP_FROM;
  const limits = config.codeLimits;
  if (env.LANYARD_CODE_SEND_LIMIT)
    limits.sends = count(env.LANYARD_CODE_SEND_LIMIT, "LANYARD_CODE_SEND_LIMIT");
  if (env.LANYARD_CODE_GUESS_LIMIT)
    limits.wrongGuesses = count(env.LANYARD_CODE_GUESS_LIMIT, "LANYARD_CODE_GUESS_LIMIT");
  if (env.LANYARD_CODE_LIMIT_WINDOW)
    limits.windowSeconds = count(env.LANYARD_CODE_LIMIT_WINDOW, "LANYARD_CODE_LIMIT_WINDOW");
  if (env.LANYARD_ACCESS_KEY_ID || env.LANYARD_SECRET_ACCESS_KEY) {
    if (!env.LANYARD_ACCESS_KEY_ID || !env.LANYARD_SECRET_ACCESS_KEY)
      throw new ConfigError("LANYARD_ACCESS_KEY_ID and LANYARD_SECRET_ACCESS_KEY must be set together");
    const key = { accessKeyId: env.LANYARD_ACCESS_KEY_ID, secretAccessKey: env.LANYARD_SECRET_ACCESS_KEY };
    checkAccessKey(key, "LANYARD_ACCESS_KEY_ID", "LANYARD_SECRET_ACCESS_KEY");
    config.accessKeys.push(key);
  }

  if (flags.host !== undefined) config.host = flags.host;
  if (flags.port !== undefined) config.port = port(flags.port, "--port");
  if (flags.data !== undefined) config.dataDir = flags.data;
  if (flags.memory) config.memory = true;
  if (flags.storage !== undefined) config.storage = flags.storage;
  if (flags.insecure) config.insecure = true;
  if (flags.enableReset) config.enableReset = true;
  if (flags.publicUrl !== undefined) config.publicUrl = flags.publicUrl;
  if (flags.delivery !== undefined) config.delivery = delivery(flags.delivery);
  if (flags.enableTestClock) config.enableTestClock = true;
  if (flags.enableTestFederation) config.enableTestFederation = true;
  if (config.delivery === "smtp" && !config.smtp.host)
    throw new ConfigError(
      "the smtp delivery needs an SMTP host: set LANYARD_SMTP_HOST (or smtp.host in the config file)",
    );
  checkStorage(config);
  if (!/^\d{12}$/.test(config.accountId)) throw new ConfigError("accountId must be 12 digits");
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes < 1024)
    throw new ConfigError("maxBodyBytes must be an integer of at least 1024");
  checkLimits(config);
  return config;
}

function checkLimits(config: Config): void {
  if (!Number.isInteger(config.requestTimeoutMs) || config.requestTimeoutMs < 100)
    throw new ConfigError("requestTimeoutMs must be an integer of at least 100 (milliseconds)");
  if (
    !Number.isInteger(config.headersTimeoutMs) ||
    config.headersTimeoutMs < 100 ||
    config.headersTimeoutMs > config.requestTimeoutMs
  )
    throw new ConfigError("headersTimeoutMs must be an integer from 100 to requestTimeoutMs (milliseconds)");
  if (!Number.isInteger(config.maxConnections) || config.maxConnections < 1)
    throw new ConfigError("maxConnections must be a positive integer");
}

function checkStorage(config: Config): void {
  if (config.storage === "sqlite") return;
  if (!/^postgres(ql)?:\/\/./i.test(config.storage))
    throw new ConfigError('storage must be "sqlite" or a postgres:// URL');
  if (config.memory)
    throw new ConfigError(
      "--memory keeps the embedded SQLite database in memory; it cannot be combined with a PostgreSQL storage",
    );
}

function delivery(value: string): Config["delivery"] {
  const found = DELIVERIES.find((d) => d === value);
  if (!found) throw new ConfigError(`delivery must be one of ${DELIVERIES.join(", ")}`);
  return found;
}

function logLevel(value: string): Config["logLevel"] {
  const found = LOG_LEVELS.find((l) => l === value);
  if (!found) throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(", ")}`);
  return found;
}

interface Flags {
  host?: string;
  port?: string;
  data?: string;
  memory?: boolean;
  storage?: string;
  config?: string;
  insecure?: boolean;
  enableReset?: boolean;
  publicUrl?: string;
  delivery?: string;
  enableTestClock?: boolean;
  enableTestFederation?: boolean;
}

export const USAGE = `usage: lanyard [--host 127.0.0.1] [--port 9229] [--data DIR | --memory | --storage postgres://...]
               [--config FILE]
               [--public-url URL] [--enable-reset] [--insecure]
               [--delivery console|smtp|inbox] [--enable-test-clock] [--enable-test-federation]
               [--password-hashing default|test] [--argon2-memory KIB] [--argon2-passes N]
               [--argon2-parallelism N] [--password-hashing-concurrency N] [--password-hashing-queue N]
Every option can also be set by a LANYARD_* environment variable (see README).`;

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new ConfigError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case "--host":
        flags.host = value();
        break;
      case "--port":
        flags.port = value();
        break;
      case "--data":
        flags.data = value();
        break;
      case "--storage":
        flags.storage = value();
        break;
      case "--config":
        flags.config = value();
        break;
      case "--public-url":
        flags.publicUrl = value();
        break;
      case "--memory":
        flags.memory = true;
        break;
      case "--insecure":
        flags.insecure = true;
        break;
      case "--enable-reset":
        flags.enableReset = true;
        break;
      case "--delivery":
        flags.delivery = value();
        break;
      case "--enable-test-clock":
        flags.enableTestClock = true;
        break;
      case "--enable-test-federation":
        flags.enableTestFederation = true;
        break;
      default:
        throw new ConfigError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return flags;
}

function applyFile(config: Config, file: string): void {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${file}: not a JSON object`);
  const o = raw as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw new ConfigError(`${file}: ${k} must be a string`);
    return v;
  };
  const flag = (k: string): boolean | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") throw new ConfigError(`${file}: ${k} must be true or false`);
    return v;
  };
  const known = new Set([
    "host",
    "port",
    "data",
    "memory",
    "storage",
    "accessKeys",
    "insecure",
    "accountId",
    "region",
    "publicUrl",
    "enableReset",
    "maxBodyBytes",
    "requestTimeoutMs",
    "headersTimeoutMs",
    "maxConnections",
    "allowPrivateMetadataUrls",
    "logLevel",
    "delivery",
    "smtp",
    "enableTestClock",
    "enableTestFederation",
    "codeLimits",
    "passwordHashing",
  ]);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new ConfigError(`${file}: unknown setting ${k}`);
  config.host = str("host") ?? config.host;
  if (o.port !== undefined) config.port = port(o.port, `${file}: port`);
  config.dataDir = str("data") ?? config.dataDir;
  config.memory = flag("memory") ?? config.memory;
  config.storage = str("storage") ?? config.storage;
  config.insecure = flag("insecure") ?? config.insecure;
  config.enableReset = flag("enableReset") ?? config.enableReset;
  config.accountId = str("accountId") ?? config.accountId;
  config.defaultRegion = str("region") ?? config.defaultRegion;
  config.publicUrl = str("publicUrl") ?? config.publicUrl;
  const level = str("logLevel");
  if (level) config.logLevel = logLevel(level);
  if (o.maxBodyBytes !== undefined) config.maxBodyBytes = Number(o.maxBodyBytes);
  for (const k of ["requestTimeoutMs", "headersTimeoutMs", "maxConnections"] as const)
    if (o[k] !== undefined) config[k] = Number(o[k]);
  config.allowPrivateMetadataUrls = flag("allowPrivateMetadataUrls") ?? config.allowPrivateMetadataUrls;
  const deliveryName = str("delivery");
  if (deliveryName) config.delivery = delivery(deliveryName);
  config.enableTestClock = flag("enableTestClock") ?? config.enableTestClock;
  config.enableTestFederation = flag("enableTestFederation") ?? config.enableTestFederation;
  if (o.smtp !== undefined) applySmtp(config.smtp, o.smtp, file);
  if (o.codeLimits !== undefined) applyCodeLimits(config.codeLimits, o.codeLimits, file);
  if (o.passwordHashing !== undefined) applyHashingFile(config.passwordHashing, o.passwordHashing, file);
  if (o.accessKeys !== undefined) {
    if (!Array.isArray(o.accessKeys)) throw new ConfigError(`${file}: accessKeys must be an array`);
    for (const k of o.accessKeys as unknown[]) {
      const key = k as Record<string, unknown>;
      if (typeof key?.accessKeyId !== "string" || typeof key?.secretAccessKey !== "string")
        throw new ConfigError(`${file}: each of accessKeys needs accessKeyId and secretAccessKey strings`);
      const entry = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
      const at = `${file}: accessKeys[${config.accessKeys.length}]`;
      checkAccessKey(entry, `${at}.accessKeyId`, `${at}.secretAccessKey`);
      config.accessKeys.push(entry);
    }
  }
}

/** AWS secret keys have 40 characters; a short one is guessable, an empty one signs for anyone. */
export const MIN_SECRET_LENGTH = 16;

function checkAccessKey(key: AccessKey, idName: string, secretName: string): void {
  if (key.accessKeyId.trim() === "" || /[\s/]/.test(key.accessKeyId))
    throw new ConfigError(`${idName} must be a non-empty access key id, without spaces or "/"`);
  if (key.secretAccessKey.length < MIN_SECRET_LENGTH)
    throw new ConfigError(
      `${secretName} of access key ${key.accessKeyId} is ${key.secretAccessKey.length === 0 ? "empty" : "too short"}: a secret access key needs at least ${MIN_SECRET_LENGTH} characters (AWS's have 40)`,
    );
}

function applySmtp(smtp: SmtpConfig, raw: unknown, file: string): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${file}: smtp must be an object`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!["host", "port", "secure", "user", "pass", "from"].includes(k))
      throw new ConfigError(`${file}: unknown setting smtp.${k}`);
  for (const k of ["host", "user", "pass", "from"] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== "string") throw new ConfigError(`${file}: smtp.${k} must be a string`);
    smtp[k] = v;
  }
  if (o.port !== undefined) smtp.port = port(o.port, `${file}: smtp.port`);
  if (o.secure !== undefined) {
    if (typeof o.secure !== "boolean") throw new ConfigError(`${file}: smtp.secure must be true or false`);
    smtp.secure = o.secure;
  }
}

function applyCodeLimits(limits: CodeLimits, raw: unknown, file: string): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${file}: codeLimits must be an object`);
  for (const [k, v] of Object.entries(raw)) {
    if (k !== "sends" && k !== "wrongGuesses" && k !== "windowSeconds")
      throw new ConfigError(`${file}: unknown setting codeLimits.${k}`);
    limits[k] = count(v, `${file}: codeLimits.${k}`);
  }
}

// ---- Password hashing: the Argon2id profile, explicit parameters, the hashing queue ----

/**
 * How passwords are hashed. `profile` picks the Argon2id parameters ("default": OWASP's 19 MiB,
 * 2 passes, 1 lane; "test": the cheapest node:crypto allows, for test suites, refused on a
 * non-loopback address without `--insecure`); `memory` (KiB), `passes` and `parallelism` override
 * single parameters. At most `concurrency` hashes run at once and `queue` more wait; further
 * requests get TooManyRequestsException.
 */
export interface PasswordHashingConfig {
  /** `LANYARD_PASSWORD_HASHING`, `--password-hashing`. */
  profile: HashingProfile;
  /** `LANYARD_ARGON2_MEMORY`, `--argon2-memory` (KiB). */
  memory: number | undefined;
  /** `LANYARD_ARGON2_PASSES`, `--argon2-passes`. */
  passes: number | undefined;
  /** `LANYARD_ARGON2_PARALLELISM`, `--argon2-parallelism`. */
  parallelism: number | undefined;
  /** `LANYARD_PASSWORD_HASHING_CONCURRENCY`, `--password-hashing-concurrency`. Default: the cores, at most 4. */
  concurrency: number;
  /** `LANYARD_PASSWORD_HASHING_QUEUE`, `--password-hashing-queue`. Default 64. */
  queue: number;
}

/** Setting name -> [environment variable, flag]. */
const HASHING_OPTIONS = {
  profile: ["LANYARD_PASSWORD_HASHING", "--password-hashing"],
  memory: ["LANYARD_ARGON2_MEMORY", "--argon2-memory"],
  passes: ["LANYARD_ARGON2_PASSES", "--argon2-passes"],
  parallelism: ["LANYARD_ARGON2_PARALLELISM", "--argon2-parallelism"],
  concurrency: ["LANYARD_PASSWORD_HASHING_CONCURRENCY", "--password-hashing-concurrency"],
  queue: ["LANYARD_PASSWORD_HASHING_QUEUE", "--password-hashing-queue"],
} as const satisfies Record<keyof PasswordHashingConfig, readonly [string, string]>;
type HashingKey = keyof typeof HASHING_OPTIONS;
const HASHING_KEYS = Object.keys(HASHING_OPTIONS) as HashingKey[];

/** The password-hashing flags taken out of argv (the rest goes to parseFlags). */
function takeHashingFlags(argv: readonly string[]): {
  rest: string[];
  values: Partial<Record<HashingKey, string>>;
} {
  const rest: string[] = [];
  const values: Partial<Record<HashingKey, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const key = HASHING_KEYS.find((k) => HASHING_OPTIONS[k][1] === name);
    if (!key) {
      rest.push(arg);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    values[key] = value;
  }
  return { rest, values };
}

function setHashing(h: PasswordHashingConfig, key: HashingKey, value: unknown, from: string): void {
  if (key === "profile") {
    const found = Object.keys(HASHING_PROFILES).find((p) => p === value) as HashingProfile | undefined;
    if (!found)
      throw new ConfigError(
        `${from}: password hashing profile must be one of ${Object.keys(HASHING_PROFILES).join(", ")}`,
      );
    h.profile = found;
    return;
  }
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${from}: not a whole number: ${value}`);
  h[key] = n;
}

/** Environment, then flags, over what the config file said; then checks the result. */
function applyHashing(
  h: PasswordHashingConfig,
  env: NodeJS.ProcessEnv,
  flags: Partial<Record<HashingKey, string>>,
): void {
  for (const key of HASHING_KEYS) {
    const [envName, flagName] = HASHING_OPTIONS[key];
    const fromEnv = env[envName];
    if (fromEnv) setHashing(h, key, fromEnv, envName);
    if (flags[key] !== undefined) setHashing(h, key, flags[key], flagName);
  }
  const invalid = invalidParams(hashingParams(h.profile, h));
  if (invalid) throw new ConfigError(invalid);
  if (h.concurrency < 1 || h.concurrency > 256)
    throw new ConfigError("password hashing concurrency must be from 1 to 256");
  if (h.queue > 1_000_000) throw new ConfigError("password hashing queue must be from 0 to 1000000");
}

function applyHashingFile(h: PasswordHashingConfig, raw: unknown, file: string): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${file}: passwordHashing must be an object`);
  for (const [k, v] of Object.entries(raw)) {
    const key = HASHING_KEYS.find((x) => x === k);
    if (!key) throw new ConfigError(`${file}: unknown setting passwordHashing.${k}`);
    setHashing(h, key, v, `${file}: passwordHashing.${k}`);
  }
}

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}
