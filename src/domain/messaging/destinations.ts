/**
 * Where a code or an invitation goes, chosen as Cognito chooses it, and how the destination is shown
 * back to the caller (CodeDeliveryDetails, masked).
 */
import { createHmac } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { CodeDeliveryDetailsType, DeliveryMediumType } from "../../generated/types.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { isTrue } from "../pools/schema.ts";
import { usernameKey } from "../users/users.ts";

export interface Destination {
  medium: DeliveryMediumType;
  attribute: "email" | "phone_number";
  /** The email address or phone number, in clear. */
  address: string;
}

type Attributes = Readonly<Record<string, string>>;

const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+$/;
const PHONE_FORMAT = /^\+[0-9]{4,15}$/;

function email(address: string): Destination {
  return { medium: "EMAIL", attribute: "email", address };
}

function sms(address: string): Destination {
  return { medium: "SMS", attribute: "phone_number", address };
}

/** Cognito's mask of an email address: `a***@e***`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  const local = at > 0 ? address.slice(0, at) : address;
  const domain = at > 0 ? address.slice(at + 1) : "";
  return `${[...local][0] ?? ""}***@${[...domain][0] ?? ""}***`;
}

/** Cognito's mask of a phone number: `+*******1234` (the last four digits shown). */
export function maskPhone(number: string): string {
  const digits = number.replace(/\D/g, "");
  const shown = digits.slice(-4);
  return `+${"*".repeat(Math.max(0, digits.length - shown.length))}${shown}`;
}

export function deliveryDetails(d: Destination): CodeDeliveryDetailsType {
  return {
    Destination: d.medium === "EMAIL" ? maskEmail(d.address) : maskPhone(d.address),
    DeliveryMedium: d.medium,
    AttributeName: d.attribute,
  };
}

/**
 * Where a sign-up confirmation code goes: to an attribute the pool verifies automatically
 * (AutoVerifiedAttributes). When the pool verifies both and the user has both, Cognito sends the
 * code by SMS and leaves the email unverified.
 */
export function signUpDestination(pool: PoolRecord, attrs: Attributes): Destination | undefined {
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  if (auto.includes("phone_number") && attrs.phone_number) return sms(attrs.phone_number);
  if (auto.includes("email") && attrs.email) return email(attrs.email);
  return undefined;
}

/** True when the pool lets only administrators reset passwords (AccountRecoverySetting admin_only). */
export function recoveryIsAdminOnly(pool: PoolRecord): boolean {
  return (pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? []).some(
    (m) => m.Name === "admin_only",
  );
}

function recoveryOrder(pool: PoolRecord): string[] {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? [];
  // Without AccountRecoverySetting, Cognito's legacy order: a verified phone, then a verified email.
  if (mechanisms.length === 0) return ["verified_phone_number", "verified_email"];
  return [...mechanisms].sort((a, b) => a.Priority - b.Priority).map((m) => m.Name);
}

/**
 * Where a forgot-password code goes: the first verified email or phone number in the order of the
 * pool's AccountRecoverySetting.
 */
export function recoveryDestination(pool: PoolRecord, attrs: Attributes): Destination | undefined {
  for (const name of recoveryOrder(pool)) {
    if (name === "verified_email" && attrs.email && isTrue(attrs.email_verified)) return email(attrs.email);
    if (name === "verified_phone_number" && attrs.phone_number && isTrue(attrs.phone_number_verified))
      return sms(attrs.phone_number);
  }
  return undefined;
}

/**
 * Where AdminCreateUser's invitation goes. DesiredDeliveryMediums defaults to SMS; a user without a
 * phone number then gets it by email. Listed media without the matching attribute are skipped.
 */
export function invitationDestinations(
  mediums: readonly DeliveryMediumType[] | undefined,
  attrs: Attributes,
): Destination[] {
  if (!mediums || mediums.length === 0) {
    if (attrs.phone_number) return [sms(attrs.phone_number)];
    if (attrs.email) return [email(attrs.email)];
    return [];
  }
  const out: Destination[] = [];
  if (mediums.includes("SMS") && attrs.phone_number) out.push(sms(attrs.phone_number));
  if (mediums.includes("EMAIL") && attrs.email) out.push(email(attrs.email));
  return out;
}

/** The medium a pool most likely uses for confirmation ("signup") or recovery codes. */
function likelyMedium(pool: PoolRecord, kind: "signup" | "recovery"): DeliveryMediumType {
  if (kind === "recovery" && (pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? []).length > 0) {
    return recoveryOrder(pool).find((n) => n !== "admin_only") === "verified_phone_number" ? "SMS" : "EMAIL";
  }
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  return auto.includes("phone_number") && !auto.includes("email") ? "SMS" : "EMAIL";
}

/**
 * CodeDeliveryDetails for a user that does not exist (or may not be revealed) when the app client
 * has PreventUserExistenceErrors ENABLED: a simulated destination chosen by the username's format
 * and the pool's verification settings, or for a sign-in code the medium it goes by. It is derived
 * from the server secret and the username, so asking twice gives the same answer, as it would for a
 * real user.
 */
export function simulatedDetails(
  ctx: RequestContext,
  pool: PoolRecord,
  username: string,
  kind: "signup" | "recovery" | DeliveryMediumType,
): CodeDeliveryDetailsType {
  const byCode = kind !== "signup" && kind !== "recovery";
  if (kind !== "SMS" && EMAIL_FORMAT.test(username)) return deliveryDetails(email(username));
  if (kind !== "EMAIL" && PHONE_FORMAT.test(username)) return deliveryDetails(sms(username));
  const medium = byCode ? kind : likelyMedium(pool, kind);
  const h = createHmac("sha256", ctx.services.serverSecret)
    .update(`simulated-destination\0${pool.id}\0${usernameKey(pool, username)}`)
    .digest();
  const letter = (i: number) => String.fromCharCode(97 + (h[i]! % 26));
  const digit = (i: number) => String(h[i]! % 10);
  if (medium === "SMS")
    return {
      Destination: `+*******${digit(2)}${digit(3)}${digit(4)}${digit(5)}`,
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    };
  return { Destination: `${letter(0)}***@${letter(1)}***`, DeliveryMedium: "EMAIL", AttributeName: "email" };
}
