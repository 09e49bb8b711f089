/**
 * The HTTP invoker: the event is POSTed as JSON; a 2xx answer's JSON body is the function's result.
 * A non-2xx answer whose JSON body has `errorMessage` (Lambda's error shape) is the function's own
 * failure; any other non-2xx answer, an unreachable endpoint or a timeout is no answer at all.
 */
import type { TriggerOutcome } from "../context.ts";
import { TIMEOUT_REASON } from "./module.ts";

export async function invokeHttp(url: string, event: object, timeoutMs: number): Promise<TriggerOutcome> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    body = await response.text();
  } catch (e) {
    const name = (e as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return { kind: "failed", reason: TIMEOUT_REASON };
    return { kind: "failed", reason: "Unable to reach the function's endpoint" };
  }
  let json: unknown;
  try {
    json = body === "" ? null : JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (response.ok) return json === undefined ? { kind: "ok", result: body } : { kind: "ok", result: json };
  const message = errorMessageOf(json);
  if (message !== undefined) return { kind: "error", message };
  return { kind: "failed", reason: `the function's endpoint answered HTTP ${response.status}` };
}

/** Lambda's error payload `{errorMessage, errorType}`: its message. */
export function errorMessageOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const m = (json as { errorMessage?: unknown }).errorMessage;
  return typeof m === "string" ? m : undefined;
}
