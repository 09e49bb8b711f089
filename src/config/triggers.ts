/**
 * The `triggers` option: which function ARNs run where. In the config file an object from an ARN
 * (or a pattern, `*` standing for any text) to a target:
 *
 *   {"triggers": {"arn:aws:lambda:*:*:function:pre-sign-up": {"module": "./triggers/pre-sign-up.ts"},
 *                 "arn:aws:lambda:*:*:function:remote-*": {"url": "http://127.0.0.1:9000/invoke"},
 *                 "*": {"lambda": {"endpoint": "http://127.0.0.1:3001", "region": "us-east-1"}}}}
 *
 * The first pattern that matches wins, in the file's order. Module paths are resolved against the
 * config file's folder (against the working directory when the option comes from the environment,
 * `LANYARD_TRIGGERS`, which takes the same object as JSON text).
 */
import path from "node:path";
import { ConfigError, type LambdaCredentials, type TriggerMapping, type TriggerTarget } from "./types.ts";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown, from: string): string {
  if (typeof value !== "string" || value === "") throw new ConfigError(`${from} must be a non-empty string`);
  return value;
}

function url(value: unknown, from: string): string {
  const text = str(value, from);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${from} must be an http or https URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new ConfigError(`${from} must be an http or https URL`);
  return text;
}

function credentials(value: unknown, from: string): LambdaCredentials {
  if (!isObject(value))
    throw new ConfigError(`${from} must be {accessKeyId, secretAccessKey[, sessionToken]}`);
  const out: LambdaCredentials = {
    accessKeyId: str(value.accessKeyId, `${from}.accessKeyId`),
    secretAccessKey: str(value.secretAccessKey, `${from}.secretAccessKey`),
  };
  if (value.sessionToken !== undefined) out.sessionToken = str(value.sessionToken, `${from}.sessionToken`);
  return out;
}

function target(value: unknown, from: string, base: string): TriggerTarget {
  if (!isObject(value) || Object.keys(value).length !== 1)
    throw new ConfigError(`${from} must be one of {module: path}, {url: endpoint} or {lambda: {...}}`);
  if ("module" in value) return { module: path.resolve(base, str(value.module, `${from}.module`)) };
  if ("url" in value) return { url: url(value.url, `${from}.url`) };
  if ("lambda" in value) {
    const l = value.lambda ?? {};
    if (!isObject(l)) throw new ConfigError(`${from}.lambda must be an object`);
    const known = ["endpoint", "region", "credentials", "functionName"];
    for (const k of Object.keys(l))
      if (!known.includes(k)) throw new ConfigError(`${from}.lambda: unknown setting ${k}`);
    const lambda: Extract<TriggerTarget, { lambda: unknown }>["lambda"] = {};
    if (l.endpoint !== undefined) lambda.endpoint = url(l.endpoint, `${from}.lambda.endpoint`);
    if (l.region !== undefined) lambda.region = str(l.region, `${from}.lambda.region`);
    if (l.credentials !== undefined)
      lambda.credentials = credentials(l.credentials, `${from}.lambda.credentials`);
    if (l.functionName !== undefined)
      lambda.functionName = str(l.functionName, `${from}.lambda.functionName`);
    return { lambda };
  }
  throw new ConfigError(`${from} must be one of {module: path}, {url: endpoint} or {lambda: {...}}`);
}

/** Parses the option from the config file (an object) or the environment (its JSON text). */
export function parseTriggers(value: unknown, from: string, fromFile: boolean): TriggerMapping[] {
  let raw = value;
  if (!fromFile) {
    try {
      raw = JSON.parse(str(value, from));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`${from} must be a JSON object of ARN patterns`);
    }
  }
  if (!isObject(raw)) throw new ConfigError(`${from} must be an object of ARN patterns`);
  // From the config file, `from` is "<file>: triggers": module paths are relative to the file.
  const suffix = ": triggers";
  const base =
    fromFile && from.endsWith(suffix)
      ? path.dirname(path.resolve(from.slice(0, -suffix.length)))
      : process.cwd();
  return Object.entries(raw).map(([pattern, t]) => ({
    pattern,
    target: target(t, `${from}["${pattern}"]`, base),
  }));
}

/** Whether an ARN matches a pattern (`*` is any text, possibly empty; everything else literal). */
export function arnMatches(pattern: string, arn: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === arn;
  if (!arn.startsWith(parts[0]!) || !arn.endsWith(parts.at(-1)!)) return false;
  let at = parts[0]!.length;
  const end = arn.length - parts.at(-1)!.length;
  if (at > end) return false;
  for (const part of parts.slice(1, -1)) {
    const i = arn.indexOf(part, at);
    if (i < 0 || i + part.length > end) return false;
    at = i + part.length;
  }
  return true;
}
