/**
 * App client settings: Cognito's defaults and the cross-checks that CreateUserPoolClient and
 * UpdateUserPoolClient apply to them. An update replaces every setting, so both operations settle
 * their input the same way: what the request leaves out gets its default.
 */
import {
  FeatureUnavailableInTierException,
  InvalidOAuthFlowException,
  InvalidParameterException,
  ScopeDoesNotExistException,
} from "../../generated/exceptions.ts";
import type {
  CreateUserPoolClientRequest,
  ExplicitAuthFlowsType,
  TimeUnitsType,
  TokenValidityUnitsType,
} from "../../generated/types.ts";
import type { ClientSettings, PoolRecord } from "../../storage/records.ts";

/** The settings both CreateUserPoolClient and UpdateUserPoolClient take, in Cognito's response order. */
export const CLIENT_SETTINGS = [
  "RefreshTokenValidity",
  "AccessTokenValidity",
  "IdTokenValidity",
  "TokenValidityUnits",
  "ReadAttributes",
  "WriteAttributes",
  "ExplicitAuthFlows",
  "SupportedIdentityProviders",
  "CallbackURLs",
  "LogoutURLs",
  "DefaultRedirectURI",
  "AllowedOAuthFlows",
  "AllowedOAuthScopes",
  "AllowedOAuthFlowsUserPoolClient",
  "AnalyticsConfiguration",
  "PreventUserExistenceErrors",
  "EnableTokenRevocation",
  "EnablePropagateAdditionalUserContextData",
  "AuthSessionValidity",
  "RefreshTokenRotation",
] as const;

export type ClientSettingsInput = Partial<
  Pick<CreateUserPoolClientRequest, (typeof CLIENT_SETTINGS)[number]>
>;

/** What the checks need to know besides the request. */
export interface SettleContext {
  pool: PoolRecord;
  /** Whether the client has (or is being created with) a client secret. */
  hasSecret: boolean;
  /** Cognito's wording in attribute errors: "...while creating a client" / "...while updating a client". */
  action: "creating" | "updating";
  /** Names of the pool's identity providers (SupportedIdentityProviders may list them). */
  identityProviders?: ReadonlySet<string>;
  /** The custom scopes of the pool's resource servers (`<identifier>/<scopeName>`). */
  customScopes?: ReadonlySet<string>;
}

/** Flows a client supports when ExplicitAuthFlows is left out (API reference, UserPoolClientType). */
export const DEFAULT_AUTH_FLOWS: readonly ExplicitAuthFlowsType[] = [
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_CUSTOM_AUTH",
];
const LEGACY_AUTH_FLOWS: ReadonlySet<string> = new Set([
  "ADMIN_NO_SRP_AUTH",
  "CUSTOM_AUTH_FLOW_ONLY",
  "USER_PASSWORD_AUTH",
]);

/** The OAuth scopes Cognito itself provides; any other scope must come from a resource server. */
export const STANDARD_SCOPES: ReadonlySet<string> = new Set([
  "phone",
  "email",
  "openid",
  "profile",
  "aws.cognito.signin.user.admin",
]);

/** Attributes no app client may write, although the schema marks them mutable. */
const NEVER_WRITABLE: ReadonlySet<string> = new Set(["sub", "email_verified", "phone_number_verified"]);

const UNIT_SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const DEFAULT_UNITS: Required<TokenValidityUnitsType> = {
  AccessToken: "hours",
  IdToken: "hours",
  RefreshToken: "days",
};
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
/** Token lifetimes when the client sets none: access and ID tokens one hour, refresh tokens 30 days. */
const DEFAULT_ACCESS_SECONDS = HOUR;
const DEFAULT_ID_SECONDS = HOUR;
const DEFAULT_REFRESH_SECONDS = 30 * DAY;
/** The ranges of the developer guide: access and ID tokens 5 minutes to 1 day, refresh 60 minutes to 10 years. */
const ACCESS_RANGE = { min: 5 * MINUTE, max: DAY, text: "5 minutes and 1 day" };
const REFRESH_RANGE = { min: 60 * MINUTE, max: 3650 * DAY, text: "60 minutes and 10 years (3650 days)" };

const DEFAULT_AUTH_SESSION_VALIDITY = 3;

/** Token lifetimes in seconds, as the token issuer applies them. */
export interface TokenLifetimes {
  access: number;
  id: number;
  refresh: number;
}

export function tokenLifetimes(settings: ClientSettings): TokenLifetimes {
  const units = { ...DEFAULT_UNITS, ...settings.TokenValidityUnits };
  return {
    access:
      settings.AccessTokenValidity !== undefined
        ? settings.AccessTokenValidity * UNIT_SECONDS[units.AccessToken]
        : DEFAULT_ACCESS_SECONDS,
    id:
      settings.IdTokenValidity !== undefined
        ? settings.IdTokenValidity * UNIT_SECONDS[units.IdToken]
        : DEFAULT_ID_SECONDS,
    refresh:
      settings.RefreshTokenValidity !== undefined && settings.RefreshTokenValidity !== 0
        ? settings.RefreshTokenValidity * UNIT_SECONDS[units.RefreshToken]
        : DEFAULT_REFRESH_SECONDS,
  };
}

/** A list the request gave with at least one member, else undefined (an empty list means "not set"). */
function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

/** Applies Cognito's defaults to the request's settings and checks them against each other and the pool. */
export function settleClientSettings(input: ClientSettingsInput, sc: SettleContext): ClientSettings {
  const s: ClientSettings = {};
  settleTokenValidity(input, s);

  const read = nonEmpty(input.ReadAttributes);
  const write = nonEmpty(input.WriteAttributes);
  checkAttributes(sc, read, write);
  if (read) s.ReadAttributes = read;
  if (write) s.WriteAttributes = write;

  s.ExplicitAuthFlows = settleAuthFlows(nonEmpty(input.ExplicitAuthFlows), sc);

  const providers = nonEmpty(input.SupportedIdentityProviders);
  if (providers) {
    checkProviders(providers, sc);
    s.SupportedIdentityProviders = providers;
  }

  const callbacks = nonEmpty(input.CallbackURLs);
  const logouts = nonEmpty(input.LogoutURLs);
  for (const url of callbacks ?? []) checkRedirectUrl(url, "CallbackURLs");
  for (const url of logouts ?? []) checkRedirectUrl(url, "LogoutURLs");
  if (input.DefaultRedirectURI !== undefined) {
    checkRedirectUrl(input.DefaultRedirectURI, "DefaultRedirectURI");
    if (!callbacks?.includes(input.DefaultRedirectURI))
      throw new InvalidParameterException(
        `DefaultRedirectURI ${input.DefaultRedirectURI} must be one of the CallbackURLs.`,
      );
  }
  if (callbacks) s.CallbackURLs = callbacks;
  if (logouts) s.LogoutURLs = logouts;
  if (input.DefaultRedirectURI !== undefined) s.DefaultRedirectURI = input.DefaultRedirectURI;

  const flows = nonEmpty(input.AllowedOAuthFlows);
  const scopes = nonEmpty(input.AllowedOAuthScopes);
  const oauth = input.AllowedOAuthFlowsUserPoolClient ?? false;
  checkOAuth(
    { flows: flows ?? [], scopes: scopes ?? [], oauth, callbacks: callbacks ?? [] },
    sc.hasSecret,
    sc.customScopes ?? new Set(),
  );
  if (flows) s.AllowedOAuthFlows = flows;
  if (scopes) s.AllowedOAuthScopes = scopes;
  s.AllowedOAuthFlowsUserPoolClient = oauth;

  if (input.AnalyticsConfiguration !== undefined)
    s.AnalyticsConfiguration = structuredClone(input.AnalyticsConfiguration);
  s.PreventUserExistenceErrors = input.PreventUserExistenceErrors ?? "LEGACY";
  s.EnableTokenRevocation = input.EnableTokenRevocation ?? true;
  const propagate = input.EnablePropagateAdditionalUserContextData ?? false;
  if (propagate && !sc.hasSecret)
    throw new InvalidParameterException(
      "EnablePropagateAdditionalUserContextData can only be activated in an app client that has a client secret.",
    );
  s.EnablePropagateAdditionalUserContextData = propagate;
  s.AuthSessionValidity = input.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_VALIDITY;
  if (input.RefreshTokenRotation !== undefined)
    s.RefreshTokenRotation = structuredClone(input.RefreshTokenRotation);
  return s;
}

function describeDuration(value: number, unit: TimeUnitsType): string {
  return `${value} ${value === 1 ? unit.slice(0, -1) : unit}`;
}

/**
 * Validity values are counted in TokenValidityUnits (default hours for access and ID tokens, days
 * for refresh tokens). RefreshTokenValidity 0 or left out means Cognito's default of 30 days,
 * returned in the client's refresh token unit; access and ID validity stay unset when left out.
 */
function settleTokenValidity(input: ClientSettingsInput, s: ClientSettings): void {
  const given = input.TokenValidityUnits;
  const units: Required<TokenValidityUnitsType> = {
    AccessToken: given?.AccessToken ?? DEFAULT_UNITS.AccessToken,
    IdToken: given?.IdToken ?? DEFAULT_UNITS.IdToken,
    RefreshToken: given?.RefreshToken ?? DEFAULT_UNITS.RefreshToken,
  };
  const check = (field: string, value: number, unit: TimeUnitsType, range: typeof ACCESS_RANGE) => {
    const seconds = value * UNIT_SECONDS[unit];
    if (seconds < range.min || seconds > range.max)
      throw new InvalidParameterException(
        `Invalid range for token validity. ${field} must be between ${range.text}; ${describeDuration(value, unit)} is out of range.`,
      );
  };
  if (input.AccessTokenValidity !== undefined)
    check("AccessTokenValidity", input.AccessTokenValidity, units.AccessToken, ACCESS_RANGE);
  if (input.IdTokenValidity !== undefined)
    check("IdTokenValidity", input.IdTokenValidity, units.IdToken, ACCESS_RANGE);
  const refresh = input.RefreshTokenValidity;
  if (refresh !== undefined && refresh !== 0)
    check("RefreshTokenValidity", refresh, units.RefreshToken, REFRESH_RANGE);

  s.RefreshTokenValidity =
    refresh !== undefined && refresh !== 0
      ? refresh
      : DEFAULT_REFRESH_SECONDS / UNIT_SECONDS[units.RefreshToken];
  if (input.AccessTokenValidity !== undefined) s.AccessTokenValidity = input.AccessTokenValidity;
  if (input.IdTokenValidity !== undefined) s.IdTokenValidity = input.IdTokenValidity;
  if (given) s.TokenValidityUnits = units;
}

/**
 * Read attributes must exist in the pool's schema (developer-only attributes are not visible to
 * clients). Write attributes must also be mutable and writable by clients, and must include every
 * attribute the pool requires: Cognito refuses a client that could not complete a sign-up.
 */
function checkAttributes(sc: SettleContext, read: string[] | undefined, write: string[] | undefined): void {
  const schema = sc.pool.settings.SchemaAttributes ?? [];
  const visible = new Map(
    schema.filter((a) => a.Name && !a.Name.startsWith("dev:")).map((a) => [a.Name!, a]),
  );
  const fail = (kind: "read" | "write", detail: string) =>
    new InvalidParameterException(
      `Invalid ${kind} attributes specified while ${sc.action} a client (${detail}).`,
    );
  for (const name of read ?? [])
    if (!visible.has(name)) throw fail("read", `${name} is not an attribute of user pool ${sc.pool.id}`);
  if (!write) return;
  for (const name of write) {
    const attr = visible.get(name);
    if (!attr) throw fail("write", `${name} is not an attribute of user pool ${sc.pool.id}`);
    if (attr.Mutable === false || NEVER_WRITABLE.has(name))
      throw fail("write", `${name} cannot be written by an app client`);
  }
  const missing = schema.filter((a) => a.Required && a.Name !== "sub" && !write.includes(a.Name!));
  if (missing.length > 0)
    throw fail(
      "write",
      `the required attribute${missing.length > 1 ? "s" : ""} ${missing.map((a) => a.Name).join(", ")} must be writable`,
    );
}

/**
 * ALLOW_CLIENT_TOKEN_AUTH (GetClientToken, machine-to-machine) is exclusive: it must be the client's
 * only flow, refresh included, and the client must have a secret (API reference, GetClientToken).
 * Cognito's wording for these refusals is not documented; the messages are Lanyard's.
 */
function settleAuthFlows(
  flows: ExplicitAuthFlowsType[] | undefined,
  sc: SettleContext,
): ExplicitAuthFlowsType[] {
  const { pool } = sc;
  if (!flows) return [...DEFAULT_AUTH_FLOWS];
  if (flows.includes("ALLOW_CLIENT_TOKEN_AUTH")) {
    const others = [...new Set(flows.filter((f) => f !== "ALLOW_CLIENT_TOKEN_AUTH"))];
    if (others.length > 0)
      throw new InvalidParameterException(
        `ALLOW_CLIENT_TOKEN_AUTH must be the only authentication flow of an app client; ExplicitAuthFlows also lists ${others.join(", ")}.`,
      );
    if (!sc.hasSecret)
      throw new InvalidParameterException(
        "ALLOW_CLIENT_TOKEN_AUTH can only be activated in an app client that has a client secret.",
      );
    return ["ALLOW_CLIENT_TOKEN_AUTH"];
  }
  const legacy = flows.filter((f) => LEGACY_AUTH_FLOWS.has(f));
  const modern = flows.filter((f) => f.startsWith("ALLOW_"));
  if (legacy.length > 0 && modern.length > 0)
    throw new InvalidParameterException(
      `ExplicitAuthFlows cannot mix the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH (${legacy.join(", ")}) with values that begin with ALLOW_ (${modern.join(", ")}).`,
    );
  if (modern.length > 0 && !modern.includes("ALLOW_REFRESH_TOKEN_AUTH"))
    throw new InvalidParameterException("REFRESH_TOKEN_AUTH should always be allowed.");
  if (flows.includes("ALLOW_USER_AUTH") && pool.settings.UserPoolTier === "LITE")
    throw new FeatureUnavailableInTierException(
      "ALLOW_USER_AUTH requires a user pool in the Essentials tier or higher.",
    );
  return [...new Set(flows)];
}

/** COGNITO (the pool's own users) or one of the pool's identity providers. */
function checkProviders(providers: readonly string[], sc: SettleContext): void {
  for (const name of providers)
    if (name !== "COGNITO" && !sc.identityProviders?.has(name))
      throw new InvalidParameterException(`The provider ${name} does not exist for User Pool ${sc.pool.id}`);
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A redirect URL must be absolute and carry no fragment; http is allowed only for the loopback
 * hosts (localhost, 127.0.0.1, [::1]) on any port; app schemes like myapp://callback are allowed.
 */
function checkRedirectUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParameterException(`${field} must be absolute URIs; ${url} is not.`);
  }
  if (url.includes("#"))
    throw new InvalidParameterException(`${field} must not include a fragment component; ${url} does.`);
  if (parsed.protocol === "http:" && !LOOPBACK_HOSTS.has(parsed.hostname))
    throw new InvalidParameterException(
      `${field} must use HTTPS; http is allowed only for localhost, 127.0.0.1 and [::1]: ${url}`,
    );
}

interface OAuthInput {
  flows: readonly string[];
  scopes: readonly string[];
  oauth: boolean;
  callbacks: readonly string[];
}

function checkOAuth(o: OAuthInput, hasSecret: boolean, custom: ReadonlySet<string>): void {
  if (o.oauth && (o.flows.length === 0 || o.scopes.length === 0))
    throw new InvalidOAuthFlowException(
      "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
    );
  const clientCredentials = o.flows.includes("client_credentials");
  const interactive = o.flows.includes("code") || o.flows.includes("implicit");
  if (clientCredentials && interactive)
    throw new InvalidOAuthFlowException(
      "client_credentials flow can not be selected along with code flow or implicit flow.",
    );
  if (clientCredentials && !hasSecret)
    throw new InvalidOAuthFlowException(
      "client_credentials flow can not be selected if client does not have a client secret.",
    );
  for (const scope of o.scopes) {
    // Any scope but Cognito's own must be a custom scope of one of the pool's resource servers.
    const standard = STANDARD_SCOPES.has(scope);
    if (!standard && !custom.has(scope))
      throw new ScopeDoesNotExistException(`Invalid scope requested: ${scope}`);
    // The client credentials grant is for custom scopes only.
    if (clientCredentials && standard)
      throw new InvalidOAuthFlowException(`${scope} is not supported with client_credentials flow`);
  }
  if (interactive && o.callbacks.length === 0)
    throw new InvalidOAuthFlowException(
      "CallbackUrls can not be empty when code flow or implicit flow is selected",
    );
}
