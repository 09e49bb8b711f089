/**
 * A pool's passkey settings: its WebAuthnConfiguration (SetUserPoolMfaConfig) with Cognito's
 * defaults, the relying party its passkeys belong to, and the origins that may use them.
 */
import {
  WebAuthnConfigurationMissingException,
  WebAuthnNotEnabledException,
} from "../../generated/exceptions.ts";
import type {
  AuthFactorType,
  UserVerificationType,
  WebAuthnConfigurationType,
} from "../../generated/types.ts";
import type { PoolRecord } from "../../storage/records.ts";

export interface PasskeySettings {
  /** The relying party id: the configured one, or the pool's domain; undefined when it has neither. */
  rpId: string | undefined;
  userVerification: UserVerificationType;
  /** Passkeys may also be a second factor (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION). */
  multiFactor: boolean;
}

/** The pool's WebAuthnConfiguration as SetUserPoolMfaConfig stored it, undefined when never set. */
function storedConfiguration(pool: PoolRecord): WebAuthnConfigurationType | undefined {
  return (pool.settings as { WebAuthnConfiguration?: WebAuthnConfigurationType }).WebAuthnConfiguration;
}

/**
 * The pool's passkey settings. Without a RelyingPartyId, Cognito's default is the pool's domain:
 * its custom domain when it has one, else its prefix domain (`<prefix>.auth.<region>.amazoncognito.com`).
 * UserVerification defaults to `preferred`.
 */
export function passkeySettings(pool: PoolRecord): PasskeySettings {
  const c = storedConfiguration(pool);
  const s = pool.settings;
  const domainHost = s.CustomDomain
    ? s.CustomDomain
    : s.Domain
      ? `${s.Domain}.auth.${pool.region}.amazoncognito.com`
      : undefined;
  return {
    rpId: c?.RelyingPartyId ?? domainHost,
    userVerification: c?.UserVerification ?? "preferred",
    multiFactor: c?.FactorConfiguration === "MULTI_FACTOR_WITH_USER_VERIFICATION",
  };
}

/** The pool's first sign-in factors (Policies.SignInPolicy.AllowedFirstAuthFactors; PASSWORD by default). */
export function allowedFirstFactors(pool: PoolRecord): ReadonlySet<AuthFactorType> {
  return new Set(pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"]);
}

/**
 * The settings of a pool whose users may register and use passkeys: WEB_AUTHN is one of its first
 * factors, or passkeys are a second factor; and it has a relying party.
 */
export function requirePasskeys(pool: PoolRecord): PasskeySettings & { rpId: string } {
  const settings = passkeySettings(pool);
  if (!allowedFirstFactors(pool).has("WEB_AUTHN") && !settings.multiFactor)
    throw new WebAuthnNotEnabledException("WebAuthn is not enabled for this user pool.");
  const { rpId } = settings;
  if (rpId === undefined)
    throw new WebAuthnConfigurationMissingException(
      "The user pool has no relying party ID for WebAuthn and no domain.",
    );
  return { ...settings, rpId };
}

/**
 * Whether a page of `origin` may use the passkeys of relying party `rpId`, as browsers scope them:
 * an https origin whose host is the RP ID or one of its subdomains, on any port. Browsers treat
 * `localhost` (and its subdomains) as secure without TLS, so there http is allowed too.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname.toLowerCase();
  const rp = rpId.toLowerCase();
  if (host !== rp && !host.endsWith(`.${rp}`)) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (host === "localhost" || host.endsWith(".localhost"));
}
