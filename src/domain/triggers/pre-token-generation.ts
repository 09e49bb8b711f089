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
 * Claims no function may add, change or suppress (the developer guide's "Claims and scopes
 * reference"): the tokens' own bookkeeping and identity. Besides these, no claim with the
 * `cognito:` prefix can be added or changed (the group claims change only through
 * groupOverrideDetails), `cognito:groups` alone can be suppressed (which suppresses
 * `cognito:roles` and `cognito:preferred_role` with it), `dev:` attributes can only be suppressed,
 * the access token's `scope` changes only through scopesToAdd / scopesToSuppress, and `aud` can be
 * added to an access token only with the app client's id as its value. Lanyard drops such entries
 * from an answer and issues the claim as it would have.
 */
export const EXCLUDED_CLAIMS: ReadonlySet<string> = new Set([
  "acr",
  "amr",
  "at_hash",
  "aud",
  "auth_time",
  "azp",
  "client_id",
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

/** The group claims, which `cognito:groups` in claimsToSuppress suppresses together. */
const GROUP_CLAIMS = ["cognito:groups", "cognito:roles", "cognito:preferred_role"];

/** Whether a function may add or change this claim of the token. */
function canAdd(name: string, value: unknown, token: "id" | "access", clientId: string): boolean {
  if (name.startsWith("cognito:") || name.startsWith("dev:")) return false;
  // An access token may carry `aud`, but only naming the app client of the session.
  if (name === "aud") return token === "access" && value === clientId;
  return !EXCLUDED_CLAIMS.has(name);
}

/** Whether a function may suppress this claim. */
function canSuppress(name: string): boolean {
  if (name === "cognito:groups") return true;
  if (name.startsWith("cognito:")) return false;
  return !EXCLUDED_CLAIMS.has(name);
}

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

function overridesOf(
  v: unknown,
  version: "1" | "2" | "3",
  token: "id" | "access",
  clientId: string,
): TokenOverrides {
  if (v === undefined || v === null) return { add: {}, suppress: [] };
  if (!isObject(v)) throw unrecognizableOutput();
  const add: Record<string, unknown> = {};
  const claims = v.claimsToAddOrOverride;
  if (claims !== undefined && claims !== null) {
    if (!isObject(claims)) throw unrecognizableOutput();
    for (const [name, value] of Object.entries(claims)) {
      const checked = claimValue(value, version);
      if (canAdd(name, checked, token, clientId)) add[name] = checked;
    }
  }
  const suppress = stringList(v.claimsToSuppress)
    .filter(canSuppress)
    .flatMap((c) => (c === "cognito:groups" ? GROUP_CLAIMS : [c]));
  return { add, suppress };
}

function scopeList(v: unknown): string[] {
  const list = stringList(v);
  if (list.some((s) => s === "" || /\s/.test(s))) throw unrecognizableOutput();
  return list;
}

/**
 * The answer's groupOverrideDetails, which replaces the group configuration whole: a member it
 * leaves out (or an empty or null object) leaves the token without that claim, as the developer
 * guide says. Undefined when the answer has no groupOverrideDetails at all.
 */
function groupsOf(details: Json): TokenCustomization["groups"] {
  if (!("groupOverrideDetails" in details)) return undefined;
  const v = details.groupOverrideDetails;
  if (v === undefined) return undefined;
  if (v === null) return { groups: [], roles: [] };
  if (!isObject(v)) throw unrecognizableOutput();
  const out: NonNullable<TokenCustomization["groups"]> = {
    groups: stringList(v.groupsToOverride),
    roles: stringList(v.iamRolesToOverride),
  };
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
    const groups = groupsOf(details);
    return { id: overridesOf(details, version, "id", input.clientId), ...(groups ? { groups } : {}) };
  }
  const details = response.claimsAndScopeOverrideDetails;
  if (details === undefined || details === null) return { id: { add: {}, suppress: [] } };
  if (!isObject(details)) throw unrecognizableOutput();
  const accessDetails = details.accessTokenGeneration;
  if (accessDetails !== undefined && accessDetails !== null && !isObject(accessDetails))
    throw unrecognizableOutput();
  const access = {
    ...overridesOf(accessDetails, version, "access", input.clientId),
    scopesToAdd: scopeList(accessDetails?.scopesToAdd),
    scopesToSuppress: scopeList(accessDetails?.scopesToSuppress),
  };
  const groups = groupsOf(details);
  return {
    id: overridesOf(details.idTokenGeneration, version, "id", input.clientId),
    access,
    ...(groups ? { groups } : {}),
  };
}

/** Applies the group override to a token's claims (both tokens carry the group claims). */
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
  else delete claims["cognito:preferred_role"];
}

/** Adds, then suppresses: a claim both added and suppressed is suppressed, as in Cognito. */
function applyOverrides(claims: Json, o: TokenOverrides): void {
  Object.assign(claims, o.add);
  for (const name of o.suppress) delete claims[name];
}

/** The ID token's claims as the answer changes them. */
export function customizeIdClaims(claims: Json, c: TokenCustomization): void {
  applyGroups(claims, c.groups);
  applyOverrides(claims, c.id);
}

/** The access token's claims (and `scope`) as the answer changes them; V1_0 changes only its groups. */
export function customizeAccessClaims(claims: Json, c: TokenCustomization): void {
  applyGroups(claims, c.groups);
  if (!c.access) return;
  applyOverrides(claims, c.access);
  const scopes = String(claims.scope ?? "")
    .split(" ")
    .filter((s) => s !== "");
  const suppressed = new Set(c.access.scopesToSuppress);
  const next = scopes.filter((s) => !suppressed.has(s));
  for (const s of c.access.scopesToAdd) if (!next.includes(s) && !suppressed.has(s)) next.push(s);
  claims.scope = next.join(" ");
}
