/**
 * Reads the configuration: the defaults of the option table (options.ts), then the JSON config file
 * (`--config FILE` or `LANYARD_CONFIG`), then the `LANYARD_*` environment, then the flags (flags
 * win); then checks the result (validate.ts).
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { usage } from "./docs.ts";
import {
  type AnyOption,
  CONFIG_FILE_OPTION,
  DEPRECATED_FILE_KEYS,
  OPTION_LIST,
  optionValue,
} from "./options.ts";
import { type Config, ConfigError, type OptionKey } from "./types.ts";
import { validate } from "./validate.ts";

export { MIN_SECRET_LENGTH } from "./options.ts";
export {
  type AccessKey,
  type CodeLimits,
  type Config,
  ConfigError,
  DELIVERIES,
  ISSUER_MODES,
  type IssuerMode,
  type PasswordHashingConfig,
  type SmtpConfig,
  type TlsConfig,
} from "./types.ts";
export { helpText, usage } from "./docs.ts";

/** The usage line shown with a mistake on the command line. */
export const USAGE = usage();

type Writer = (message: string) => void;

const warnOnStderr: Writer = (message) => process.stderr.write(`lanyard: ${message}\n`);

/** Merges file, environment and flags, in that order of precedence (flags win); warnings go to `warn`. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  warn: Writer = warnOnStderr,
): Config {
  const { values: flags, configFile } = parseFlags(argv);
  const config = defaults();
  const file = configFile ?? env[CONFIG_FILE_OPTION.env];
  if (file) applyFile(config, file, warn);
  for (const [key, option] of OPTION_LIST) {
    if (option.readEnv) {
      const value = option.readEnv(env, optionValue(config, key));
      if (value !== undefined) set(config, key, value);
      continue;
    }
    if (option.env === undefined) continue;
    const raw = env[option.env];
    if (raw === undefined || (raw === "" && !option.emptyEnv)) continue;
    set(config, key, option.parse(raw, option.env, false));
  }
  for (const [key, option] of OPTION_LIST) {
    const raw = flags.get(key);
    if (raw !== undefined) set(config, key, option.switch ? true : option.parse(raw, option.flag!, false));
  }
  validate(config);
  return config;
}

/** The table's defaults, as a fresh Config. */
function defaults(): Config {
  const config: Record<string, unknown> = {};
  for (const [key, option] of OPTION_LIST) set(config, key, structuredClone(option.default));
  return config as unknown as Config;
}

function set(config: object, key: OptionKey, value: unknown): void {
  const parts = key.split(".");
  let at = config as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    at[part] ??= {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = value;
}

/** The flags' raw values by option key (a switch's value is ""), and the config file's name. */
function parseFlags(argv: readonly string[]): { values: Map<OptionKey, string>; configFile?: string } {
  const values = new Map<OptionKey, string>();
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const [name, inline] = eq >= 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new ConfigError(`${name} needs a value`);
      return next;
    };
    if (name === CONFIG_FILE_OPTION.flag) {
      configFile = value();
      continue;
    }
    const found = OPTION_LIST.find(([, option]) => option.flag === name);
    if (!found) throw new ConfigError(`unknown option ${arg}\n${USAGE}`);
    const [key, option] = found;
    values.set(key, option.switch ? "" : value());
  }
  return { values, configFile };
}

const BY_KEY = new Map<string, AnyOption>(OPTION_LIST);

/** The nested groups ("smtp", "codeLimits", "passwordHashing"). */
const GROUPS = new Set(OPTION_LIST.filter(([key]) => key.includes(".")).map(([key]) => key.split(".")[0]!));

function applyFile(config: Config, file: string, warn: Writer): void {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new ConfigError(`${file}: not a JSON object`);
  for (const [name, value] of Object.entries(raw)) {
    const renamed = DEPRECATED_FILE_KEYS[name];
    if (renamed !== undefined) {
      if (renamed in raw)
        throw new ConfigError(`${file}: ${name} and ${renamed} are the same setting; keep ${renamed}`);
      warn(`${file}: the setting ${name} is deprecated, call it ${renamed}`);
      applyFileValue(config, file, renamed, value);
    } else if (GROUPS.has(name)) {
      if (!isObject(value)) throw new ConfigError(`${file}: ${name} must be an object`);
      for (const [field, v] of Object.entries(value)) applyFileValue(config, file, `${name}.${field}`, v);
    } else if (name.includes(".")) {
      // A group's fields are nested in the file: {"smtp": {"host": ...}}, not {"smtp.host": ...}.
      throw new ConfigError(`${file}: unknown setting ${name}`);
    } else applyFileValue(config, file, name, value);
  }
}

function applyFileValue(config: Config, file: string, key: string, value: unknown): void {
  const option = BY_KEY.get(key);
  if (option === undefined) throw new ConfigError(`${file}: unknown setting ${key}`);
  if (option.file === false)
    throw new ConfigError(`${file}: ${key} cannot be set in the config file, only by ${option.env}`);
  if (value === undefined) return;
  set(config, key as OptionKey, option.parse(value, `${file}: ${key}`, true));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

/** True when Lanyard listens with HTTPS: a given certificate, or the local CA of `--tls`. */
export function usesTls(config: Config): boolean {
  return config.tls.generate || config.tls.cert !== undefined;
}

/** The base URL of the listener itself: `http(s)://HOST:PORT`, the default of `publicUrl`. */
export function listenUrl(config: Config): string {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `${usesTls(config) ? "https" : "http"}://${host}:${config.port}`;
}
