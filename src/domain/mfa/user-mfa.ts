/**
 * A user's MFA settings: the TOTP secret (sealed at rest with a key derived from the server
 * secret, bound to the user), the factors turned on, the preferred one; their wire form on GetUser
 * and AdminGetUser (MFAOptions, PreferredMfaSetting, UserMFASettingList); SetUserMFAPreference,
 * AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings and AdminDeleteSoftwareToken.
 */
import { hkdfSync } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { KeySealer } from "../../crypto/key-wrap.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type {
  EmailMfaSettingsType,
  MFAOptionType,
  SMSMfaSettingsType,
  SoftwareTokenMfaSettingsType,
  WebAuthnMfaSettingsType,
} from "../../generated/types.ts";
import type { PoolRecord, UserMfaFactor, UserMfaRecord, UserRecord } from "../../storage/records.ts";
import type { Reader, Transaction } from "../../storage/storage.ts";
import { userNotFound } from "../lookups.ts";

const sealers = new WeakMap<Buffer, KeySealer>();

function sealer(ctx: RequestContext): KeySealer {
  const secret = ctx.services.serverSecret;
  let s = sealers.get(secret);
  if (!s) {
    const key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "lanyard totp secrets v1", 32));
    s = new KeySealer(key);
    sealers.set(secret, s);
  }
  return s;
}

const boundTo = (m: Pick<UserMfaRecord, "poolId" | "sub">) => `totp\0${m.poolId}\0${m.sub}`;

export function sealTotpSecret(
  ctx: RequestContext,
  m: Pick<UserMfaRecord, "poolId" | "sub">,
  secret: string,
): string {
  return sealer(ctx).seal(secret, boundTo(m));
}

export function openTotpSecret(ctx: RequestContext, m: UserMfaRecord): string | undefined {
  return m.totpSecret === undefined ? undefined : sealer(ctx).open(m.totpSecret, boundTo(m));
}

export function emptyMfa(poolId: string, sub: string, now: number): UserMfaRecord {
  return {
    poolId,
    sub,
    totpVerified: false,
    totpEnabled: false,
    smsEnabled: false,
    emailEnabled: false,
    updatedAt: now,
  };
}

export async function userMfa(
  db: Reader,
  user: Pick<UserRecord, "poolId" | "sub">,
  now = 0,
): Promise<UserMfaRecord> {
  return (await db.mfa.getUserMfa(user.poolId, user.sub)) ?? emptyMfa(user.poolId, user.sub, now);
}

/** The factors the user turned on, in Cognito's order. */
export function userFactors(m: UserMfaRecord): UserMfaFactor[] {
  const out: UserMfaFactor[] = [];
  if (m.smsEnabled) out.push("SMS_MFA");
  if (m.totpEnabled && m.totpVerified) out.push("SOFTWARE_TOKEN_MFA");
  if (m.emailEnabled) out.push("EMAIL_OTP");
  return out;
}

/** GetUser's and AdminGetUser's MFA members, as Cognito shows them. */
export function wireMfa(m: UserMfaRecord): {
  MFAOptions?: MFAOptionType[];
  PreferredMfaSetting?: string;
  UserMFASettingList?: string[];
} {
  const out: { MFAOptions?: MFAOptionType[]; PreferredMfaSetting?: string; UserMFASettingList?: string[] } =
    {};
  if (m.smsEnabled) out.MFAOptions = [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }];
  const factors = userFactors(m);
  if (factors.length > 0) out.UserMFASettingList = factors;
  if (m.preferred && factors.includes(m.preferred)) out.PreferredMfaSetting = m.preferred;
  return out;
}

function notSetUp(factor: UserMfaFactor): InvalidParameterException {
  return new InvalidParameterException(`User does not have delivery config set to turn on ${factor}`);
}

export interface MfaPreferences {
  SMSMfaSettings?: SMSMfaSettingsType;
  SoftwareTokenMfaSettings?: SoftwareTokenMfaSettingsType;
  EmailMfaSettings?: EmailMfaSettingsType;
  WebAuthnMfaSettings?: WebAuthnMfaSettingsType;
}

/**
 * SetUserMFAPreference / AdminSetUserMFAPreference: each settings block given turns its factor on
 * or off and may make it the preferred one (one at most); blocks left out change nothing. A factor
 * the user cannot receive (no phone number, no email address, no verified authenticator) is refused
 * with Cognito's message. WebAuthnMfaSettings turns passkey MFA on or off (it has no preference):
 * on, the user's passkey sign-in needs user verification and then satisfies MFA; turning it on
 * needs another factor turned on, as Cognito documents.
 */
export async function setMfaPreference(
  ctx: RequestContext,
  pool: PoolRecord,
  sub: string,
  prefs: MfaPreferences,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const user = await tx.users.getUserBySub(pool.id, sub);
    if (!user) throw userNotFound();
    const m = await userMfa(tx, user, ctx.now);
    const blocks: [UserMfaFactor, { Enabled?: boolean; PreferredMfa?: boolean } | undefined][] = [
      ["SMS_MFA", prefs.SMSMfaSettings],
      ["SOFTWARE_TOKEN_MFA", prefs.SoftwareTokenMfaSettings],
      ["EMAIL_OTP", prefs.EmailMfaSettings],
    ];
    const preferredGiven = blocks.filter(([, b]) => b?.PreferredMfa === true);
    if (preferredGiven.length > 1)
      throw new InvalidParameterException("Only one MFA method can be set as preferred.");
    for (const [factor, block] of blocks) {
      if (!block) continue;
      const enable = block.Enabled === true || block.PreferredMfa === true;
      if (enable) {
        if (factor === "SMS_MFA" && !user.attributes.phone_number) throw notSetUp(factor);
        if (factor === "EMAIL_OTP" && !user.attributes.email) throw notSetUp(factor);
        if (factor === "SOFTWARE_TOKEN_MFA" && !m.totpVerified) throw notSetUp(factor);
      }
      if (block.Enabled !== undefined || block.PreferredMfa === true) setEnabled(m, factor, enable);
      if (block.PreferredMfa === true) m.preferred = factor;
      else if (m.preferred === factor && (block.PreferredMfa === false || !enable)) delete m.preferred;
    }
    const webAuthn = prefs.WebAuthnMfaSettings?.Enabled;
    if (webAuthn === true) {
      // Cognito: the user must also have another MFA method turned on, so that losing the passkey
      // does not lock them out.
      if (userFactors(m).length === 0)
        throw new InvalidParameterException(
          "Passkey MFA needs at least one other MFA method (SMS, TOTP or email) turned on for the user.",
        );
      m.webAuthnEnabled = true;
    } else if (webAuthn === false) delete m.webAuthnEnabled;
    m.updatedAt = ctx.now;
    await tx.mfa.putUserMfa(m);
  });
}

function setEnabled(m: UserMfaRecord, factor: UserMfaFactor, on: boolean): void {
  if (factor === "SMS_MFA") m.smsEnabled = on;
  else if (factor === "SOFTWARE_TOKEN_MFA") m.totpEnabled = on;
  else m.emailEnabled = on;
}

/**
 * SetUserSettings / AdminSetUserSettings: the legacy MFAOptions, which only turn SMS MFA on (an
 * SMS option for phone_number) or off (an empty list).
 */
export async function setMfaOptions(
  ctx: RequestContext,
  pool: PoolRecord,
  sub: string,
  options: readonly MFAOptionType[],
): Promise<void> {
  for (const o of options) {
    if (o.DeliveryMedium !== undefined && o.DeliveryMedium !== "SMS")
      throw new InvalidParameterException("Only SMS is supported as a DeliveryMedium of MFAOptions.");
    if (o.AttributeName !== undefined && o.AttributeName !== "phone_number")
      throw new InvalidParameterException(
        "Only phone_number is supported as an AttributeName of MFAOptions.",
      );
  }
  await ctx.services.storage.transaction(async (tx) => {
    const user = await tx.users.getUserBySub(pool.id, sub);
    if (!user) throw userNotFound();
    const m = await userMfa(tx, user, ctx.now);
    const on = options.some((o) => o.DeliveryMedium === "SMS");
    if (on && !user.attributes.phone_number) throw notSetUp("SMS_MFA");
    m.smsEnabled = on;
    if (!on && m.preferred === "SMS_MFA") delete m.preferred;
    m.updatedAt = ctx.now;
    await tx.mfa.putUserMfa(m);
  });
}

/** AdminDeleteSoftwareToken: the user's authenticator is forgotten (TOTP off, secret gone). */
export async function deleteSoftwareToken(ctx: RequestContext, pool: PoolRecord, sub: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx: Transaction) => {
    const user = await tx.users.getUserBySub(pool.id, sub);
    if (!user) throw userNotFound();
    const m = await userMfa(tx, user, ctx.now);
    delete m.totpSecret;
    delete m.totpFriendlyName;
    delete m.totpLastStep;
    m.totpVerified = false;
    m.totpEnabled = false;
    if (m.preferred === "SOFTWARE_TOKEN_MFA") delete m.preferred;
    m.updatedAt = ctx.now;
    await tx.mfa.putUserMfa(m);
  });
}
