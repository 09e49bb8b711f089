/**
 * PreTokenGeneration: V1_0 (claimsOverrideDetails: the ID token's claims and the groups), V2_0
 * (claimsAndScopeOverrideDetails: both tokens' claims, the access token's scopes, the groups) and
 * V3_0 (V2_0, and the client credentials grant's access token too). The event carries what the
 * tokens would hold; the answer's overrides are checked and applied to the claims as built.
 */
import type { RequestContext } from "../../context.ts";
import type { GroupRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { orderGroups } from "../tokens/claims.ts";
import {
  baseEvent,
  invokeTrigger,
  preTokenGenerationVersion,
  triggerArn,
  unrecognizableOutput,
} from "./invoke.ts";
import { userAttributes } from "./sign-up.ts";

export type TokenGenerationSource =
  | "TokenGeneration_HostedAuth"
  | "TokenGeneration_Authentication"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_AuthenticateDevice"
  | "TokenGeneration_RefreshTokens"
  | "TokenGeneration_ClientCredentials";

/**
 * Claims no function may add, change or suppress (the developer guide's excluded claims): the
 * token's own bookkeeping and identity. The group claims change only through groupOverrideDetails,
 * and the access token's `scope` only through scopesToAdd / scopesToSuppress. Lanyard drops such
 * entries from an answer and keeps the claim as issued.
 */
export const EXCLUDED_CLAIMS: ReadonlySet<string> = new Set([
  "acr",
  "amr",
  "at_hash",
  "aud",
  "auth_time",
  "azp",
  "client_id",
  "cognito:groups",
  "cognito:preferred_role",
  "cognito:roles",
  "cognito:username",
  "device_key",
  "event_id",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "scope",
  "sub",
  "token_use",
  "username",
  "version",
]);

interface TokenOverrides {
  add: Record<string, unknown>;
  suppress: string[];
}

/** What the function's answer does to the tokens. */
export interface TokenCustomization {
  id: TokenOverrides;
  access?: TokenOverrides & { scopesToAdd: string[]; scopesToSuppress: string[] };
  groups?: { groups?: string[]; roles?: string[]; preferredRole?: string };
}

export interface TokenGenerationInput {
  pool: PoolRecord;
  clientId: string;
  source: TokenGenerationSource;
  /** Undefined for the client credentials grant (the app client is the subject). */
  user?: UserRecord;
  groups: readonly GroupRecord[];
  /** The access token's scopes, as they would be issued. */
  scopes: string[];
  clientMetadata?: Record<string, string> | undefined;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw unrecognizableOutput();
  return v as string[];
}

/** A claim value V2/V3 accept: string, number, boolean, an array of them, or a JSON object. */
function claimValue(v: unknown, version: "1" | "2" | "3"): unknown {
  if (version === "1") {
    if (typeof v !== "string") throw unrecognizableOutput();
    return v;
  }
  if (v === null || v === undefined) throw unrecognizableOutput();
  return v;
}

function overridesOf(v: unknown, version: "1" | "2" | "3"): TokenOverrides {
  if (v === undefined || v === null) return { add: {}, suppress: [] };
  if (!isObject(v)) throw unrecognizableOutput();
  const add: Record<string, unknown> = {};
  const claims = v.claimsToAddOrOverride;
  if (claims !== undefined && claims !== null) {
    if (!isObject(claims)) throw unrecognizableOutput();
    for (const [name, value] of Object.entries(claims))
      if (!EXCLUDED_CLAIMS.has(name)) add[name] = claimValue(value, version);
  }
  const suppress = stringList(v.claimsToSuppress).filter((c) => !EXCLUDED_CLAIMS.has(c));
  return { add, suppress };
}

function scopeList(v: unknown): string[] {
  const list = stringList(v);
  if (list.some((s) => s === "" || /\s/.test(s))) throw unrecognizableOutput();
  return list;
}

function groupsOf(v: unknown): TokenCustomization["groups"] {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw unrecognizableOutput();
  const out: NonNullable<TokenCustomization["groups"]> = {};
  if (v.groupsToOverride !== undefined && v.groupsToOverride !== null)
    out.groups = stringList(v.groupsToOverride);
  if (v.iamRolesToOverride !== undefined && v.iamRolesToOverride !== null)
    out.roles = stringList(v.iamRolesToOverride);
  if (v.preferredRole !== undefined && v.preferredRole !== null) {
    if (typeof v.preferredRole !== "string") throw unrecognizableOutput();
    out.preferredRole = v.preferredRole;
  }
  return out;
}

/**
 * Runs the pool's PreTokenGeneration function, if any, for tokens about to be issued; answers what
 * to change, or undefined. A V1_0 or V2_0 function is not called for the client credentials grant.
 */
export async function preTokenGeneration(
  ctx: RequestContext,
  input: TokenGenerationInput,
): Promise<TokenCustomization | undefined> {
  const { pool, user } = input;
  if (triggerArn(pool, "PreTokenGeneration") === undefined) return undefined;
  const version = preTokenGenerationVersion(pool);
  if (input.source === "TokenGeneration_ClientCredentials" && version !== "3") return undefined;
  const ordered = orderGroups(input.groups);
  const groupConfiguration = user
    ? {
        groupsToOverride: ordered.map((g) => g.name),
        iamRolesToOverride: ordered.filter((g) => g.roleArn).map((g) => g.roleArn!),
        ...(ordered.find((g) => g.roleArn) ? { preferredRole: ordered.find((g) => g.roleArn)!.roleArn } : {}),
      }
    : null;
  const base = baseEvent(ctx, pool, "PreTokenGeneration", input.source, user?.username ?? "", input.clientId);
  const request: Json = {
    userAttributes: user ? userAttributes(user) : {},
    groupConfiguration,
    ...(version === "1" ? {} : { scopes: input.scopes }),
    ...(input.clientMetadata ? { clientMetadata: input.clientMetadata } : {}),
  };
  const event = {
    ...base,
    ...(user ? {} : { userName: null }),
    request,
    response: version === "1" ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  };
  const answer = await invokeTrigger(ctx, pool, "PreTokenGeneration", event as { response: object });
  if (!answer) return undefined;
  const response = answer.response as Json;
  if (version === "1") {
    const details = response.claimsOverrideDetails;
    if (details === undefined || details === null) return { id: { add: {}, suppress: [] } };
    if (!isObject(details)) throw unrecognizableOutput();
    const groups = groupsOf(details.groupOverrideDetails);
    return { id: overridesOf(details, version), ...(groups ? { groups } : {}) };
  }
  const details = response.claimsAndScopeOverrideDetails;
  if (details === undefined || details === null) return { id: { add: {}, suppress: [] } };
  if (!isObject(details)) throw unrecognizableOutput();
  const accessDetails = details.accessTokenGeneration;
  if (accessDetails !== undefined && accessDetails !== null && !isObject(accessDetails))
    throw unrecognizableOutput();
  const access = {
    ...overridesOf(accessDetails, version),
    scopesToAdd: scopeList(accessDetails?.scopesToAdd),
    scopesToSuppress: scopeList(accessDetails?.scopesToSuppress),
  };
  const groups = groupsOf(details.groupOverrideDetails);
  return { id: overridesOf(details.idTokenGeneration, version), access, ...(groups ? { groups } : {}) };
}

/** Applies the group override to a token's claims (both tokens carry the groups). */
function applyGroups(claims: Json, groups: TokenCustomization["groups"]): void {
  if (!groups) return;
  if (groups.groups !== undefined) {
    if (groups.groups.length > 0) claims["cognito:groups"] = groups.groups;
    else delete claims["cognito:groups"];
  }
  if (groups.roles !== undefined) {
    if (groups.roles.length > 0) claims["cognito:roles"] = groups.roles;
    else delete claims["cognito:roles"];
  }
  if (groups.preferredRole !== undefined) claims["cognito:preferred_role"] = groups.preferredRole;
}

/** The ID token's claims as the answer changes them. */
export function customizeIdClaims(claims: Json, c: TokenCustomization): void {
  applyGroups(claims, c.groups);
  for (const name of c.id.suppress) delete claims[name];
  Object.assign(claims, c.id.add);
}

/** The access token's claims (and `scope`) as the answer changes them; V1_0 changes only its groups. */
export function customizeAccessClaims(claims: Json, c: TokenCustomization): void {
  applyGroups(claims, c.groups);
  if (!c.access) return;
  for (const name of c.access.suppress) delete claims[name];
  Object.assign(claims, c.access.add);
  const scopes = String(claims.scope ?? "")
    .split(" ")
    .filter((s) => s !== "");
  const suppressed = new Set(c.access.scopesToSuppress);
  const next = scopes.filter((s) => !suppressed.has(s));
  for (const s of c.access.scopesToAdd) if (!next.includes(s) && !suppressed.has(s)) next.push(s);
  claims.scope = next.join(" ");
}
