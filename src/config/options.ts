/**
 * The option table: every setting of Lanyard, declared once. Each option has its key (the config
 * file key and the field of `Config`; "group.field" for the nested groups), its environment
 * variable, its flag, the type it takes, its default and its description. The table drives the
 * parsing (config.ts), the checks (validate.ts), `lanyard --help` and docs/configuration.md
 * (docs.ts, written by `node scripts/codegen.ts`).
 */
import { decodeKeyEncryptionKey } from "../crypto/key-wrap.ts";
import {
  DEFAULT_HASHING_CONCURRENCY,
  DEFAULT_HASHING_QUEUE,
  HASHING_PROFILES,
  type HashingProfile,
} from "../crypto/password-hash.ts";
import { parseTriggers } from "./triggers.ts";
import { parseStandIns } from "./social-stand-in.ts";
import {
  type AccessKey,
  ConfigError,
  DELIVERIES,
  ISSUER_MODES,
  LOG_FORMATS,
  LOG_LEVELS,
  LOG_SINKS,
  METRICS_MODES,
  OAUTH_MODES,
  type OptionKey,
  type ValueAt,
} from "./types.ts";

export interface Option<V> {
  /** The `LANYARD_*` environment variable, if the option has one. */
  env?: string;
  /** The command-line flag, if the option has one. */
  flag?: string;
  /** False: the option cannot be set in the config file (environment only). */
  file?: false;
  /** What the option takes, as --help and the docs show it. */
  type: string;
  /** A switch: the flag takes no value and sets true; the environment reads 1/0, true/false. */
  switch?: true;
  /** The placeholder of the flag's value in --help. */
  placeholder?: string;
  default: V;
  /** The default as the docs show it, when the value itself does not say it well. */
  shownDefault?: string;
  /** One paragraph: what the option does. */
  description: string;
  /** An empty environment variable is parsed (and refused) instead of ignored. */
  emptyEnv?: true;
  /** How the environment shows the option, when it is not one plain variable. */
  shownEnv?: string;
  /**
   * Reads a value: `value` is text from the environment or a flag, or any JSON value from the
   * config file (`fromFile`); `from` names where it came from, for the error message.
   */
  parse(value: unknown, from: string, fromFile: boolean): V;
  /** Reads the option from the environment itself, when it is not one plain variable. */
  readEnv?(env: NodeJS.ProcessEnv, current: V): V | undefined;
  /** A check of the final value alone; answers the error message. */
  check?(value: V): string | undefined;
}

// ---- Parsers of the common types ----

function text(value: unknown, from: string): string {
  if (typeof value !== "string") throw new ConfigError(`${from} must be a string`);
  return value;
}

function bool(value: unknown, from: string, fromFile: boolean): boolean {
  if (typeof value === "boolean") return value;
  if (fromFile || typeof value !== "string") throw new ConfigError(`${from} must be true or false`);
  return !["0", "false", "no", "off"].includes(value.toLowerCase());
}

/** In the config file, a number must be a JSON number. */
function numberInFile(value: unknown, from: string, fromFile: boolean): void {
  if (fromFile && typeof value !== "number") throw new ConfigError(`${from} must be a number`);
}

function port(value: unknown, from: string, fromFile: boolean): number {
  numberInFile(value, from, fromFile);
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${from}: not a port number: ${String(value)}`);
  return n;
}

/** A positive integer. */
function count(value: unknown, from: string, fromFile: boolean): number {
  numberInFile(value, from, fromFile);
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ConfigError(`${from}: not a positive integer: ${String(value)}`);
  return n;
}

/** A number, checked by the option's own check (text from the environment as Number reads it). */
function number(value: unknown, from: string, fromFile: boolean): number {
  numberInFile(value, from, fromFile);
  return Number(value);
}

/** A whole number (0 or more). */
function whole(value: unknown, from: string, fromFile: boolean): number {
  numberInFile(value, from, fromFile);
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${from}: not a whole number: ${String(value)}`);
  return n;
}

function oneOf<T extends string>(
  values: readonly T[],
  message: (from: string) => string,
): (value: unknown, from: string, fromFile: boolean) => T {
  return (value, from, fromFile) => {
    if (fromFile && typeof value !== "string") throw new ConfigError(`${from} must be a string`);
    const found = values.find((v) => v === value);
    if (found === undefined) throw new ConfigError(message(from));
    return found;
  };
}

function integerAtLeast(min: number, message: string): (value: number) => string | undefined {
  return (value) => (Number.isInteger(value) && value >= min ? undefined : message);
}

/** AWS secret keys have 40 characters; a short one is guessable, an empty one signs for anyone. */
export const MIN_SECRET_LENGTH = 16;

export function checkAccessKey(key: AccessKey, idName: string, secretName: string): void {
  if (key.accessKeyId.trim() === "" || /[\s/]/.test(key.accessKeyId))
    throw new ConfigError(`${idName} must be a non-empty access key id, without spaces or "/"`);
  if (key.secretAccessKey.length < MIN_SECRET_LENGTH)
    throw new ConfigError(
      `${secretName} of access key ${key.accessKeyId} is ${key.secretAccessKey.length === 0 ? "empty" : "too short"}: a secret access key needs at least ${MIN_SECRET_LENGTH} characters (AWS's have 40)`,
    );
}

function accessKeys(value: unknown, from: string): AccessKey[] {
  if (!Array.isArray(value)) throw new ConfigError(`${from} must be an array`);
  return value.map((k: unknown, i) => {
    const key = (typeof k === "object" && k !== null ? k : {}) as Record<string, unknown>;
    if (typeof key.accessKeyId !== "string" || typeof key.secretAccessKey !== "string")
      throw new ConfigError(`${from}[${i}] needs accessKeyId and secretAccessKey strings`);
    const entry = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    checkAccessKey(entry, `${from}[${i}].accessKeyId`, `${from}[${i}].secretAccessKey`);
    return entry;
  });
}

const PROFILES = Object.keys(HASHING_PROFILES) as HashingProfile[];

/** Every option, by key. The `satisfies` clause makes the compiler check it against `Config`. */
export const OPTIONS = {
  host: {
    env: "LANYARD_HOST",
    flag: "--host",
    type: "string",
    placeholder: "HOST",
    default: "127.0.0.1",
    description: "Address to listen on.",
    parse: text,
  },
  port: {
    env: "LANYARD_PORT",
    flag: "--port",
    type: "port",
    placeholder: "PORT",
    default: 9229,
    description: "Port to listen on (0: any free port).",
    parse: port,
  },
  dataDir: {
    env: "LANYARD_DATA",
    flag: "--data",
    type: "string",
    placeholder: "DIR",
    default: ".lanyard",
    shownDefault: "`./.lanyard`",
    description: "Directory of the embedded SQLite database.",
    parse: text,
  },
  memory: {
    env: "LANYARD_MEMORY",
    flag: "--memory",
    type: "boolean",
    switch: true,
    default: false,
    description: "Keep everything in memory: nothing survives a restart.",
    parse: bool,
  },
  storage: {
    env: "LANYARD_STORAGE",
    flag: "--storage",
    type: "`sqlite` or a PostgreSQL URL",
    placeholder: "URL",
    default: "sqlite",
    description:
      "Where the data lives: `sqlite` (the embedded database in `dataDir`, or in memory) or a PostgreSQL URL (`postgres://user:password@host:5432/database`), which several instances can share.",
    parse: text,
  },
  accessKeys: {
    shownEnv: "`LANYARD_ACCESS_KEY_ID` + `LANYARD_SECRET_ACCESS_KEY`",
    type: "array of `{accessKeyId, secretAccessKey}`",
    default: [],
    shownDefault: "none",
    description:
      "Access keys allowed to sign admin requests. The two environment variables add one key; the config file may list several. Secrets need at least 16 characters. With none, any well-formed signature is accepted, and only on a loopback address.",
    parse: accessKeys,
    readEnv(env, current) {
      const id = env.LANYARD_ACCESS_KEY_ID;
      const secret = env.LANYARD_SECRET_ACCESS_KEY;
      if (!id && !secret) return undefined;
      if (!id || !secret)
        throw new ConfigError("LANYARD_ACCESS_KEY_ID and LANYARD_SECRET_ACCESS_KEY must be set together");
      const key = { accessKeyId: id, secretAccessKey: secret };
      checkAccessKey(key, "LANYARD_ACCESS_KEY_ID", "LANYARD_SECRET_ACCESS_KEY");
      return [...current, key];
    },
  },
  insecure: {
    env: "LANYARD_INSECURE",
    flag: "--insecure",
    type: "boolean",
    switch: true,
    default: false,
    description:
      "Allow listening on a non-loopback address without access keys (and the test password-hashing profile there).",
    parse: bool,
  },
  accountId: {
    env: "LANYARD_ACCOUNT_ID",
    type: "12 digits",
    default: "000000000000",
    description: "The account id used in ARNs.",
    parse: text,
    check: (value) => (/^\d{12}$/.test(value) ? undefined : "accountId must be 12 digits"),
  },
  defaultRegion: {
    env: "LANYARD_REGION",
    type: "string",
    default: "us-east-1",
    description: "Region of requests that carry none (unsigned requests without a pool id).",
    parse: text,
  },
  publicUrl: {
    env: "LANYARD_PUBLIC_URL",
    flag: "--public-url",
    type: "URL",
    placeholder: "URL",
    default: undefined,
    shownDefault: "`http://HOST:PORT` (`https://` with TLS)",
    description: "Public base URL, used in token issuers.",
    parse: text,
  },
  seed: {
    env: "LANYARD_SEED",
    flag: "--seed",
    type: "path",
    placeholder: "FILE",
    default: undefined,
    shownDefault: "none",
    description:
      "A seed file (YAML or JSON: pools, app clients, groups, users, ...; see docs/seed.md) applied at every start, before the server listens: what is missing is created, what differs is updated.",
    parse: text,
  },
  seedKey: {
    env: "LANYARD_SEED_KEY",
    flag: "--seed-key",
    type: "32 bytes, base64 or hex",
    placeholder: "KEY",
    default: undefined,
    shownDefault: "none (no TOTP secrets exported)",
    description:
      "The key `lanyard export` seals users' TOTP secrets under in the file (AES-256-GCM), and `--seed` opens them with; e.g. from `openssl rand -base64 32`.",
    parse(value, from) {
      const key = text(value, from);
      if (!decodeKeyEncryptionKey(key))
        throw new ConfigError(`${from} must be 32 bytes in base64 (44 characters) or hex (64 digits)`);
      return key.trim();
    },
  },
  issuer: {
    env: "LANYARD_ISSUER",
    flag: "--issuer",
    type: ISSUER_MODES.map((m) => `\`${m}\``).join(", "),
    placeholder: ISSUER_MODES.join("|"),
    default: "self",
    description:
      "The `iss` of every token and of the pools' OpenID configuration: `self` is `<publicUrl>/<poolId>`; `aws` is Cognito's own `https://cognito-idp.<region>.amazonaws.com/<poolId>` (region from the pool id), for code that only accepts Cognito's issuer. Tokens verify only in the mode they were issued in.",
    parse: oneOf(ISSUER_MODES, (from) => `${from}: issuer must be one of ${ISSUER_MODES.join(", ")}`),
  },
  "tls.cert": {
    env: "LANYARD_TLS_CERT",
    flag: "--tls-cert",
    type: "PEM file",
    placeholder: "FILE",
    default: undefined,
    shownDefault: "none",
    description: "Listen with HTTPS, with this certificate (and its chain, leaf first); needs `tls.key`.",
    parse: text,
  },
  "tls.key": {
    env: "LANYARD_TLS_KEY",
    flag: "--tls-key",
    type: "PEM file",
    placeholder: "FILE",
    default: undefined,
    shownDefault: "none",
    description:
      "The private key of `tls.cert`. Refused when the group or others may read or write it (`chmod 600`).",
    parse: text,
  },
  "tls.generate": {
    env: "LANYARD_TLS",
    flag: "--tls",
    type: "boolean",
    switch: true,
    default: false,
    description:
      "Listen with HTTPS, with a certificate for `localhost`, `*.localhost`, `*.auth.<defaultRegion>.localhost`, `127.0.0.1` and `::1` signed by a local certificate authority that Lanyard makes in `<dataDir>/tls/` (in memory with `--memory`) and reuses; the start-up message says how to trust it.",
    parse: bool,
  },
  enableReset: {
    env: "LANYARD_ENABLE_RESET",
    flag: "--enable-reset",
    type: "boolean",
    switch: true,
    default: false,
    description: "Enable `POST /_lanyard/reset`, which wipes all state (for external test suites).",
    parse: bool,
  },
  maxBodyBytes: {
    env: "LANYARD_MAX_BODY_BYTES",
    type: "integer, at least 1024",
    default: 1024 * 1024,
    shownDefault: "1048576 (1 MiB)",
    description: "Largest request body accepted, in bytes.",
    parse: number,
    check: integerAtLeast(1024, "maxBodyBytes must be an integer of at least 1024"),
  },
  importMaxBytes: {
    env: "LANYARD_IMPORT_MAX_BYTES",
    type: "integer, at least 1024",
    default: 100 * 1024 * 1024,
    shownDefault: "104857600 (100 MiB, Cognito's limit)",
    description:
      "Largest CSV file accepted at a user import job's pre-signed URL, in bytes; a bigger upload is refused (400 EntityTooLarge).",
    parse: number,
    check: integerAtLeast(1024, "importMaxBytes must be an integer of at least 1024"),
  },
  requestTimeoutMs: {
    env: "LANYARD_REQUEST_TIMEOUT_MS",
    type: "integer, at least 100",
    default: 30_000,
    shownDefault: "30000 (30 s)",
    description:
      "Longest time a client may take to send a whole request, headers and body, in milliseconds; a slower one is cut (408).",
    parse: number,
    check: integerAtLeast(100, "requestTimeoutMs must be an integer of at least 100 (milliseconds)"),
  },
  headersTimeoutMs: {
    env: "LANYARD_HEADERS_TIMEOUT_MS",
    type: "integer, 100 to `requestTimeoutMs`",
    default: 10_000,
    shownDefault: "10000 (10 s)",
    description: "Longest time a client may take to send a request's headers, in milliseconds.",
    parse: number,
  },
  maxConnections: {
    env: "LANYARD_MAX_CONNECTIONS",
    type: "positive integer",
    default: 1024,
    description: "Most connections open at once; further ones are closed at once.",
    parse: number,
    check: integerAtLeast(1, "maxConnections must be a positive integer"),
  },
  allowPrivateMetadataUrls: {
    env: "LANYARD_ALLOW_PRIVATE_METADATA_URLS",
    type: "boolean",
    switch: true,
    default: false,
    description:
      "Let a SAML provider's MetadataURL point at a loopback, private or link-local address. Off: such URLs are refused.",
    parse: bool,
  },
  keyEncryptionKey: {
    env: "LANYARD_KEY_ENCRYPTION_KEY",
    file: false,
    emptyEnv: true,
    type: "32 bytes, base64 or hex",
    default: undefined,
    shownDefault: "none (keys stored in clear)",
    description:
      "Encrypts the pools' private signing keys in the database (AES-256-GCM); e.g. from `openssl rand -base64 32`. Environment only.",
    parse(value) {
      const key = String(value);
      if (!decodeKeyEncryptionKey(key))
        throw new ConfigError(
          "LANYARD_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters) or hex (64 digits), e.g. from `openssl rand -base64 32`",
        );
      return key.trim();
    },
  },
  logLevel: {
    env: "LANYARD_LOG_LEVEL",
    type: LOG_LEVELS.map((l) => `\`${l}\``).join(", "),
    default: "warn",
    description: 'Request logging: "info" logs one line per request (never bodies), "warn" only problems.',
    parse: oneOf(LOG_LEVELS, () => `log level must be one of ${LOG_LEVELS.join(", ")}`),
  },
  logFormat: {
    env: "LANYARD_LOG_FORMAT",
    flag: "--log-format",
    type: LOG_FORMATS.map((f) => `\`${f}\``).join(", "),
    placeholder: LOG_FORMATS.join("|"),
    default: "json",
    description:
      "How log lines are written on standard error: `json`, one JSON object a line (for log collectors); `pretty`, one short readable line each (for a terminal).",
    parse: oneOf(LOG_FORMATS, () => `log format must be one of ${LOG_FORMATS.join(", ")}`),
  },
  metrics: {
    env: "LANYARD_METRICS",
    flag: "--metrics",
    type: METRICS_MODES.map((m) => `\`${m}\``).join(", "),
    placeholder: METRICS_MODES.join("|"),
    default: "loopback",
    description:
      "`GET /metrics` in the Prometheus text format: `loopback` answers only requests from a loopback address, `on` answers every address (put it behind your network's rules), `off` serves no metrics and measures nothing.",
    parse: oneOf(METRICS_MODES, () => `metrics must be one of ${METRICS_MODES.join(", ")}`),
  },
  delivery: {
    env: "LANYARD_DELIVERY",
    flag: "--delivery",
    type: DELIVERIES.map((d) => `\`${d}\``).join(", "),
    placeholder: DELIVERIES.join("|"),
    default: "console",
    description:
      "How codes, temporary passwords and invitations reach users: `console` prints them on standard output; `smtp` mails them through `smtp.*` (SMS text messages are printed); `inbox` keeps them in memory for `GET /_lanyard/inbox` (test suites).",
    parse: oneOf(DELIVERIES, () => `delivery must be one of ${DELIVERIES.join(", ")}`),
  },
  logDelivery: {
    env: "LANYARD_LOG_DELIVERY",
    flag: "--log-delivery",
    type: LOG_SINKS.map((s) => `\`${s}\``).join(", "),
    placeholder: LOG_SINKS.join("|"),
    default: undefined,
    shownDefault: "`file` with a data directory or `logDeliveryDir`, else `stdout`",
    description:
      "Where the user pool logs of SetLogDeliveryConfiguration go (Lanyard reaches no CloudWatch Logs, S3 or Firehose): `file` appends JSON lines to `<logDeliveryDir>/<poolId>.<eventSource>.jsonl` (readable by the owner only); `stdout` prints one JSON line per record.",
    parse: oneOf(LOG_SINKS, () => `logDelivery must be one of ${LOG_SINKS.join(", ")}`),
  },
  logDeliveryDir: {
    env: "LANYARD_LOG_DELIVERY_DIR",
    flag: "--log-delivery-dir",
    type: "string",
    placeholder: "DIR",
    default: undefined,
    shownDefault: "`<dataDir>/log-delivery`",
    description: "Directory of the `file` log delivery's files.",
    parse: text,
  },
  "oauth.mode": {
    env: "LANYARD_OAUTH_MODE",
    flag: "--oauth-mode",
    type: OAUTH_MODES.map((m) => `\`${m}\``).join(", "),
    placeholder: OAUTH_MODES.join("|"),
    default: "cognito",
    description:
      "The OAuth endpoints and login pages: `cognito` answers as Cognito does; `strict` follows OpenID Connect where Cognito does not (standard claim types in userInfo, `prompt`, `max_age`, `login_hint`, RP-initiated logout, `request`/`request_uri` refused, the `iss` authorization response parameter, authorization requests by POST).",
    parse: oneOf(OAUTH_MODES, () => `oauth.mode must be one of ${OAUTH_MODES.join(", ")}`),
  },
  "smtp.host": {
    env: "LANYARD_SMTP_HOST",
    type: "string",
    default: undefined,
    shownDefault: "none",
    description: "SMTP server of the `smtp` delivery (required with it).",
    parse: text,
  },
  "smtp.port": {
    env: "LANYARD_SMTP_PORT",
    type: "port",
    default: undefined,
    shownDefault: "465 when `smtp.secure`, else 587",
    description: "Port of the SMTP server.",
    parse: port,
  },
  "smtp.secure": {
    env: "LANYARD_SMTP_SECURE",
    type: "boolean",
    switch: true,
    default: false,
    description: "TLS from the first byte (port 465 style); off: STARTTLS when the server offers it.",
    parse: bool,
  },
  "smtp.user": {
    env: "LANYARD_SMTP_USER",
    type: "string",
    default: undefined,
    shownDefault: "none",
    description: "SMTP user name, when the server wants credentials.",
    parse: text,
  },
  "smtp.pass": {
    env: "LANYARD_SMTP_PASS",
    type: "string",
    default: undefined,
    shownDefault: "none",
    description: "SMTP password, when the server wants credentials.",
    parse: text,
  },
  "smtp.from": {
    env: "LANYARD_SMTP_FROM",
    type: "email address",
    default: "no-reply@localhost",
    description: "Sender of every mail, unless the pool's `EmailConfiguration.From` says otherwise.",
    parse: text,
  },
  "codeLimits.sends": {
    env: "LANYARD_CODE_SEND_LIMIT",
    type: "positive integer",
    default: 5,
    description: "Codes (confirmation, verification, forgot-password) sent to one user per window.",
    parse: count,
  },
  "codeLimits.wrongGuesses": {
    env: "LANYARD_CODE_GUESS_LIMIT",
    type: "positive integer",
    default: 10,
    description: "Wrong codes one user may enter per window, across all their codes.",
    parse: count,
  },
  "codeLimits.windowSeconds": {
    env: "LANYARD_CODE_LIMIT_WINDOW",
    type: "positive integer",
    default: 3600,
    description: "The window of the two code limits, in seconds.",
    parse: count,
  },
  enableTestClock: {
    env: "LANYARD_ENABLE_TEST_CLOCK",
    flag: "--enable-test-clock",
    type: "boolean",
    switch: true,
    default: false,
    description: "Tests only: enable `POST /_lanyard/clock`, which moves the server's clock by an offset.",
    parse: bool,
  },
  enableTestFederation: {
    env: "LANYARD_ENABLE_TEST_FEDERATION",
    flag: "--enable-test-federation",
    type: "boolean",
    switch: true,
    default: false,
    description:
      "Tests only: enable `POST /_lanyard/federated-sign-in`, which signs a federated user in from claims given in the request.",
    parse: bool,
  },
  socialStandIn: {
    env: "LANYARD_SOCIAL_STAND_IN",
    flag: "--social-stand-in",
    type: "URL, or a path on this server",
    placeholder: "ISSUER",
    default: undefined,
    shownDefault: "none (the real providers)",
    description:
      "Send social sign-ins elsewhere than the real providers, for tests and offline work: a comma-separated list of `<ProviderType>=<base>` (`Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`; the base a URL or a path of this server, under which the provider's own paths are served), or a bare OpenID Connect issuer for Google, such as `/_lanyard/mock-idp` (the mock provider of `--enable-mock-idp`).",
    parse: (value, from) => {
      const s = text(value, from);
      try {
        parseStandIns(s);
      } catch (e) {
        throw new ConfigError(`${from}: ${(e as Error).message}`);
      }
      return s;
    },
  },
  enableMockIdp: {
    env: "LANYARD_ENABLE_MOCK_IDP",
    flag: "--enable-mock-idp",
    type: "boolean",
    switch: true,
    default: false,
    description:
      "Local testing only: serve an offline OpenID Connect provider at `/_lanyard/mock-idp`, whose sign-in page signs in as any subject and claims typed there (an OIDC or Google stand-in).",
    parse: bool,
  },
  rateLimits: {
    env: "LANYARD_RATE_LIMITS",
    flag: "--rate-limits",
    type: "`off`, `cognito`, or `Category=RPS` entries separated by commas",
    placeholder: "off|cognito|Category=RPS,...",
    default: undefined,
    shownDefault: "`off` on a loopback address, `cognito` otherwise",
    description:
      "Request-rate limits by Cognito quota category: `cognito` applies Cognito's default rates (UserAuthentication 120 per second and so on), `Category=RPS` entries set categories' rates (the others keep Cognito's), `off` none. Over a limit a request gets TooManyRequestsException. See docs/compatibility.md (replicas and limits).",
    parse: (value, from) => {
      const v = text(value, from).trim();
      if (!/^(off|cognito|(cognito,)?[A-Za-z]+=\d+(,[A-Za-z]+=\d+)*)$/.test(v.replace(/\s+/g, "")))
        throw new ConfigError(`${from} must be off, cognito or Category=RPS entries separated by commas`);
      return v.replace(/\s+/g, "");
    },
  },
  "passwordHashing.profile": {
    env: "LANYARD_PASSWORD_HASHING",
    flag: "--password-hashing",
    type: PROFILES.map((p) => `\`${p}\``).join(", "),
    placeholder: PROFILES.join("|"),
    default: "default",
    description:
      "Argon2id parameters: `default` is OWASP's (19 MiB, 2 passes, 1 lane); `test` the cheapest Node.js allows, for test suites, refused on a non-loopback address without `--insecure`.",
    parse: oneOf(
      PROFILES,
      (from) => `${from}: password hashing profile must be one of ${PROFILES.join(", ")}`,
    ),
  },
  "passwordHashing.memory": {
    env: "LANYARD_ARGON2_MEMORY",
    flag: "--argon2-memory",
    type: "whole number (KiB)",
    placeholder: "KIB",
    default: undefined,
    shownDefault: "the profile's",
    description: "Argon2id memory in KiB, overriding the profile's.",
    parse: whole,
  },
  "passwordHashing.passes": {
    env: "LANYARD_ARGON2_PASSES",
    flag: "--argon2-passes",
    type: "whole number",
    placeholder: "N",
    default: undefined,
    shownDefault: "the profile's",
    description: "Argon2id passes, overriding the profile's.",
    parse: whole,
  },
  "passwordHashing.parallelism": {
    env: "LANYARD_ARGON2_PARALLELISM",
    flag: "--argon2-parallelism",
    type: "whole number",
    placeholder: "N",
    default: undefined,
    shownDefault: "the profile's",
    description: "Argon2id lanes, overriding the profile's.",
    parse: whole,
  },
  "passwordHashing.concurrency": {
    env: "LANYARD_PASSWORD_HASHING_CONCURRENCY",
    flag: "--password-hashing-concurrency",
    type: "1 to 256",
    placeholder: "N",
    default: DEFAULT_HASHING_CONCURRENCY,
    shownDefault: "the cores, at most 4",
    description: "Password hashes computed at once.",
    parse: whole,
    check: (value) =>
      value >= 1 && value <= 256 ? undefined : "password hashing concurrency must be from 1 to 256",
  },
  "passwordHashing.queue": {
    env: "LANYARD_PASSWORD_HASHING_QUEUE",
    flag: "--password-hashing-queue",
    type: "0 to 1000000",
    placeholder: "N",
    default: DEFAULT_HASHING_QUEUE,
    description:
      "Password hashes waiting for their turn; requests beyond them get `TooManyRequestsException` (each hash in flight holds its Argon2id memory).",
    parse: whole,
    check: (value) => (value <= 1_000_000 ? undefined : "password hashing queue must be from 0 to 1000000"),
  },
  triggers: {
    env: "LANYARD_TRIGGERS",
    type: "object of ARN patterns to `{module}`, `{url}` or `{lambda}`",
    default: [],
    shownDefault: "none",
    description:
      'Where the pools\' Lambda triggers run: each function ARN (or pattern, `*` for any text; the first match wins) maps to a local module (`{"module": "./handler.ts"}`), an HTTP endpoint the event is POSTed to (`{"url": ...}`) or the Lambda Invoke API (`{"lambda": {"endpoint", "region", "credentials", "functionName"}}`). Relative module paths are resolved against the folder of the config file. The environment variable takes the same object as JSON. See docs/triggers/.',
    parse: parseTriggers,
  },
  "customSender.kmsEndpoint": {
    env: "LANYARD_CUSTOM_SENDER_KMS_ENDPOINT",
    type: "URL",
    default: undefined,
    shownDefault: "none",
    description:
      "A KMS endpoint (AWS KMS, LocalStack): the codes CustomEmailSender and CustomSMSSender triggers get are encrypted with the AWS Encryption SDK's KMS keyring for the pool's KMSKeyID there, as Cognito does (credentials from the AWS SDK's default chain). See docs/triggers/.",
    parse: text,
  },
  "customSender.kmsRegion": {
    env: "LANYARD_CUSTOM_SENDER_KMS_REGION",
    type: "string",
    default: undefined,
    shownDefault: "the KMSKeyID's region",
    description: "The region of `customSender.kmsEndpoint`.",
    parse: text,
  },
  "customSender.rawAesKey": {
    env: "LANYARD_CUSTOM_SENDER_RAW_AES_KEY",
    type: "32 bytes, base64 or hex",
    default: undefined,
    shownDefault: "none",
    description:
      "Without a KMS endpoint: the AES-256 key of the AWS Encryption SDK raw AES keyring that encrypts the custom sender triggers' codes; the function decrypts with a RawAesKeyringNode of the same key, `customSender.keyNamespace` and `customSender.keyName`. See docs/triggers/.",
    parse(value, from) {
      const key = String(value).trim();
      if (!decodeKeyEncryptionKey(key))
        throw new ConfigError(`${from} must be 32 bytes in base64 (44 characters) or hex (64 digits)`);
      return key;
    },
  },
  "customSender.keyNamespace": {
    env: "LANYARD_CUSTOM_SENDER_KEY_NAMESPACE",
    type: "string",
    default: "lanyard",
    description: "The key namespace of the raw AES keyring (`customSender.rawAesKey`).",
    parse: text,
  },
  "customSender.keyName": {
    env: "LANYARD_CUSTOM_SENDER_KEY_NAME",
    type: "string",
    default: "custom-sender",
    description: "The key name of the raw AES keyring (`customSender.rawAesKey`).",
    parse: text,
  },
} satisfies { [K in OptionKey]: Option<ValueAt<K>> };

export type AnyOption = Option<unknown>;

/** The options in table order, with their keys. */
export const OPTION_LIST: readonly (readonly [OptionKey, AnyOption])[] = Object.entries(OPTIONS) as [
  OptionKey,
  AnyOption,
][];

/** The value of the option at `key` in a configuration. */
export function optionValue(config: object, key: OptionKey): unknown {
  let at: unknown = config;
  for (const part of key.split(".")) at = (at as Record<string, unknown>)[part];
  return at;
}

/** The config file (`--config FILE`, `LANYARD_CONFIG`), which is no setting of its own. */
export const CONFIG_FILE_OPTION = {
  env: "LANYARD_CONFIG",
  flag: "--config",
  placeholder: "FILE",
  description: 'A JSON file of settings by key, nested groups as objects: `{"smtp": {"host": "..."}}`.',
} as const;

/** Old config file keys, still read, with a warning. */
export const DEPRECATED_FILE_KEYS: Readonly<Record<string, OptionKey>> = {
  data: "dataDir",
  region: "defaultRegion",
};
