import type { Logger } from "./context.ts";

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/**
 * One JSON line per event on stderr. Callers pass only identifiers and outcomes: never a request
 * body, a password, a secret, a code or a token.
 */
export function createLogger(
  level: keyof typeof ORDER,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const min = ORDER[level];
  const emit = (lvl: keyof typeof ORDER, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}
