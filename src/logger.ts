import type { Logger } from "./context.ts";

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/**
 * Field names that never reach the log, whatever a caller passes: a second line of defence behind
 * the rule that callers pass only identifiers and outcomes.
 */
const SECRET_FIELD =
  /pass(word)?|secret|token|^code$|confirmationcode|authorization|cookie|srp_?a|srp_?b|password_claim|signature|session$/i;

/** The value of a field as a person reads it in the pretty format. */
function shown(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * One event a line on stderr: a JSON object (`json`, the default), or for a person at a terminal
 * (`pretty`, LANYARD_LOG_FORMAT=pretty) the time, the level, the message and `key=value` fields.
 * Callers pass only identifiers and outcomes: never a request body, a password, a secret, a code or
 * a token; fields named like one are dropped all the same.
 */
export function createLogger(
  level: keyof typeof ORDER,
  write: (line: string) => void = (l) => process.stderr.write(l),
  format: "json" | "pretty" = "json",
): Logger {
  const min = ORDER[level];
  const emit = (lvl: keyof typeof ORDER, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const kept: Record<string, unknown> = {};
    if (fields)
      for (const key in fields)
        if (!SECRET_FIELD.test(key) && fields[key] !== undefined) kept[key] = fields[key];
    if (format === "json") {
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...kept })}\n`);
      return;
    }
    let line = `${new Date().toISOString().slice(11, 23)} ${lvl.toUpperCase().padEnd(5)} ${msg}`;
    for (const key in kept) line += ` ${key}=${shown(kept[key])}`;
    write(`${line}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}
