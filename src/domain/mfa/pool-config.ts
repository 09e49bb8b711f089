/**
 * A pool's MFA configuration (SetUserPoolMfaConfig / GetUserPoolMfaConfig), kept in the pool's
 * settings under the API's names (`SmsMfaConfiguration`, `SoftwareTokenMfaConfiguration`,
 * `EmailMfaConfiguration`, `WebAuthnConfiguration`, `MfaConfiguration`). SetUserPoolMfaConfig
 * replaces the whole configuration, as Cognito's does: a factor left out is turned off, a left out
 * MfaConfiguration is OFF. The pool's `MfaConfiguration`, `SmsAuthenticationMessage` and
 * `SmsConfiguration` (DescribeUserPool, UpdateUserPool) are the same settings.
 */
import type { RequestContext } from "../../context.ts";
import { FeatureUnavailableInTierException, InvalidParameterException } from "../../generated/exceptions.ts";
import type {
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
  UserPoolMfaType,
} from "../../generated/types.ts";
import type { PoolRecord, PoolSettings } from "../../storage/records.ts";
import { requirePool } from "../lookups.ts";

/** The MFA factors a pool offers, in Cognito's names. */
export type MfaFactor = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/** The factors the pool's configuration turns on (whatever MfaConfiguration says). */
export function poolFactors(settings: PoolSettings): MfaFactor[] {
  const out: MfaFactor[] = [];
  if (settings.SmsMfaConfiguration) out.push("SMS_MFA");
  if (settings.SoftwareTokenMfaConfiguration?.Enabled) out.push("SOFTWARE_TOKEN_MFA");
  if (settings.EmailMfaConfiguration) out.push("EMAIL_OTP");
  return out;
}

/** The factors a sign-in may use: none when MFA is OFF. */
export function activeFactors(pool: PoolRecord): MfaFactor[] {
  const mode = pool.settings.MfaConfiguration ?? "OFF";
  return mode === "OFF" ? [] : poolFactors(pool.settings);
}

function invalidMfa(message: string): InvalidParameterException {
  return new InvalidParameterException(message);
}

export async function setPoolMfaConfig(
  ctx: RequestContext,
  input: SetUserPoolMfaConfigRequest,
): Promise<GetUserPoolMfaConfigResponse> {
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const settings: PoolSettings = structuredClone(pool.settings);
    const mode: UserPoolMfaType = input.MfaConfiguration ?? "OFF";
    const sms = input.SmsMfaConfiguration;
    const totp = input.SoftwareTokenMfaConfiguration;
    const email = input.EmailMfaConfiguration;
    const enables = sms !== undefined || totp?.Enabled === true || email !== undefined;

    if (mode === "OFF" && enables)
      throw invalidMfa("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
    if (mode !== "OFF" && !enables)
      throw invalidMfa(
        "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.",
      );
    if (sms) {
      const message = sms.SmsAuthenticationMessage;
      if (message !== undefined && !message.includes("{####}"))
        throw invalidMfa("SmsAuthenticationMessage must contain the code placeholder {####}.");
      if (!sms.SmsConfiguration && !settings.SmsConfiguration)
        throw invalidMfa("SMS configuration is required to enable SMS MFA.");
    }
    if (email) {
      if (settings.UserPoolTier === "LITE")
        throw new FeatureUnavailableInTierException(
          "Email MFA requires a user pool in the Essentials tier or higher.",
        );
      if (settings.EmailConfiguration?.EmailSendingAccount !== "DEVELOPER")
        throw invalidMfa(
          "Email MFA requires the user pool's EmailConfiguration to send with Amazon SES (EmailSendingAccount DEVELOPER).",
        );
      if (email.Message !== undefined && !email.Message.includes("{####}"))
        throw invalidMfa("EmailMfaConfiguration Message must contain the code placeholder {####}.");
    }

    settings.MfaConfiguration = mode;
    delete settings.SmsMfaConfiguration;
    delete settings.SoftwareTokenMfaConfiguration;
    delete settings.EmailMfaConfiguration;
    delete settings.WebAuthnConfiguration;
    if (sms) {
      if (sms.SmsConfiguration) settings.SmsConfiguration = structuredClone(sms.SmsConfiguration);
      if (sms.SmsAuthenticationMessage !== undefined)
        settings.SmsAuthenticationMessage = sms.SmsAuthenticationMessage;
      settings.SmsMfaConfiguration = {
        ...(settings.SmsAuthenticationMessage !== undefined
          ? { SmsAuthenticationMessage: settings.SmsAuthenticationMessage }
          : {}),
        SmsConfiguration: structuredClone(settings.SmsConfiguration),
      };
    }
    if (totp) settings.SoftwareTokenMfaConfiguration = { Enabled: totp.Enabled ?? false };
    if (email) settings.EmailMfaConfiguration = structuredClone(email);
    if (input.WebAuthnConfiguration) {
      const w = input.WebAuthnConfiguration;
      settings.WebAuthnConfiguration = {
        ...(w.RelyingPartyId !== undefined ? { RelyingPartyId: w.RelyingPartyId } : {}),
        UserVerification: w.UserVerification ?? "preferred",
        ...(w.FactorConfiguration !== undefined ? { FactorConfiguration: w.FactorConfiguration } : {}),
      };
    }
    await tx.pools.updatePool({ ...pool, settings, updatedAt: ctx.now });
    return toMfaConfig(settings);
  });
}

export function toMfaConfig(settings: PoolSettings): GetUserPoolMfaConfigResponse {
  const out: GetUserPoolMfaConfigResponse = { MfaConfiguration: settings.MfaConfiguration ?? "OFF" };
  if (settings.SmsMfaConfiguration) out.SmsMfaConfiguration = structuredClone(settings.SmsMfaConfiguration);
  if (settings.SoftwareTokenMfaConfiguration)
    out.SoftwareTokenMfaConfiguration = { ...settings.SoftwareTokenMfaConfiguration };
  if (settings.EmailMfaConfiguration) out.EmailMfaConfiguration = { ...settings.EmailMfaConfiguration };
  if (settings.WebAuthnConfiguration) out.WebAuthnConfiguration = { ...settings.WebAuthnConfiguration };
  return out;
}

export async function getPoolMfaConfig(
  ctx: RequestContext,
  poolId: string,
): Promise<GetUserPoolMfaConfigResponse> {
  return toMfaConfig((await requirePool(ctx.services.storage, poolId)).settings);
}

/**
 * CreateUserPool and UpdateUserPool: `next` (the settings the call gives) keeps the factors of
 * `previous` while MFA stays on, and loses them when MFA is turned OFF. Turning MFA on through
 * these operations, with no factor set up by SetUserPoolMfaConfig, means SMS MFA (their original
 * meaning), which needs the pool's SMS configuration, as Cognito's message says.
 */
export function settleMfa(next: PoolSettings, previous: PoolSettings | undefined): void {
  const webAuthn = previous?.WebAuthnConfiguration;
  if (webAuthn) next.WebAuthnConfiguration = structuredClone(webAuthn);
  if ((next.MfaConfiguration ?? "OFF") === "OFF") return;
  if (previous?.SoftwareTokenMfaConfiguration)
    next.SoftwareTokenMfaConfiguration = { ...previous.SoftwareTokenMfaConfiguration };
  if (previous?.EmailMfaConfiguration) next.EmailMfaConfiguration = { ...previous.EmailMfaConfiguration };
  const hadSms = previous?.SmsMfaConfiguration !== undefined;
  if (hadSms || poolFactors(next).length === 0) {
    if (!next.SmsConfiguration)
      throw invalidMfa(
        "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
      );
    next.SmsMfaConfiguration = {
      ...(next.SmsAuthenticationMessage !== undefined
        ? { SmsAuthenticationMessage: next.SmsAuthenticationMessage }
        : {}),
      SmsConfiguration: structuredClone(next.SmsConfiguration),
    };
  }
}
