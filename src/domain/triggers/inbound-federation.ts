/**
 * InboundFederation (InboundFederation_ExternalProvider): at every federated sign-in, once the
 * provider's answer is verified and before the user is created or updated, the pool's function
 * gets what the provider sent (for OIDC and social providers the token endpoint's answer, the ID
 * token's claims and the user info; for SAML the assertion's attributes) and may answer
 * `userAttributesToMap`: the provider attributes that the provider's AttributeMapping then maps to
 * the user's. An empty (or absent) answer keeps the provider's attributes as they were; any other
 * replaces them, so an attribute left out is dropped. A function that throws fails the sign-in.
 */
import type { InboundFederationTriggerEvent } from "aws-lambda";
import type { RequestContext } from "../../context.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { baseEvent, invokeTrigger, unrecognizableOutput } from "./invoke.ts";

/** The provider's answer as the event carries it: each part a map of strings. */
export interface IdpAttributes {
  tokenResponse?: Record<string, string>;
  idToken?: Record<string, string>;
  userInfo?: Record<string, string>;
  samlResponse?: Record<string, string>;
}

/**
 * A part of the provider's answer as the event carries it: strings as they are, numbers and
 * booleans as text, lists joined with commas, objects (an `address` claim) as JSON.
 */
export function asStringMap(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const one = (v: unknown): string | undefined => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return v.map((x) => one(x) ?? "").join(",");
    if (typeof v === "object" && v !== null) return JSON.stringify(v);
    return undefined;
  };
  for (const [name, value] of Object.entries(values)) {
    const v = one(value);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export type InboundProviderType = InboundFederationTriggerEvent["request"]["providerType"];

/** A value the function answered, as an attribute's text (strings as they are, numbers and booleans as text). */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw unrecognizableOutput();
}

/**
 * Asks the pool's function about a federated sign-in. The attributes to map instead of the
 * provider's, or undefined to keep them (no function, or an empty answer).
 */
export async function inboundFederation(
  ctx: RequestContext,
  pool: PoolRecord,
  userName: string,
  clientId: string | undefined,
  providerName: string,
  providerType: InboundProviderType,
  attributes: IdpAttributes,
): Promise<Record<string, string> | undefined> {
  const event: InboundFederationTriggerEvent = {
    ...baseEvent(ctx, pool, "InboundFederation", "InboundFederation_ExternalProvider", userName, clientId),
    request: { providerName, providerType, attributes },
    response: { userAttributesToMap: {} },
  };
  const answer = await invokeTrigger(ctx, pool, "InboundFederation", event);
  if (!answer) return undefined;
  const map = (answer.response as { userAttributesToMap?: unknown }).userAttributesToMap;
  if (map === undefined || map === null) return undefined;
  if (typeof map !== "object" || Array.isArray(map)) throw unrecognizableOutput();
  const entries = Object.entries(map as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && v !== null,
  );
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, text(v)]));
}
